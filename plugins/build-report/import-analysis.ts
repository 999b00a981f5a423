/**
 * Build-time import analysis (PyInstaller's warn file is the model): reads
 * the bytecode of every packed module and finds the imports that nothing
 * packed, compiled into the interpreter or frozen in it can satisfy.
 */
import type { PlacedResource, PluginContext } from '../../src/plugin-api.js';
import { scanImports, type ScanInput } from '../../src/analysis/import-scan.js';
import { interpreterModules, isStdlibModule } from '../../src/analysis/interpreter-modules.js';
import { missingImports, type MissingImport, type ScannedModule } from '../../src/analysis/unresolved.js';
import { compileBytecode } from '../../src/link/bytecode.js';
import { IMPORTER_MODULES } from '../../src/link/importer-modules.js';
import { moduleFilename, readContent } from '../../src/link/link-plan.js';
import { isStdlibTest } from '../stdlib/index.js';

/**
 * The missing imports of `placed`. Imports made by the standard library are
 * reported only when they run at import time and what they name was removed
 * by a filter (`removed`): the rest are other platforms' modules (`nt`,
 * `winreg`, `_scproxy`) or lazy imports a trimmed build chose to leave out.
 */
export async function analyzeImports(ctx: PluginContext, placed: readonly PlacedResource[], removed: ReadonlySet<string>): Promise<MissingImport[]> {
  const dist = ctx.distribution;
  const interpreter = await interpreterModules(dist);
  const modules = new Map<string, { isPackage: boolean; input?: Promise<ScanInput | undefined> }>();
  const sources = placed.filter((r): r is Extract<PlacedResource, { type: 'python-module-source' }> => r.type === 'python-module-source');
  // The same compile jobs as the executable writer's, so the bytecode cache serves both.
  const optimize = ctx.policy.bytecodeOptimizeLevels[0] ?? 0;
  const texts = await Promise.all(sources.map((r) => readContent(r.source)));
  const { code } = await compileBytecode(
    dist,
    ctx.options.cacheDir,
    sources.map((r, i) => ({ name: r.name, sourcePath: 'path' in r.source ? r.source.path : undefined, source: texts[i], filename: moduleFilename(r.name, r.isPackage), optimize })),
  );
  sources.forEach((r, i) => modules.set(r.name, { isPackage: r.isPackage, input: Promise.resolve(code[i] ? { code: code[i]! } : undefined) }));
  for (const r of placed) {
    if (r.type === 'python-module-bytecode' && !modules.has(r.name)) modules.set(r.name, { isPackage: r.isPackage, input: readContent(r.bytecode).then((c) => ({ code: c })) });
    if (r.type === 'python-extension-module' && !modules.has(r.name)) modules.set(r.name, { isPackage: false });
  }
  for (const m of IMPORTER_MODULES) modules.set((m as { name: string }).name, { isPackage: false });

  const names = [...modules.keys()].sort();
  const inputs = await Promise.all(names.map((n) => modules.get(n)!.input));
  const scanned = names.filter((_, i) => inputs[i] !== undefined);
  const imports = await scanImports(dist, ctx.options.cacheDir, inputs.filter((x): x is ScanInput => x !== undefined), (i) => `module ${scanned[i]}`);
  const packages = new Set([...modules].filter(([, m]) => m.isPackage).map(([n]) => n));
  const available = (n: string) => modules.has(n) || interpreter.builtin.has(n) || interpreter.frozen.has(n) || n === '__main__';
  const isStdlib = (n: string) => isStdlibModule(interpreter, n);
  const all = missingImports(
    scanned.map((name, i): ScannedModule => ({ name, isPackage: packages.has(name), imports: isStdlib(name) ? imports[i].filter((r) => r.toplevel) : imports[i] })),
    available,
    (n) => packages.has(n),
  );
  // Keep what an application module imports, and what the standard library imports that a filter
  // removed (but its test packages, which it imports under `if __name__ == "__main__"`).
  return all
    .map((m) => ({ ...m, importers: m.importers.filter((i) => !isStdlib(i) || (removed.has(m.missing) && !isStdlibTest(m.missing))) }))
    .filter((m) => m.importers.length > 0);
}
