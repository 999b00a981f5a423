/**
 * The end of every build: the size report (counts and bytes by kind, the
 * stub, the total, what filters removed), the import analysis (imports
 * nothing packed satisfies; `--strict-imports` makes them errors) and the
 * licence file (link phase, after the executable is written). Its hook `report` hands the result to whoever prints it:
 * the CLI as a table or, with `--json`, as JSON.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  createHooksRegistry, FilterStage, LinkStage, SyncHook, type LinkContext, type OxidizePlugin, type PluginContext, type Resource,
} from '../../src/plugin-api.js';
import { interpreterModules, isStdlibModule } from '../../src/analysis/interpreter-modules.js';
import { formatMissing, formatMissingMetadata, type MissingImport, type MissingMetadata } from '../../src/analysis/unresolved.js';
import { getExecutableHooks, type LinkStats } from '../../src/link/linker.js';
import { writeFileAtomic } from '../../src/util/fs.js';
import { bytesOf, getModuleTraceHooks, type TrimStats } from '../module-trace/index.js';
import { analyzeImports } from './import-analysis.js';
import { getVirtualenvHooks } from '../read-virtualenv/index.js';
import { topLevelModules } from '../read-virtualenv/system-site.js';
import { collectLicenses, formatLicenses } from './licenses.js';
import { tallyEntries, type SizeReport } from './sizes.js';

export interface BuildReport {
  readonly sizes: SizeReport;
  /** Imports nothing packed satisfies (required and optional), but other platforms' modules. */
  readonly missingImports: readonly MissingImport[];
  /** Imports of modules that exist only on other platforms (`winreg`, `_scproxy`): counted, not reported. */
  readonly otherPlatformImports: readonly MissingImport[];
  /** Distributions the application reads by name (`importlib.metadata.version("x")`) with no metadata packed. */
  readonly missingMetadata: readonly MissingMetadata[];
  /** The licence file written, relative to the output directory. */
  readonly licensesFile?: string;
  /** The licences of what the executable carries, as the licence file has them (written or not). */
  readonly licenses: string;
}

const registry = createHooksRegistry('oxidize:build-report', () => ({
  /** The report of the executable just written. */
  report: new SyncHook<[BuildReport]>(['report']),
}));

/** The build report's hooks, for plugins; oxidize's CLI taps `report` to print it. */
export const getBuildReportHooks = (ctx: PluginContext) => registry.of(ctx);
/** For oxidize itself (the CLI): the callable hooks of a build. */
export const buildReportHooks = registry.owned;

function moduleOf(r: Resource): string | undefined {
  return r.type === 'python-module-source' || r.type === 'python-module-bytecode' || r.type === 'python-extension-module'
    ? r.name
    : r.type === 'python-package-resource'
      ? r.package
      : undefined;
}

/** Marks the missing imports that a system site-packages directory a virtualenv sees has (the first that has it). */
async function inSystemSite(missing: MissingImport[], dirs: readonly string[]): Promise<MissingImport[]> {
  const where = new Map<string, string>();
  for (const dir of dirs) for (const top of await topLevelModules(dir)) if (!where.has(top)) where.set(top, dir);
  return missing.map((m) => {
    const dir = where.get(m.missing.split('.')[0]);
    return dir ? { ...m, systemSite: dir } : m;
  });
}

