/**
 * What an extraction into the cache wrote, so a later build can tell that the
 * tree is still the one extracted: every file, directory and link with its
 * type, size and modification time, and the digest of the extractor. Kept
 * beside the tree as a verified cache entry (`<sha256>.extracted`).
 *
 * A tree is reused only while it matches: a file truncated, rewritten,
 * deleted or replaced by a directory since (or a tree an older extractor
 * wrote, or one whose manifest is missing) is extracted again. Without
 * this, a damaged standard library file was compiled into the executable.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { readJsonEntrySync, writeEntry } from '../../cache/entry.js';
import { producerDigest } from '../../cache/producer.js';

/** [relative path, d|f|l, size, mtime in ms] */
type Row = [string, string, number, number];

interface Manifest {
  extractor: string;
  rows: Row[];
}

/** The extractor's code: a tree written by another version is extracted again. */
const EXTRACTOR = () => producerDigest([new URL('./extract.js', import.meta.url), new URL('./zstd-frames.js', import.meta.url), new URL(import.meta.url)]);

export function manifestPath(dir: string): string {
  return `${dir}.extracted`;
}

function kind(st: Stats): string {
  return st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : '?';
}

/** A directory's size and time change with what it holds, which has rows of its own. */
function row(rel: string, st: Stats): Row {
  return st.isDirectory() ? [rel, 'd', 0, 0] : [rel, kind(st), st.size, Math.trunc(st.mtimeMs)];
}

/** Every entry under `dir`, sorted, as rows. */
function walk(dir: string): Row[] {
  const rows: Row[] = [];
  const visit = (rel: string) => {
    const names = readdirSync(path.join(dir, rel)).sort();
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(dir, r));
      rows.push(row(r, st));
      if (st.isDirectory()) visit(r);
    }
  };
  visit('');
  return rows;
}

/** Records the tree just extracted into `dir` (call before it is renamed into place: `dir` is where it will be read). */
export async function writeManifest(tree: string, dir: string): Promise<void> {
  const manifest: Manifest = { extractor: EXTRACTOR(), rows: walk(tree) };
  await writeEntry(manifestPath(dir), Buffer.from(JSON.stringify(manifest)));
}

function isManifest(v: unknown): v is Manifest {
  const m = v as Manifest;
  return typeof m === 'object' && m !== null && typeof m.extractor === 'string' && Array.isArray(m.rows) && m.rows.every((r) => Array.isArray(r) && r.length === 4);
}

/** Why the tree in `dir` is not the one recorded, or undefined when it is. */
export function treeChanged(dir: string): string | undefined {
  const found = readJsonEntrySync(manifestPath(dir), isManifest);
  if (found.status === 'missing') return 'no record of its extraction';
  if (found.status === 'damaged') return `its record is damaged (${found.reason})`;
  const { extractor, rows } = found.value;
  if (extractor !== EXTRACTOR()) return 'an older oxidize extracted it';
  let now: Row[];
  try {
    now = walk(dir);
  } catch (e) {
    return `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  const before = new Map(rows.map((r) => [r[0], r]));
  for (const r of now) {
    const was = before.get(r[0]);
    if (!was) return `${r[0]} was added`;
    if (was[1] !== r[1]) return `${r[0]} is no longer a ${was[1] === 'd' ? 'directory' : was[1] === 'l' ? 'link' : 'file'}`;
    if (was[2] !== r[2] || was[3] !== r[3]) return `${r[0]} was changed`;
    before.delete(r[0]);
  }
  const gone = before.keys().next();
  return gone.done ? undefined : `${gone.value} was removed`;
}
