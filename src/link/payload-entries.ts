/**
 * Turns placed in-memory resources into payload entries, compiling module
 * bytecode on the way.
 */
import { promises as fsp } from 'node:fs';
import type { ResolvedPolicy } from '../config/policy.js';
import type { PythonDistribution } from '../distribution/types.js';
import { EntryFlag, EntryKind, ModuleSlot } from '../payload/format.js';
import type { PayloadEntry } from '../payload/writer.js';
import type { Content, OptimizeLevel, PlacedResource } from '../resources/types.js';
import { compileBytecode, type CompileJob } from './bytecode.js';

export function readContent(c: Content): Promise<Uint8Array> {
  return 'bytes' in c ? Promise.resolve(c.bytes) : fsp.readFile(c.path);
}

/** `co_filename` of an in-memory module: its path as it would be under a sys.path entry. */
export function moduleFilename(name: string, isPackage: boolean): string {
  const base = name.split('.').join('/');
  return isPackage ? `${base}/__init__.py` : `${base}.py`;
}

const BYTECODE_SLOT: Record<OptimizeLevel, number> = { 0: ModuleSlot.Bytecode, 1: ModuleSlot.BytecodeOpt1, 2: ModuleSlot.BytecodeOpt2 };

interface ModuleDraft {
  isPackage: boolean;
  slots: Array<Uint8Array | undefined>;
}

export interface EntriesResult {
  entries: PayloadEntry[];
  /** Modules compiled now (not from the cache). */
  compiled: number;
}

export async function payloadEntries(
  resources: readonly PlacedResource[],
  dist: PythonDistribution,
  policy: ResolvedPolicy,
  cacheDir: string,
): Promise<EntriesResult> {
  const modules = new Map<string, ModuleDraft>();
  const draft = (name: string, isPackage: boolean) => {
    let d = modules.get(name);
    if (!d) modules.set(name, (d = { isPackage, slots: [undefined, undefined, undefined, undefined] }));
    d.isPackage ||= isPackage;
    return d;
  };
  const entries: PayloadEntry[] = [];
  const jobs: Array<CompileJob & { slot: number }> = [];
  const inMemory = resources.filter((r) => r.location === 'in-memory');

  const contents = await Promise.all(
    inMemory.map((r) => {
      switch (r.type) {
        case 'python-module-source':
          return readContent(r.source);
        case 'python-module-bytecode':
          return readContent(r.bytecode);
        case 'python-extension-module':
          return r.file ? readContent(r.file) : Promise.resolve(undefined);
        case 'shared-library':
          return readContent(r.file);
        default:
          return readContent(r.data);
      }
    }),
  );

  inMemory.forEach((r, i) => {
    const data = contents[i];
    switch (r.type) {
      case 'python-module-source': {
        const d = draft(r.name, r.isPackage);
        if (policy.includeSources) d.slots[ModuleSlot.Source] = data;
        const filename = moduleFilename(r.name, r.isPackage);
        for (const optimize of policy.bytecodeOptimizeLevels) {
          const sourcePath = 'path' in r.source ? r.source.path : undefined;
          jobs.push({ name: r.name, sourcePath, source: data!, filename, optimize, slot: BYTECODE_SLOT[optimize] });
        }
        break;
      }
      case 'python-module-bytecode':
        draft(r.name, r.isPackage).slots[BYTECODE_SLOT[r.optimizeLevel]] = data;
        break;
      case 'python-extension-module':
        if (!r.builtin && data) entries.push({ kind: EntryKind.Extension, name: r.name, flags: 0, slots: [data] });
        break;
      case 'python-package-resource':
        entries.push({ kind: EntryKind.PackageResource, name: `${r.package}\0${r.path}`, flags: 0, slots: [data] });
        break;
      case 'python-distribution-resource':
        entries.push({ kind: EntryKind.DistributionResource, name: `${r.distribution}\0${r.path}`, flags: 0, slots: [data] });
        break;
      case 'shared-library':
        entries.push({ kind: EntryKind.SharedLibrary, name: r.name, flags: 0, slots: [data] });
        break;
      case 'file':
        entries.push({ kind: EntryKind.File, name: r.path, flags: 0, slots: [data] });
        break;
    }
  });

  const { code, compiled } = await compileBytecode(dist, cacheDir, jobs);
  jobs.forEach((j, i) => {
    modules.get(j.name)!.slots[j.slot] = code[i];
  });
  for (const [name, d] of modules) {
    entries.push({ kind: EntryKind.Module, name, flags: d.isPackage ? EntryFlag.Package : 0, slots: d.slots });
  }
  return { entries, compiled };
}
