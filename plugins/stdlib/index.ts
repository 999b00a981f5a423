/**
 * Collects the distribution's standard library: pure-Python modules and
 * their data, the extension modules built as shared libraries
 * (lib-dynload), and the extension modules compiled into libpython.
 */
import { findResourcesInPath, Stage, type Build, type OxidizePlugin, type Resource } from '../../src/plugin-api.js';

/** Directories of the stdlib tree that are not the standard library. */
function notStdlib(rel: string): boolean {
  return rel === 'site-packages' || rel === 'dist-packages' || rel === 'lib-dynload' || rel.startsWith('config-');
}

export async function collectStdlib(build: Build): Promise<Resource[]> {
  const d = build.distribution;
  const scan = { extensionSuffixes: d.extensionSuffixes };
  const [stdlib, dynload] = await Promise.all([
    findResourcesInPath(d.stdlibDir, { ...scan, skipDirectory: notStdlib }),
    findResourcesInPath(d.dynloadDir, scan),
  ]);
  const builtins: Resource[] = d.builtinModules.map((name) => ({ type: 'python-extension-module', name, builtin: true }));
  return [...stdlib, ...dynload.filter((r) => r.type === 'python-extension-module'), ...builtins];
}

export function stdlibPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:stdlib',
    apply(build) {
      if (!build.policy.includeStdlib) return;
      // Early, so that application resources added later replace stdlib ones of the same name.
      build.hooks.collect.tapPromise({ name: 'oxidize:stdlib', stage: Stage.Early }, async (resources) => {
        const found = await collectStdlib(build);
        build.log(`standard library: ${found.length} resources from ${build.distribution.stdlibDir}`);
        return resources.add(...found);
      });
    },
  };
}
