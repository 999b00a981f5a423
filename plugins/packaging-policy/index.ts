/**
 * The packaging policy: drops test packages unless asked for, and gives
 * every resource nobody else placed its location from the policy.
 */
import { resourceOwner, Stage, type OxidizePlugin, type Resource, type ResourceLocation } from '../../src/plugin-api.js';

const TEST_PARTS = new Set(['test', 'tests', 'idle_test']);

/** Whether a module or package name belongs to a test package. */
export function isTestModule(name: string): boolean {
  return name.split('.').some((part) => TEST_PARTS.has(part));
}

function isModuleLike(r: Resource): boolean {
  return r.type === 'python-module-source' || r.type === 'python-module-bytecode' || r.type === 'python-extension-module' || r.type === 'python-package-resource';
}

export function packagingPolicyPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:packaging-policy',
    apply(build) {
      const policy = build.policy;
      build.hooks.filter.tap({ name: 'oxidize:packaging-policy', stage: Stage.Policy }, (resources) => {
        if (policy.includeTest) return resources;
        return resources.retain((r) => !(isModuleLike(r) && isTestModule(resourceOwner(r))));
      });
      build.hooks.place.tap({ name: 'oxidize:packaging-policy', stage: Stage.Policy }, (r): ResourceLocation => {
        // Builtin extension modules are part of libpython: nothing to place.
        if (r.type === 'python-extension-module' && r.builtin) return 'in-memory';
        // Plain files are installed next to the executable.
        if (r.type === 'file') return 'filesystem-relative:';
        return policy.resourcesLocation;
      });
    },
  };
}
