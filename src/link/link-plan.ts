/**
 * Turns placed resources into payload entries and files to install: in-memory
 * resources become entry data; filesystem-relative ones become files next to
 * the executable, indexed by entries whose slots hold their relative paths.
 * Module bytecode is compiled on the way.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { prefixOf, type ResolvedPolicy } from '../config/policy.js';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import { EntryFlag, EntryKind, ModuleSlot } from '../payload/format.js';
import type { PayloadEntry } from '../payload/writer.js';
import type { Content, OptimizeLevel, PlacedResource } from '../resources/types.js';
import { compileBytecode, type CompileFailure, type CompileJob } from './bytecode.js';
import { trimToSegments } from './elf-trim.js';
import { cachedPath, INSTALLED_SOURCE_MTIME, pycBytes } from './pyc.js';

/** A resource's bytes (read synchronously: thousands of small files, see cache/entry.ts). */
export function readContent(c: Content): Promise<Uint8Array> {
  try {
    return Promise.resolve('bytes' in c ? c.bytes : readFileSync(c.path));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** A module's path under a sys.path entry ("json/decoder.py", "json/__init__.py"); also its `co_filename`. */
export function moduleFilename(name: string, isPackage: boolean): string {
  const base = name.split('.').join('/');
  return isPackage ? `${base}/__init__.py` : `${base}.py`;
}

/** A file to write next to the executable. */
export interface Install {
  /** Path relative to the output directory, '/'-separated. */
  readonly path: string;
  readonly data: Uint8Array;
  readonly executable: boolean;
  /** Set the file's mtime (installed module sources, matching their .pyc). */
  readonly mtime?: number;
}

export interface LinkPlan {
  entries: PayloadEntry[];
  installs: Install[];
  /** Modules compiled now (not from the cache). */
  compiled: number;
  /** Modules packed as source only because their source does not compile. */
  uncompiled: CompileFailure[];
}

const BYTECODE_SLOT: Record<OptimizeLevel, number> = { 0: ModuleSlot.Bytecode, 1: ModuleSlot.BytecodeOpt1, 2: ModuleSlot.BytecodeOpt2 };

function join(prefix: string, rel: string): string {
  const p = path.posix.normalize(prefix ? `${prefix}/${rel}` : rel);
  if (path.posix.isAbsolute(p) || p === '..' || p.startsWith('../')) {
    throw new OxidizeError('BAD_LOCATION', `filesystem-relative path ${JSON.stringify(p)} leaves the output directory`, 'use a relative prefix without ..');
  }
  return p;
}

interface ModuleDraft {
  isPackage: boolean;
  filesystem: boolean;
  slots: Array<Uint8Array | undefined>;
}

export async function planLink(
  resources: readonly PlacedResource[],
  dist: PythonDistribution,
  policy: ResolvedPolicy,
  cacheDir: string,
  warn?: (message: string) => void,
): Promise<LinkPlan> {
  const modules = new Map<string, ModuleDraft>();
  const entries: PayloadEntry[] = [];
  const installs: Install[] = [];
  const jobs: Array<CompileJob & { slot: number; install?: { path: string; sourceSize: number } }> = [];
  const text = (s: string) => Buffer.from(s, 'utf8');
  const draft = (name: string, isPackage: boolean, filesystem: boolean) => {
    let d = modules.get(name);
    if (!d) modules.set(name, (d = { isPackage, filesystem, slots: [undefined, undefined, undefined, undefined] }));
    // oxidize:placement-checks rejects such a set before linking.
    if (d.filesystem !== filesystem) throw new Error(`internal: module ${name} reached the linker split between memory and files`);
    d.isPackage ||= isPackage;
    return d;
  };

  const contents = await Promise.all(
    resources.map((r) => {
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

  resources.forEach((r, i) => {
    const data = contents[i];
    const fs = r.location !== 'in-memory';
    const prefix = fs ? prefixOf(r.location) : '';
    const flags = fs ? EntryFlag.Filesystem : 0;
    /** In memory: the data. On the filesystem: install it at `rel` and index the path. */
    const slot = (rel: string, bytes: Uint8Array, executable = false): Uint8Array => {
      if (!fs) return bytes;
      const p = join(prefix, rel);
      installs.push({ path: p, data: bytes, executable });
      return text(p);
    };
    switch (r.type) {
      case 'python-module-source': {
        const d = draft(r.name, r.isPackage, fs);
        const filename = moduleFilename(r.name, r.isPackage);
        const sourceRel = fs ? join(prefix, filename) : filename;
        if (policy.includeSources || fs) {
          // Installed modules always get their source: it anchors __file__.
          if (fs) installs.push({ path: sourceRel, data: data!, executable: false, mtime: INSTALLED_SOURCE_MTIME });
          d.slots[ModuleSlot.Source] = fs ? text(sourceRel) : data;
        }
        const sourcePath = 'path' in r.source ? r.source.path : undefined;
        for (const optimize of policy.bytecodeOptimizeLevels) {
          const install = fs ? { path: cachedPath(sourceRel, dist.cacheTag, optimize), sourceSize: data!.length } : undefined;
          jobs.push({ name: r.name, sourcePath, source: data!, filename, optimize, slot: BYTECODE_SLOT[optimize], install });
        }
        break;
      }
      case 'python-module-bytecode': {
        const d = draft(r.name, r.isPackage, fs);
        const rel = cachedPath(moduleFilename(r.name, r.isPackage), dist.cacheTag, r.optimizeLevel);
        d.slots[BYTECODE_SLOT[r.optimizeLevel]] = fs ? slot(rel, pycBytes(dist, data!, 0)) : data;
        break;
      }
      case 'python-extension-module': {
        if (r.builtin || !data) break;
        const file = r.file && 'path' in r.file ? path.basename(r.file.path) : `${r.name.split('.').pop()}${dist.extensionSuffixes[0]}`;
        const dir = r.name.split('.').slice(0, -1).join('/');
        entries.push({ kind: EntryKind.Extension, name: r.name, flags, slots: [slot(dir ? `${dir}/${file}` : file, fs ? data : trimToSegments(data), true)] });
        break;
      }
      case 'python-package-resource':
        entries.push({ kind: EntryKind.PackageResource, name: `${r.package}\0${r.path}`, flags, slots: [slot(`${r.package.split('.').join('/')}/${r.path}`, data!)] });
        break;
      case 'python-distribution-resource':
        entries.push({ kind: EntryKind.DistributionResource, name: `${r.distribution}\0${r.path}`, flags, slots: [slot(`${r.distribution}/${r.path}`, data!)] });
        break;
      case 'shared-library':
        entries.push({ kind: EntryKind.SharedLibrary, name: r.name, flags, slots: [slot(r.name, fs ? data! : trimToSegments(data!), true)] });
        break;
      case 'file':
        if (!fs) throw new Error(`internal: file ${r.path} reached the linker placed in memory`);
        installs.push({ path: join(prefix, r.path), data: data!, executable: r.executable });
        break;
    }
  });

  const { code, compiled, failures } = await compileBytecode(dist, cacheDir, jobs, warn);
  jobs.forEach((j, i) => {
    const d = modules.get(j.name)!;
    const c = code[i];
    if (c === undefined) {
      // No bytecode: importing it compiles the source and raises python3's error.
      // Without packed sources, the source must be there for that.
      if (!d.filesystem && d.slots[ModuleSlot.Source] === undefined) d.slots[ModuleSlot.Source] = j.source;
      return;
    }
    if (j.install) {
      installs.push({ path: j.install.path, data: pycBytes(dist, c, j.install.sourceSize), executable: false });
      d.slots[j.slot] = text(j.install.path);
    } else {
      d.slots[j.slot] = c;
    }
  });
  for (const [name, d] of modules) {
    const flags = (d.isPackage ? EntryFlag.Package : 0) | (d.filesystem ? EntryFlag.Filesystem : 0);
    entries.push({ kind: EntryKind.Module, name, flags, slots: d.slots });
  }
  return { entries, installs, compiled, uncompiled: failures };
}
