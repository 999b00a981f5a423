/**
 * The packaging policy: gives every resource nobody else placed its
 * location, from the per-name overrides first, then the resources policy.
 */
import { PlaceStage, resourceOwner, type OxidizePlugin, type Resource, type ResourceLocation, type ResolvedPolicy } from '../../src/plugin-api.js';

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
    },
  };
}
