/**
 * The distribution's standard library: its pure-Python modules and their
 * data, the extension modules built as shared libraries (lib-dynload), and
 * the extension modules compiled into libpython. Its test packages are
 * collected too and dropped by a filter tap unless `includeTest` is set. The
 * host's site hooks (sitecustomize, usercustomize) are not collected.
 */
import { CollectStage, FilterStage, findResourcesInPath, resourceOwner, type OxidizePlugin, type PluginContext, type Resource } from '../../src/plugin-api.js';

const TEST_PARTS = new Set(['test', 'tests', 'idle_test']);

/** Whether a standard library module belongs to its test suite (test, unittest.test, lib2to3.tests, idlelib.idle_test, ...). */
export function isStdlibTest(name: string): boolean {
  return name.split('.').some((part) => TEST_PARTS.has(part));
}

/**
 * Site hooks `site` imports from sys.path when it runs: the host's own
 * configuration (Debian's sitecustomize installs apport's exception hook), not
 * standard library modules. An application that wants one adds its own.
 */
const SITE_HOOKS = new Set(['sitecustomize', 'usercustomize']);

/** Directories of the stdlib tree that are not the standard library. */
function notStdlib(rel: string): boolean {
  return rel === 'site-packages' || rel === 'dist-packages' || rel === 'lib-dynload' || rel.startsWith('config-');
}

export async function collectStdlib(ctx: PluginContext): Promise<Resource[]> {
  const d = ctx.distribution;
  // The distribution is trusted: Debian links some of its files to /etc.
  const scan = { extensionSuffixes: d.extensionSuffixes, followSymlinksOutside: true };
  const [stdlib, dynload] = await Promise.all([
    findResourcesInPath(d.stdlibDir, { ...scan, skipDirectory: notStdlib }),
    findResourcesInPath(d.dynloadDir, scan),
  ]);
  const builtins: Resource[] = d.builtinModules.map((name) => ({ type: 'python-extension-module', name, builtin: true }));
  const modules = [...stdlib, ...dynload.filter((r) => r.type === 'python-extension-module')].filter((r) => !SITE_HOOKS.has(resourceOwner(r).split('.')[0]));
  return [...modules, ...builtins];
}

/**
 * The standard library's collect tap and, unless `excludeTests` is false,
 * the filter tap dropping its test packages. They share which resources
 * came from the standard library: application packages named `tests` stay.
 */
export function stdlibPlugins(options: { excludeTests: boolean }): OxidizePlugin[] {
  const fromStdlib = new WeakSet<Resource>();
  const collect: OxidizePlugin = {
    name: 'oxidize:stdlib',
    apply(ctx) {
      ctx.hooks.collect.tapPromise({ name: 'oxidize:stdlib', stage: CollectStage.Stdlib }, async (resources) => {
        const found = await collectStdlib(ctx);
        for (const r of found) fromStdlib.add(r);
        ctx.log(`${found.length} resources from ${ctx.distribution.stdlibDir}`);
        return resources.add(...found);
      });
    },
  };
  const excludeTests: OxidizePlugin = {
    name: 'oxidize:exclude-stdlib-tests',
    apply(ctx) {
      ctx.hooks.filter.tap({ name: 'oxidize:exclude-stdlib-tests', stage: FilterStage.Builtin }, (resources) =>
        resources.retain((r) => !(fromStdlib.has(r) && isStdlibTest(resourceOwner(r)))),
      );
    },
  };
  return options.excludeTests ? [collect, excludeTests] : [collect];
}