export function buildReportPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:build-report',
    apply(ctx) {
      const hooks = registry.owned(ctx);
      let before: Resource[] = [];
      let removed: Resource[] = [];
      let trimmed: TrimStats | undefined;
      let missing: MissingImport[] = [];
      let otherPlatforms: MissingImport[] = [];
      let metadata: MissingMetadata[] = [];
      let written: LinkStats | undefined;

      ctx.hooks.filter.tap({ name: 'oxidize:build-report', stage: FilterStage.Builtin - 1000 }, (c) => {
        before = c.toArray();
        return c;
      });
      ctx.hooks.filter.tap({ name: 'oxidize:build-report', stage: FilterStage.Late + 1000 }, (c) => {
        const kept = new Set(c);
        removed = before.filter((r) => !kept.has(r));
        before = [];
        return c;
      });
      getModuleTraceHooks(ctx).dropped.tap('oxidize:build-report', (s) => {
        trimmed = s;
      });
      const systemSites: string[] = [];
      getVirtualenvHooks(ctx).systemSite.tap('oxidize:build-report', (s) => {
        systemSites.push(...s.dirs);
      });
      getExecutableHooks(ctx).written.tap('oxidize:build-report', (s) => {
        written = s;
      });

      // Right after the executable is written, from the bytecode it carries (no second read of any cache).
      ctx.hooks.link.tapPromise({ name: 'oxidize:build-report', stage: LinkStage.Executable + 1 }, async (link: LinkContext) => {
        const removedModules = new Set(removed.map(moduleOf).filter((m): m is string => m !== undefined));
        ({ missing, otherPlatforms, missingMetadata: metadata } = await analyzeImports(ctx, written?.entries ?? [], removedModules));
        if (systemSites.length > 0) missing = await inSystemSite(missing, systemSites);
        const lines = formatMissing(missing, ctx.options.verbose ? Infinity : 10, 3, otherPlatforms);
        const required = missing.filter((m) => !m.optional);
        if (ctx.options.strictImports && required.length > 0) {
          // Nothing is left behind that looks like a finished build.
          await fsp.rm(link.executablePath, { force: true });
          ctx.error(`${lines.join('\n')}`, 'pack what they import, or drop --strict-imports to build anyway', 'UNSATISFIED_IMPORTS');
        }
        if (required.length > 0) ctx.warn(`${ctx.executable.name}: ${lines.join('\n')}`);
        else if (lines.length > 0) ctx.log(lines.join('\n'));
        // Not an import: --strict-imports leaves it a warning.
        const metadataLines = formatMissingMetadata(metadata, ctx.options.verbose ? Infinity : 10);
        if (metadataLines.length > 0) ctx.warn(`${ctx.executable.name}: ${metadataLines.join('\n')}`);
      });

      ctx.hooks.link.tapPromise({ name: 'oxidize:build-report', stage: LinkStage.Late }, async (link: LinkContext) => {
        const outputDir = ctx.options.outputDir;
        let licensesFile: string | undefined;
        const licenses = formatLicenses(ctx.executable.name, await collectLicenses(ctx.distribution, link.resources));
        if (ctx.policy.licensesFile !== false) {
          await writeFileAtomic(path.join(outputDir, ctx.policy.licensesFile), [Buffer.from(licenses)]);
          licensesFile = ctx.policy.licensesFile;
          link.files.push(licensesFile);
        }
        const interpreter = await interpreterModules(ctx.distribution);
        const isStdlib = (n: string) => isStdlibModule(interpreter, n);
        const total = (await fsp.stat(link.executablePath)).size;
        const beside = link.resources.filter((r) => r.location !== 'in-memory' && !(r.type === 'python-extension-module' && r.builtin));
        const besideBytes = (await Promise.all(beside.map(bytesOf))).reduce((a, b) => a + b, 0);
        const removedBytes = (await Promise.all(removed.map(bytesOf))).reduce((a, b) => a + b, 0);
        const sizes: SizeReport = {
          executable: ctx.executable.name,
          kinds: tallyEntries(written?.entries ?? [], isStdlib),
          stub: written?.stubBytes ?? total - link.payloadBytes,
          payload: link.payloadBytes,
          total,
          besideExecutable: { count: beside.length, bytes: besideBytes },
          removed: { count: removed.length, bytes: removedBytes, modules: new Set(removed.map(moduleOf).filter(Boolean)).size },
          ...(trimmed ? { trimmed: { count: trimmed.resources, bytes: trimmed.bytes, modules: trimmed.modules } } : {}),
        };
        hooks.report.call({ sizes, missingImports: missing, otherPlatformImports: otherPlatforms, missingMetadata: metadata, licenses, ...(licensesFile ? { licensesFile } : {}) });
      });
    },
  };
}
