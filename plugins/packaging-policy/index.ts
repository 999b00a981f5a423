/**
 * The packaging policy: gives every resource nobody else placed its
 * location, from the per-name overrides first, then the resources policy.
 */
import { configWarning, suggestName } from '../../src/config/unmatched.js';
import { PlacedStage, PlaceStage, resourceOwner, type OxidizePlugin, type Resource, type ResourceLocation, type ResolvedPolicy } from '../../src/plugin-api.js';

/** The override for a resource: the longest key naming its owner or a package above it. */
export function overrideFor(r: Resource, overrides: Readonly<Record<string, ResourceLocation>>): ResourceLocation | undefined {
  const owner = r.type === 'python-distribution-resource' ? r.distribution : resourceOwner(r);
  let best: string | undefined;
  for (const key of Object.keys(overrides)) {
    if ((owner === key || owner.startsWith(`${key}.`)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : overrides[best];
}

/** Where the resources policy puts a resource. */
export function policyLocation(r: Resource, policy: ResolvedPolicy['resourcesPolicy']): ResourceLocation {
  if (policy === 'in-memory-only') return 'in-memory';
  const prefix = policy.slice(policy.indexOf(':') + 1);
  if (policy.startsWith('filesystem-relative-only:')) return `filesystem-relative:${prefix}`;
  // prefer-in-memory-fallback: the dynamic loader wants files for these.
  const wantsFile = (r.type === 'python-extension-module' && !r.builtin) || r.type === 'shared-library';
  return wantsFile ? `filesystem-relative:${prefix}` : 'in-memory';
}

/** The name a resource is matched by in `resourceLocations`. */
function ownerOf(r: Resource): string {
  return r.type === 'python-distribution-resource' ? r.distribution : resourceOwner(r);
}

/**
 * The `resourceLocations` keys that match no packed resource (`myap` for
 * the package myapp), each with the name meant when one is near.
 */
export function unmatchedLocationKeys(keys: readonly string[], resources: readonly Resource[]): Array<{ key: string; suggestion?: string }> {
  if (keys.length === 0) return [];
  const owners = new Set(resources.map(ownerOf));
  const matched = new Set<string>();
  for (const owner of owners) {
    // The owner and the packages above it: `a.b.c` is matched by `a.b.c`, `a.b` and `a`.
    for (let name = owner; ; name = name.slice(0, name.lastIndexOf('.'))) {
      matched.add(name);
      if (!name.includes('.')) break;
    }
  }
  return keys.filter((k) => !matched.has(k)).map((key) => ({ key, suggestion: suggestName(key, matched) }));
}

export function packagingPolicyPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:packaging-policy',
    apply(ctx) {
      const policy = ctx.policy;
      ctx.hooks.place.tap({ name: 'oxidize:packaging-policy', stage: PlaceStage.Policy }, (r): ResourceLocation => {
        // Builtin extension modules are part of libpython: nothing to place.
        if (r.type === 'python-extension-module' && r.builtin) return 'in-memory';
        const override = overrideFor(r, policy.resourceLocations);
        if (override) return override;
        // Plain files are installed next to the executable.
        if (r.type === 'file') return 'filesystem-relative:';
        return policyLocation(r, policy.resourcesPolicy);
      });
      const keys = Object.keys(policy.resourceLocations);
      if (keys.length === 0) return;
      // A key that matches nothing (a typo, a package not packed) would leave its package where the policy puts it, silently.
      ctx.hooks.placed.tap({ name: 'oxidize:packaging-policy', stage: PlacedStage.Check }, (resources) => {
        const place = { file: ctx.options.configFile, target: ctx.options.target };
        for (const { key, suggestion } of unmatchedLocationKeys(keys, resources)) {
          ctx.warn(
            configWarning(
              place,
              ['packagingPolicy', 'resourceLocations', key],
              'matches no packed module, package or metadata directory, so it places nothing',
              suggestion ? `did you mean ${suggestion}?` : 'a key is a packed package or module name (myapp, myapp.data) or metadata directory name (myapp-1.0.dist-info)',
            ),
          );
        }
        return resources;
      });
    },
  };
}
