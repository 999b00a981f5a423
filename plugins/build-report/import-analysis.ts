/**
 * Build-time import analysis (PyInstaller's warn file is the model): reads
 * the bytecode the executable carries and finds the imports that nothing
 * packed, compiled into the interpreter or frozen in it can satisfy, and the
 * distributions read by name (`importlib.metadata.version("x")`) whose
 * metadata is not packed.
 */
import { normalizeProjectName, projectName, type PluginContext } from '../../src/plugin-api.js';
import { scanImports, scanModules, type ImportRecord } from '../../src/analysis/import-scan.js';
import { interpreterModules, isStdlibModule } from '../../src/analysis/interpreter-modules.js';
import {
  isOtherPlatformModule, missingImports, missingMetadata, type MissingImport, type MissingMetadata, type ScannedModule,
} from '../../src/analysis/unresolved.js';
import { importClosure, importedModules } from '../module-trace/select.js';
import { EntryFlag, EntryKind, ModuleSlot } from '../../src/payload/format.js';
import type { WrittenEntry as PayloadEntry } from '../../src/link/linker.js';
import { isStdlibTest } from '../stdlib/index.js';

/**
 * The missing imports of the modules in `entries` (the payload as written).
 * Imports made by the standard library are reported only when they run at
 * import time and what they name was removed by a filter (`removed`): the
 * rest are other platforms' modules (`nt`, `winreg`, `_scproxy`) or lazy
 * imports a trimmed build chose to leave out. Metadata reads are reported for
 * the application's modules.
 */
export async function analyzeImports(
  ctx: PluginContext,
  entries: readonly PayloadEntry[],
  removed: ReadonlySet<string>,
): Promise<{ missing: MissingImport[]; otherPlatforms: MissingImport[]; missingMetadata: MissingMetadata[] }> {
  const interpreter = await interpreterModules(ctx.distribution);
  const names = new Set<string>();
  const packages = new Set<string>();
  const projects = new Set<string>();
  const scanned: Array<{ name: string; code: Uint8Array }> = [];
  for (const e of entries) {
    if (e.kind === EntryKind.DistributionResource) projects.add(normalizeProjectName(projectName(e.name.split('\0')[0])));
    if (e.kind !== EntryKind.Module && e.kind !== EntryKind.Extension) continue;
    names.add(e.name);
    if (e.flags & EntryFlag.Package) packages.add(e.name);
    // Modules on the filesystem have paths in their slots: their bytecode is not read back.
    const code = e.slots[ModuleSlot.Bytecode] ?? e.slots[ModuleSlot.BytecodeOpt1] ?? e.slots[ModuleSlot.BytecodeOpt2];
    if (e.kind === EntryKind.Module && code && !(e.flags & EntryFlag.Filesystem)) scanned.push({ name: e.name, code });
  }
  // A namespace package (PEP 420, no __init__) has no entry of its own: the parents of what is packed import.
  for (const n of [...names]) {
    const parts = n.split('.');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('.');
      names.add(parent);
      packages.add(parent);
    }
  }
  const scans = await scanModules(ctx.distribution, ctx.options.cacheDir, scanned.map((m) => ({ code: m.code })), (i) => `module ${scanned[i].name}`);
  const available = (n: string) => names.has(n) || interpreter.builtin.has(n) || interpreter.frozen.has(n) || n === '__main__';
  const isStdlib = (n: string) => isStdlibModule(interpreter, n);
  // Keep what an application module imports, and what the standard library imports that a filter
  // removed (but its test packages, which it imports under `if __name__ == "__main__"`).
  // The importer's helpers (_oxidize_metadata, _oxidize_resources) load only when a program uses
  // what they serve, and then its traces hold what they import.
  const keep = (importer: string, missing: string) => !importer.startsWith('_oxidize') && (!isStdlib(importer) || (removed.has(missing) && !isStdlibTest(missing)));
  const importsOf = new Map(scanned.map((m, i) => [m.name, scans[i].imports]));
  const reached = await startClosure(ctx, importsOf, (n) => names.has(n), (n) => packages.has(n));
  const all = missingImports(
    scanned.map((m, i): ScannedModule => {
      const imports = scans[i].imports;
      return { name: m.name, isPackage: packages.has(m.name), imports: isStdlib(m.name) ? imports.filter((r) => r.toplevel) : imports };
    }),
    available,
    (n) => packages.has(n),
    { keep, reached },
  );
  const application = scanned.map((m, i) => ({ name: m.name, metadataLookups: scans[i].metadataLookups })).filter((m) => !isStdlib(m.name) && !m.name.startsWith('_oxidize'));
  return {
    missing: all.filter((m) => !isOtherPlatformModule(m.missing)),
    otherPlatforms: all.filter((m) => isOtherPlatformModule(m.missing)),
    missingMetadata: missingMetadata(application, projects),
  };
}

/**
 * The packed modules the program imports as it starts: the run module (and
 * its `__main__`) or the modules the run command imports, with what they
 * import when they load (module-trace's closure). Empty for a REPL, a python
 * command or a file read at run time.
 */
async function startClosure(
  ctx: PluginContext,
  importsOf: ReadonlyMap<string, readonly ImportRecord[]>,
  exists: (n: string) => boolean,
  isPackage: (n: string) => boolean,
): Promise<Set<string>> {
  const config = ctx.executable.config;
  const roots: string[] = [];
  if (config.runModule) roots.push(config.runModule, `${config.runModule}.__main__`);
  if (config.runCommand) {
    const [records] = await scanImports(ctx.distribution, ctx.options.cacheDir, [{ source: Buffer.from(config.runCommand), filename: '<command>' }]);
    roots.push(...records.filter((r) => r.toplevel).flatMap((r) => importedModules('__main__', false, r, exists)));
  }
  const scan = async (batch: string[]) => new Map(batch.map((n) => [n, importsOf.get(n) ?? []]));
  return importClosure(roots, scan, exists, isPackage);
}
