/**
 * One verified cache entry: a file holding a small header (magic, length,
 * SHA-256 of the data) and the data. The digest is recorded when the entry is
 * written and checked whenever it is read, so a truncated, replaced or edited
 * entry is noticed and rebuilt instead of shipped. Entries are written through
 * a temporary file and a rename: a reader sees the old entry or the new one.
 *
 * Every cache of oxidize (stubs, bytecode, pip results, ...) stores its
 * entries this way; `cachedEntry` is the read-or-build helper they share.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, promises as fsp, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { temporaryPath, writeFileAtomic } from '../util/fs.js';
import { writeError } from '../util/fs-errors.js';
import { trackTemporary } from '../util/interrupt.js';

const MAGIC = Buffer.from('OXCACHE1');
/** magic (8) + data length (u64 LE) + SHA-256 (32). */
export const HEADER_SIZE = 48;

export interface ReadOptions {
  /** Extra check of the data (e.g. "is an ELF executable"); returns why it is unusable, or nothing. */
  check?: (data: Buffer) => string | undefined;
}

/** What reading an entry found. */
export type EntryRead =
  | { status: 'ok'; data: Buffer }
  | { status: 'missing' }
  | { status: 'damaged'; reason: string };

function header(length: number, digest: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(h, 0);
  h.writeBigUInt64LE(BigInt(length), 8);
  digest.copy(h, 16);
  return h;
}

function sha256(chunks: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest();
}

/** Writes an entry atomically (the parent directories are created). */
export async function writeEntry(file: string, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const chunks = data instanceof Uint8Array ? [data] : data;
  const length = chunks.reduce((n, c) => n + c.length, 0);
  // Something that is not a file (a directory left by a bug or a user) would make the rename fail.
  const st = await fsp.lstat(file).catch(() => undefined);
  if (st && !st.isFile()) await fsp.rm(file, { recursive: true, force: true });
  await writeFileAtomic(file, [header(length, sha256(chunks)), ...chunks]);
}

/**
 * `writeEntry` for callers that cannot wait (a synchronous hook of a
 * library): the same file, written through a temporary and a rename.
 */
export function writeEntrySync(file: string, data: Uint8Array): void {
  const st = (() => {
    try {
      return lstatSync(file);
    } catch {
      return undefined;
    }
  })();
  if (st && !st.isFile()) rmSync(file, { recursive: true, force: true });
  const tmp = temporaryPath(file);
  const untrack = trackTemporary(tmp);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([header(data.length, sha256([data])), data]));
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(file, e);
  } finally {
    untrack();
  }
}

/**
 * Reads and verifies an entry. Never throws for what it finds on disk.
 *
 * The reads are synchronous: a warm build reads some 1,600 small entries
 * (bytecode, compressed sources) at once, and each asynchronous read is five
 * trips through the thread pool (lstat, open, fstat, read, close), which made
 * the build wait several hundred milliseconds on a busy machine.
 */
export async function readEntry(file: string, options: ReadOptions = {}): Promise<EntryRead> {
  return readEntrySync(file, options);
}

/** `readEntry`, synchronously. */
export function readEntrySync(file: string, options: ReadOptions = {}): EntryRead {
  let raw: Buffer;
  try {
    const st = lstatSync(file);
    if (!st.isFile()) return { status: 'damaged', reason: `it is a ${st.isDirectory() ? 'directory' : 'special file or link'}, not a file` };
    raw = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing' };
    return { status: 'damaged', reason: `it cannot be read (${code ?? (e as Error).message})` };
  }
  if (raw.length < HEADER_SIZE || !raw.subarray(0, 8).equals(MAGIC)) return { status: 'damaged', reason: 'it has no cache header' };
  const length = raw.readBigUInt64LE(8);
  if (length !== BigInt(raw.length - HEADER_SIZE)) {
    return { status: 'damaged', reason: `it holds ${raw.length - HEADER_SIZE} bytes, ${length} were written` };
  }
  const data = raw.subarray(HEADER_SIZE);
  if (!sha256([data]).equals(raw.subarray(16, HEADER_SIZE))) return { status: 'damaged', reason: 'its content does not match its recorded SHA-256' };
  const problem = options.check?.(data);
  if (problem) return { status: 'damaged', reason: problem };
  return { status: 'ok', data };
}

/**
 * Reads an entry holding JSON and checks its shape with `valid`: an entry
 * that parses to something else (written by another version of the code
 * under the same name, or edited with its digest recomputed) is damaged,
 * never handed to code that would trip over it.
 */
export function readJsonEntrySync<T>(
  file: string,
  valid: (value: unknown) => value is T,
): { status: 'ok'; value: T } | Exclude<EntryRead, { status: 'ok' }> {
  const found = readEntrySync(file);
  if (found.status !== 'ok') return found;
  let value: unknown;
  try {
    value = JSON.parse(found.data.toString('utf8'));
  } catch {
    return { status: 'damaged', reason: 'it does not hold JSON' };
  }
  if (!valid(value)) return { status: 'damaged', reason: 'its JSON is not of the expected shape' };
  return { status: 'ok', value };
}

/** Removes a damaged entry (whatever it is: a directory too). */
export async function discardEntry(file: string): Promise<void> {
  await fsp.rm(file, { recursive: true, force: true });
}

export interface CachedEntryOptions extends ReadOptions {
  /** Told, in one line, when a damaged entry is thrown away and rebuilt. */
  warn?: (message: string) => void;
  /** What the entry is, for the warning ("runtime stub", "pip result"). */
  what?: string;
}

/**
 * The verified entry at `file`, or `build()`'s result written there. A
 * damaged entry is reported, removed and rebuilt; what `build` returns is
 * checked like a read entry would be, so a bad build is never cached.
 */
export async function cachedEntry(
  file: string,
  build: () => Promise<Uint8Array>,
  options: CachedEntryOptions = {},
): Promise<{ data: Buffer; built: boolean }> {
  const found = await readEntry(file, options);
  if (found.status === 'ok') return { data: found.data, built: false };
  if (found.status === 'damaged') {
    options.warn?.(`cached ${options.what ?? 'entry'} ${file} is damaged (${found.reason}); rebuilding it`);
    await discardEntry(file);
  }
  const data = Buffer.from(await build());
  const problem = options.check?.(data);
  if (problem) throw new Error(`the freshly built ${options.what ?? 'cache entry'} is unusable: ${problem}`);
  await writeEntry(file, data);
  return { data, built: true };
}
