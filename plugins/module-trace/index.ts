/**
 * `moduleTrace({ traces, include, exclude })`: keeps only what recorded runs
 * imported. In the filter phase it keeps the union of the traced modules,
 * their parent packages, what the interpreter and the importer need to
 * start, runpy and site (the python command's `-m`), the run module's (or command's) import-time imports and the
 * `include` patterns with theirs, minus `exclude`, and drops the rest; package
 * resources, distribution metadata, extension modules and shared libraries
 * follow their packages (select.ts). `--no-trim` switches it off.
 *
 * Its own hooks (getModuleTraceHooks): `drop`, a waterfall of the resources
 * it is about to drop, which a plugin can shorten to keep more; `dropped`,
 * told what was dropped.
 */
import { promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  createHooksRegistry, FilterStage, LISTING_FILES, providedTopLevel, SyncHook, SyncWaterfallHook,
  type Content, type MetadataListing, type OxidizePlugin, type PluginContext, type Resource, type ResourceCollection,
} from '../../src/plugin-api.js';
import { scanImports, type ImportRecord, type ScanInput } from '../../src/analysis/import-scan.js';
import { interpreterModules } from '../../src/analysis/interpreter-modules.js';
import { runModuleName } from '../../src/config/interpreter.js';
import { configWarning, suggestName } from '../../src/config/unmatched.js';
import { globSuggestion } from '../../src/install/glob.js';
import { IMPORTER_MODULES } from '../../src/link/importer-modules.js';
import { importClosure, importedModules, keepsResource, keptModules, patternMatcher, subtreeMatcher } from './select.js';
import { readTraces, TRACES_DIR } from './traces.js';

/** The importer modules the runtime itself imports before the program runs (runtime-rust/c, runtime-rust/python). */
const STARTUP_IMPORTER = new Set(['_oxidize_importer', '_oxidize_startup']);
/** What the python command (`python3 -m mod`, started through a symlink named python3) imports before the program: runpy for `-m`, and site. */
export const PYTHON_COMMAND = ['runpy', 'site'];

export interface ModuleTraceOptions {
  /** Trace files or folders of them, relative to the config's directory. Default: `['traces']`. */
  traces?: string[];
  /** Modules to keep though no trace saw them: `'pkg'` (that module), `'pkg.*'` (everything below it). */
  include?: string[];
  /** Modules to drop though traced, each with everything below it. */
  exclude?: string[];
}

export interface TrimStats {
  /** Modules dropped (by name: source, bytecode and extension module count once). */
  readonly modules: number;
  /** Resources dropped, and their bytes. */
  readonly resources: number;
  readonly bytes: number;
  /** The trace files read. */
  readonly traces: readonly string[];
}

const registry = createHooksRegistry('oxidize:module-trace', () => ({
  /** The resources about to be dropped; return the ones to drop (leave out what to keep). */
  drop: new SyncWaterfallHook<[Resource[]]>(['resources']),
  /** What was dropped. */
  dropped: new SyncHook<[TrimStats]>(['stats']),
}));

/** The module-trace plugin's hooks, for other plugins to tap. */
export const getModuleTraceHooks = (ctx: PluginContext) => registry.of(ctx);

function moduleName(r: Resource): string | undefined {
  return r.type === 'python-module-source' || r.type === 'python-module-bytecode' || r.type === 'python-extension-module' ? r.name : undefined;
}

/** Where a resource's bytes are (none for builtin extension modules). */
export function contentOf(r: Resource): Content | undefined {
  switch (r.type) {
    case 'python-module-source':
      return r.source;
    case 'python-module-bytecode':
      return r.bytecode;
    case 'python-extension-module':
    case 'shared-library':
      return r.file;
    default:
      return r.data;
  }
}

/** A resource's size on disk or in memory. */
export async function bytesOf(r: Resource): Promise<number> {
  const content = contentOf(r);
  if (!content) return 0;
  if ('bytes' in content) return content.bytes.length;
  // Synchronous: the report sizes thousands of removed files at once.
  try {
    return statSync(content.path).size;
  } catch {
    return 0;
  }
}

async function contentBytes(c: { path: string } | { bytes: Uint8Array }): Promise<Uint8Array> {
  return 'bytes' in c ? c.bytes : fsp.readFile(c.path);
}

