/**
 * A directory tree as one byte string, so what pip installed can be kept as
 * a single verified cache entry and put back in a temporary directory.
 *
 *   archive := u32 header length | header (JSON: TreeEntry[]) | file bytes, in header order
 *
 * Only regular files, directories and symbolic links: all pip writes.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

interface TreeEntry {
  /** '/'-separated path relative to the root. */
  p: string;
  /** d directory, f file, l symbolic link. */
  t: 'd' | 'f' | 'l';
  /** File: its size. */
  s?: number;
  /** File: the owner may execute it. */
  x?: boolean;
  /** Link: where it points. */
  l?: string;
}

async function walk(root: string, rel: string, out: TreeEntry[], files: string[]): Promise<void> {
  const names = (await fsp.readdir(path.join(root, rel))).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const full = path.join(root, r);
    const st = await fsp.lstat(full);
    if (st.isSymbolicLink()) out.push({ p: r, t: 'l', l: await fsp.readlink(full) });
    else if (st.isDirectory()) {
      out.push({ p: r, t: 'd' });
      await walk(root, r, out, files);
    } else if (st.isFile()) {
      out.push({ p: r, t: 'f', s: st.size, x: (st.mode & 0o100) !== 0 });
      files.push(full);
    }
  }
}

/** The tree under `root` as archive chunks (header first, then each file). */
export async function packTree(root: string): Promise<Buffer[]> {
  const entries: TreeEntry[] = [];
  const files: string[] = [];
  await walk(root, '', entries, files);
  const header = Buffer.from(JSON.stringify(entries));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const bodies = await Promise.all(files.map((f) => fsp.readFile(f)));
  return [length, header, ...bodies];
}

function safeRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.split('/').some((part) => part === '..' || part === '' || part === '.');
}

function isEntry(e: unknown): e is TreeEntry {
  if (typeof e !== 'object' || e === null) return false;
  const { p, t, s, l } = e as Record<string, unknown>;
  if (typeof p !== 'string') return false;
  if (t === 'f') return s === undefined || (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0);
  return t === 'd' || (t === 'l' && typeof l === 'string');
}

/** The archive's entries, or why it is not an archive `unpackTree` can write (checked before anything is written). */
function readHeader(archive: Uint8Array): { entries: TreeEntry[]; at: number } | { problem: string } {
  const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  if (bytes.length < 4) return { problem: 'it is too short to be a directory tree' };
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) return { problem: 'its tree header is longer than the entry' };
  let entries: unknown;
  try {
    entries = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8'));
  } catch {
    return { problem: 'its tree header is not JSON' };
  }
  if (!Array.isArray(entries) || !entries.every(isEntry)) return { problem: 'its tree header is not a list of files' };
  const bad = entries.find((e) => !safeRelative(e.p));
  if (bad) return { problem: `archived path ${JSON.stringify(bad.p)} leaves its directory` };
  const at = 4 + headerLength;
  const size = entries.reduce((n, e) => n + (e.t === 'f' ? e.s ?? 0 : 0), 0);
  if (at + size !== bytes.length) return { problem: `its files hold ${bytes.length - at} bytes, its header says ${size}` };
  return { entries, at };
}

/** Why `archive` is not a tree `unpackTree` can write, or undefined (a cache entry's check). */
export function treeProblem(archive: Uint8Array): string | undefined {
  const h = readHeader(archive);
  return 'problem' in h ? h.problem : undefined;
}

/** Writes the archived tree into the empty directory `root`. */
export async function unpackTree(archive: Buffer, root: string): Promise<void> {
  const h = readHeader(archive);
  if ('problem' in h) throw new Error(`not a directory tree: ${h.problem}`);
  const { entries } = h;
  let at = h.at;
  for (const e of entries) {
    const full = path.join(root, e.p);
    if (e.t === 'd') await fsp.mkdir(full, { recursive: true });
    else if (e.t === 'l') await fsp.symlink(e.l!, full);
    else {
      const size = e.s ?? 0;
      if (at + size > archive.length) throw new Error('archive is shorter than its header says');
      await fsp.writeFile(full, archive.subarray(at, at + size), { mode: e.x ? 0o755 : 0o644 });
      at += size;
    }
  }
  if (at !== archive.length) throw new Error('archive is longer than its header says');
}
