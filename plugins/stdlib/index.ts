/**
 * Collects the distribution's standard library: pure-Python modules and
 * their data, the extension modules built as shared libraries
 * (lib-dynload), and the extension modules compiled into libpython.
 */
import { findResourcesInPath, resourceOwner, Stage, type Build, type OxidizePlugin, type Resource } from '../../src/plugin-api.js';

const TEST_PARTS = new Set(['test', 'tests', 'idle_test']);

/** Whether a standard library module belongs to its test suite (test, unittest.test, lib2to3.tests, idlelib.idle_test, ...). */
export function isStdlibTest(name: string): boolean {
  return name.split('.').some((part) => TEST_PARTS.has(part));
}

/** Directories of the stdlib tree that are not the standard library. */
function notStdlib(rel: string): boolean {
  return rel === 'site-packages' || rel === 'dist-packages' || rel === 'lib-dynload' || rel.startsWith('config-');
}

export async function collectStdlib(build: Build): Promise<Resource[]> {
  const d = build.distribution;
  // The distribution is trusted: Debian links sitecustomize.py to /etc.
  const scan = { extensionSuffixes: d.extensionSuffixes, followSymlinksOutside: true };
  const [stdlib, dynload] = await Promise.all([
    findResourcesInPath(d.stdlibDir, { ...scan, skipDirectory: notStdlib }),
    findResourcesInPath(d.dynloadDir, scan),
  ]);
  const builtins: Resource[] = d.builtinModules.map((name) => ({ type: 'python-extension-module', name, builtin: true }));
  const all = [...stdlib, ...dynload.filter((r) => r.type === 'python-extension-module'), ...builtins];
  return build.policy.includeTest ? all : all.filter((r) => !isStdlibTest(resourceOwner(r)));
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