/** Top-level modules each packed distribution provides, from its top_level.txt, RECORD, installed-files.txt or SOURCES.txt. */
async function distributionProviders(resources: readonly Resource[]): Promise<Map<string, string[]>> {
  const listings = new Map<string, Record<string, string>>();
  const keyOf = new Map(Object.entries(LISTING_FILES).map(([key, file]) => [file, key]));
  for (const r of resources) {
    const key = r.type === 'python-distribution-resource' ? keyOf.get(r.path) : undefined;
    if (r.type !== 'python-distribution-resource' || key === undefined) continue;
    const listing = listings.get(r.distribution) ?? {};
    listing[key] = Buffer.from(await contentBytes(r.data)).toString('utf8');
    listings.set(r.distribution, listing);
  }
  return new Map([...listings].map(([d, l]) => [d, providedTopLevel(l as MetadataListing)]));
}

/** `include` or `exclude` patterns that match no module collected: a typo would drop (or keep) the module it meant, silently. */
function warnUnmatched(ctx: PluginContext, option: 'include' | 'exclude', patterns: readonly string[], names: readonly string[], stdlib: ReadonlySet<string>): void {
  for (const pattern of patterns) {
    const matches = option === 'include' ? patternMatcher([pattern]) : subtreeMatcher([pattern]);
    if (names.some(matches)) continue;
    // Excluding a standard library module this distribution was built without is no mistake.
    if (option === 'exclude' && !pattern.includes('*') && stdlib.has(pattern.split('.')[0])) continue;
    const suggestion = suggestName(pattern, names);
    ctx.warn(
      configWarning(
        { file: ctx.options.configFile, target: ctx.options.target },
        [],
        `→ moduleTrace({ ${option} }) pattern ${JSON.stringify(pattern)} matches no module the sources and the standard library provide, so it ${option === 'include' ? 'keeps' : 'drops'} nothing`,
        suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : option === 'include' ? "'pkg' is that module, 'pkg.*' everything below it" : undefined,
      ),
    );
  }
}

