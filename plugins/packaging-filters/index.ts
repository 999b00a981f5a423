/**
 * The packaging policy's filters, for users who do not trace:
 * `extensionModuleFilter` and `exclude`. The build says what each left out
 * and why. (`includeTest` is the standard library plugin's filter;
 * `includeSources` is applied when the payload is written.)
 */
import { FilterStage, type OxidizePlugin, type Resource } from '../../src/plugin-api.js';
import { interpreterModules } from '../../src/analysis/interpreter-modules.js';
import { subtreeMatcher } from '../module-trace/select.js';
import { configWarning, suggestName } from '../../src/config/unmatched.js';
import { extensionExclusion } from './extension-filter.js';

/** The module a resource belongs to, when it belongs to one. */
function moduleOf(r: Resource): string | undefined {
  switch (r.type) {
    case 'python-module-source':
    case 'python-module-bytecode':
    case 'python-extension-module':
      return r.name;
    case 'python-package-resource':
      return r.package;
    default:
      return undefined;
  }
}

export function packagingFiltersPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:packaging-filters',
    apply(ctx) {
      const { extensionModuleFilter, exclude } = ctx.policy;
      if (extensionModuleFilter === 'all' && exclude.length === 0) return;
      ctx.hooks.filter.tapPromise({ name: 'oxidize:packaging-filters', stage: FilterStage.Builtin }, async (resources) => {
        const excluded = subtreeMatcher(exclude);
        let excludedCount = 0;
        // Every module name seen, to tell which patterns matched nothing.
        const modules = new Set<string>();
        resources.retain((r) => {
          const m = moduleOf(r);
          if (m !== undefined) modules.add(m);
          const out = m !== undefined && excluded(m) && !(r.type === 'python-extension-module' && r.builtin);
          if (out) excludedCount++;
          return !out;
        });
        if (exclude.length > 0) ctx.log(`exclude ${exclude.join(', ')}: ${excludedCount} resources left out`);
        const stdlib = exclude.length > 0 ? (await interpreterModules(ctx.distribution)).stdlib : new Set<string>();
        exclude.forEach((pattern, i) => {
          const matches = subtreeMatcher([pattern]);
          for (const m of modules) if (matches(m)) return;
          // A standard library module this distribution was built without (tkinter where Tk is missing, winreg off Windows): nothing to say.
          if (!pattern.includes('*') && stdlib.has(pattern.split('.')[0])) {
            ctx.log(`exclude ${JSON.stringify(pattern)}: this distribution has no such module`);
            return;
          }
          // A typo leaves the module packed, silently; a module absent from this distribution is worth a word too.
          const suggestion = suggestName(pattern, modules);
          ctx.warn(
            configWarning(
              { file: ctx.options.configFile, target: ctx.options.target },
              ['packagingPolicy', 'exclude', i],
              `${JSON.stringify(pattern)} matches no module the sources and the standard library provide, so it leaves nothing out`,
              suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : undefined,
            ),
          );
        });
        if (extensionModuleFilter === 'all') return resources;

        const infos = new Map((await ctx.distribution.extensionModules()).map((i) => [i.name, i]));
        const startup = new Set((await interpreterModules(ctx.distribution)).startup);
        const reasons: string[] = [];
        resources.retain((r) => {
          if (r.type !== 'python-extension-module' || r.builtin) return true;
          const why = extensionExclusion(extensionModuleFilter, infos.get(r.name), r.name, startup);
          if (why) reasons.push(`${r.name} (${why})`);
          return why === undefined;
        });
        if (reasons.length > 0) {
          // Said without --verbose: leaving out a module that links a library changes what the program can do.
          const shown = extensionModuleFilter === 'minimal' && !ctx.options.verbose ? [`${reasons.length} modules not needed to start the interpreter`] : reasons.sort();
          ctx.warn(`extensionModuleFilter '${extensionModuleFilter}' left out ${shown.join(', ')}`);
        }
        return resources;
      });
    },
  };
}
