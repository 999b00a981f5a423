/**
 * The imports of Python modules, read from their bytecode by the
 * distribution's own interpreter (`import_scan.py`: its `dis` knows its
 * opcodes and exception table), in one batch per build, cached by content
 * hash like bytecode so a rebuild starts no interpreter.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import { readJsonEntrySync, writeEntry } from '../cache/entry.js';
import { packageRoot } from '../util/paths.js';
import { runProgram } from '../util/process.js';

/** One `import` statement (an IMPORT_NAME instruction). */
export interface ImportRecord {
  /** The name as written, without leading dots ('' for `from . import x`). */
  readonly name: string;
  /** 0 for absolute imports, the number of leading dots otherwise. */
  readonly level: number;
  /** The names of `from name import a, b`; null for `import name`. */
  readonly fromlist: readonly string[] | null;
  /** Inside a `try` whose `except` catches ImportError (or everything). */
  readonly optional: boolean;
  /** Runs when the module is imported (module code or class body), not inside a function. */
  readonly toplevel: boolean;
  /**
   * In the body of an `except` clause catching ImportError (or everything):
   * the alternative to an import that failed (`except ImportError: import Queue`).
   */
  readonly fallback?: boolean;
}

/** A call that looks a distribution up by a literal name: `importlib.metadata.version("wadllib")`. */
export interface MetadataLookup {
  /** The distribution name as written (a pkg_resources requirement's name). */
  readonly name: string;
  /** The function called, qualified: `importlib.metadata.version`, `pkg_resources.get_distribution`. */
  readonly function: string;
  /** Inside a `try` (or its handler) that catches PackageNotFoundError / DistributionNotFound or more. */
  readonly optional: boolean;
  /** Runs when the module is imported, not inside a function. */
  readonly toplevel: boolean;
}

/** What the scan finds in one module. */
export interface ModuleScan {
  readonly imports: readonly ImportRecord[];
  readonly metadataLookups: readonly MetadataLookup[];
}

/** What to scan: a module's marshalled code, or its source (compiled by the scanner). */
export type ScanInput = { readonly code: Uint8Array } | { readonly source: Uint8Array; readonly filename: string };

type Row = [string, number, string[] | null, boolean, boolean, boolean?];
type LookupRow = [string, string, boolean, boolean];
type Scanned = [Row[], LookupRow[]];

function cacheKey(input: ScanInput): string {
  const h = createHash('sha256');
  if ('code' in input) h.update('code\0').update(input.code);
  else h.update(`source\0${input.filename}\0`).update(input.source);
  return h.digest('hex');
}

/**
 * One cache file per interpreter (bytecode magic) mapping content hashes to
 * imports: a build reads it once instead of a file per module. Writers
 * replace it atomically; concurrent builds may drop each other's additions,
 * which are then scanned again.
 */
type Index = Record<string, Scanned>;
const indexes = new Map<string, Promise<Index>>();

const SCANNER = path.join(packageRoot, 'src/analysis/import_scan.py');
let scannerDigest: string | undefined;

/**
 * The index belongs to one interpreter (bytecode magic) and one version of
 * the scanner: answers of an older import_scan.py (a field it did not report,
 * a guard it read differently) are never taken for this one's.
 */
function indexPath(cacheDir: string, dist: PythonDistribution): string {
  scannerDigest ??= createHash('sha256').update(readFileSync(SCANNER)).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'imports', `${dist.magic}-${scannerDigest}.index`);
}

function isIndex(v: unknown): v is Index {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An answer as this scanner writes it: [import rows, lookup rows]. */
function wellFormed(v: unknown): v is Scanned {
  return Array.isArray(v) && v.length === 2 && Array.isArray(v[0]) && Array.isArray(v[1]) && v[0].every(Array.isArray) && v[1].every(Array.isArray);
}

function loadIndex(file: string): Promise<Index> {
  let p = indexes.get(file);
  if (!p) {
    // An index that is not an object of well-formed answers (another version's, or edited) starts over.
    const found = readJsonEntrySync(file, isIndex);
    p = Promise.resolve(found.status === 'ok' ? found.value : {});
    indexes.set(file, p);
  }
  return p;
}

function toRecord([name, level, fromlist, optional, toplevel, fallback]: Row): ImportRecord {
  return fallback ? { name, level, fromlist, optional, toplevel, fallback } : { name, level, fromlist, optional, toplevel };
}

function toScan([rows, lookups]: Scanned): ModuleScan {
  return { imports: rows.map(toRecord), metadataLookups: lookups.map(([name, fn, optional, toplevel]) => ({ name, function: fn, optional, toplevel })) };
}

/** Scans every input (or takes it from the cache); returns imports in input order. */
export async function scanImports(
  dist: PythonDistribution,
  cacheDir: string,
  inputs: readonly ScanInput[],
  what: (i: number) => string = (i) => `module ${i}`,
): Promise<ImportRecord[][]> {
  return (await scanModules(dist, cacheDir, inputs, what)).map((m) => [...m.imports]);
}

/** Scans every input (or takes it from the cache): imports and metadata lookups, in input order. */
export async function scanModules(
  dist: PythonDistribution,
  cacheDir: string,
  inputs: readonly ScanInput[],
  what: (i: number) => string = (i) => `module ${i}`,
): Promise<ModuleScan[]> {
  const keys = inputs.map(cacheKey);
  const file = indexPath(cacheDir, dist);
  const index = await loadIndex(file);
  const cached: Array<Scanned | undefined> = keys.map((k) => (Object.hasOwn(index, k) && wellFormed(index[k]) ? index[k] : undefined));
  const missing = inputs.map((_, i) => i).filter((i) => cached[i] === undefined);
  if (missing.length > 0) {
    const lines = missing.map((i) => {
      const input = inputs[i];
      return JSON.stringify(
        'code' in input
          ? { id: i, codedata: Buffer.from(input.code).toString('base64') }
          : { id: i, data: Buffer.from(input.source).toString('base64'), filename: input.filename },
      );
    });
    const r = await runProgram(dist.python, ['-I', '-S', '-B', SCANNER], { input: lines.join('\n') + '\n' });
    if (r.code !== 0) {
      throw new OxidizeError('IMPORT_SCAN_FAILED', `import scanner ${dist.python} failed: ${r.stderr.trim().split('\n').pop()}`);
    }
    const results = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; imports?: Row[]; metadata?: LookupRow[]; error?: string });
    for (const res of results) {
      // A module that does not load has no imports to report; compiling it reports the error.
      const scanned: Scanned = [res.imports ?? [], res.metadata ?? []];
      cached[res.id] = scanned;
      if (res.error === undefined) index[keys[res.id]] = scanned;
    }
    await writeEntry(file, Buffer.from(JSON.stringify(index)));
    const lost = missing.find((i) => cached[i] === undefined);
    if (lost !== undefined) throw new OxidizeError('IMPORT_SCAN_FAILED', `import scanner gave no answer for ${what(lost)}`);
  }
  return cached.map((c) => toScan(c!));
}