export function moduleTrace(options: ModuleTraceOptions = {}): OxidizePlugin {
  const tracePaths = options.traces ?? [TRACES_DIR];
  return {
    name: 'oxidize:module-trace',
    apply(ctx) {
      if (ctx.options.trim === false) {
        ctx.log('off (--no-trim)');
        return;
      }
      const hooks = registry.owned(ctx);
      ctx.hooks.filter.tapPromise({ name: 'oxidize:module-trace', stage: FilterStage.Late }, async (collection: ResourceCollection) => {
        const traces = await readTraces(ctx.options.configDir, tracePaths);
        // A trace path given that is not there (a typo) would drop what its runs imported, silently.
        for (const p of options.traces ?? []) {
          if (await fsp.stat(path.resolve(ctx.options.configDir, p)).then(() => true, () => false)) continue;
          const near = path.isAbsolute(p) ? undefined : await globSuggestion(ctx.options.configDir, p);
          ctx.warn(
            configWarning(
              { file: ctx.options.configFile, target: ctx.options.target },
              [],
              `→ moduleTrace({ traces }) path ${JSON.stringify(p)} does not exist in ${ctx.options.configDir}, so no module is kept for it`,
              near ? `did you mean ${JSON.stringify(near)}?` : undefined,
            ),
          );
        }
        if (traces.files.length === 0) {
          ctx.error(
            `no traces in ${tracePaths.join(', ')} (relative to ${ctx.options.configDir})`,
            'record one with `oxidize trace -- <arguments>`, or build untrimmed with --no-trim',
            'NO_TRACES',
          );
        }
        const resources = collection.toArray();
        const sources = new Map<string, Resource>();
        const packages = new Set<string>();
        for (const r of resources) {
          const m = moduleName(r);
          if (!m) continue;
          if (r.type === 'python-module-source' || (r.type === 'python-module-bytecode' && !sources.has(m))) sources.set(m, r);
          else if (!sources.has(m)) sources.set(m, r);
          if ((r.type === 'python-module-source' || r.type === 'python-module-bytecode') && r.isPackage) packages.add(m);
        }
        const exists = (n: string) => sources.has(n);
        const isPackage = (n: string) => packages.has(n);

        const dist = ctx.distribution;
        const scan = async (names: string[]): Promise<Map<string, readonly ImportRecord[]>> => {
          const mods = names.map((n) => sources.get(n)!).filter((r) => r.type === 'python-module-source' || r.type === 'python-module-bytecode');
          const inputs: ScanInput[] = await Promise.all(
            mods.map(async (r) =>
              r.type === 'python-module-source'
                ? { source: await contentBytes(r.source), filename: r.name }
                : { code: await contentBytes((r as Extract<Resource, { type: 'python-module-bytecode' }>).bytecode) },
            ),
          );
          const found = await scanImports(dist, ctx.options.cacheDir, inputs, (i) => `module ${(mods[i] as { name: string }).name}`);
          return new Map(mods.map((r, i) => [(r as { name: string }).name, found[i]]));
        };

        // What the importer modules the runtime runs at start-up import when they load (they are always
        // packed); the ones loaded later for a feature (metadata, resources) and what they import are in
        // the traces of programs that use it.
        const importer = IMPORTER_MODULES.map((m) => ({ name: (m as { name: string }).name, content: contentOf(m)! })).filter((m) => STARTUP_IMPORTER.has(m.name));
        const importerInputs = await Promise.all(importer.map(async (m) => ({ source: await contentBytes(m.content), filename: m.name })));
        const importerImports = (await scanImports(dist, ctx.options.cacheDir, importerInputs)).flatMap((records, i) =>
          records.filter((r) => r.toplevel).flatMap((r) => importedModules(importer[i].name, false, r, exists)),
        );
        const interpreter = await interpreterModules(dist);
        // zlib inflates the compressed sources and resources (src/link/compress.ts). Any executable is the
        // python command when started as python3 (a symlink): `-m` runs through runpy and the command imports
        // site, so both stay with what they import when they load, whatever the traces saw.
        const startup = await importClosure([...interpreter.startup, ...importerImports, 'zlib', ...PYTHON_COMMAND], scan, exists, isPackage);

        const config = ctx.executable.config;
        // Included modules bring what they import when they load, as the run module does.
        const included = patternMatcher(options.include ?? []);
        const rootNames: string[] = [...sources.keys()].filter(included);
        const stdlibNames = (await interpreterModules(dist)).stdlib;
        warnUnmatched(ctx, 'include', options.include ?? [], [...sources.keys()], stdlibNames);
        warnUnmatched(ctx, 'exclude', options.exclude ?? [], [...sources.keys()], stdlibNames);
        if (config.runModule) rootNames.push(runModuleName(config.runModule), `${runModuleName(config.runModule)}.__main__`);
        let roots = await importClosure(rootNames, scan, exists, isPackage);
        if (config.runCommand) {
          const [records] = await scanImports(dist, ctx.options.cacheDir, [{ source: Buffer.from(config.runCommand), filename: '<command>' }]);
          const direct = records.filter((r) => r.toplevel).flatMap((r) => importedModules('__main__', false, r, exists));
          roots = new Set([...roots, ...(await importClosure(direct, scan, exists, isPackage))]);
        }

        const kept = keptModules(sources.keys(), {
          traced: traces.modules,
          startup,
          roots,
          include: options.include ?? [],
          exclude: options.exclude ?? [],
        });
        const providers = await distributionProviders(resources);
        const candidates = resources.filter((r) => !keepsResource(r, kept, (d) => providers.get(d), exists));
        const drop = hooks.drop.call(candidates);
        const dropping = new Set(drop);
        collection.retain((r) => !dropping.has(r));
        const sizes = await Promise.all(drop.map(bytesOf));
        const stats: TrimStats = {
          modules: new Set(drop.map(moduleName).filter((m) => m !== undefined)).size,
          resources: drop.length,
          bytes: sizes.reduce((a, b) => a + b, 0),
          traces: traces.files.map((f) => path.relative(ctx.options.configDir, f)),
        };
        ctx.log(`kept ${kept.size} modules from ${traces.files.length} traces (${traces.modules.size} modules traced)`);
        hooks.dropped.call(stats);
        return collection;
      });
    },
  };
}
