/**
 * Writes the files installed next to the executable. A manifest of what the
 * last build installed lets a rebuild remove files it no longer installs.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { writeError } from '../util/fs-errors.js';
import { assertWritableInside, childPath, parentInside } from '../util/inside.js';
import type { Install } from './link-plan.js';

const MANIFEST = '.oxidize-installed';

async function sameContent(file: string, data: Uint8Array): Promise<boolean> {
  // lstat: a symbolic link in the file's place is replaced, never written through.
  const st = await fsp.lstat(file).catch(() => undefined);
  if (!st?.isFile() || st.size !== data.length) return false;
  return Buffer.from(data).equals(await fsp.readFile(file));
}

/**
 * Removes what the last build installed and this one does not. The list is
 * read from the output directory, so it is untrusted: a line that is not a
 * plain relative path, or whose directory leads out through a symbolic link,
 * is skipped with a warning; only files and links are removed, and then
 * the directories they leave empty.
 */
async function removeStale(outputDir: string, previous: readonly string[], now: ReadonlySet<string>, warn: (m: string) => void): Promise<void> {
  const manifest = path.join(outputDir, MANIFEST);
  const emptied = new Set<string>();
  for (const old of previous) {
    if (now.has(old)) continue;
    const child = childPath(outputDir, old);
    const problem = 'problem' in child ? child.problem : (await parentInside(outputDir, child.path)) ? undefined : 'its directory lies outside the output directory';
    if (problem || !('path' in child)) {
      warn(`ignoring ${JSON.stringify(old)} in ${manifest}: ${problem}; it is not removed`);
      continue;
    }
    const st = await fsp.lstat(child.path).catch(() => undefined);
    if (st && !st.isDirectory()) {
      await fsp.rm(child.path, { force: true });
      emptied.add(path.dirname(child.path));
    }
  }
  // The directories that held only removed files go too, deepest first (rmdir refuses any that is not empty).
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) {
    for (let d = dir; d !== outputDir && d.startsWith(outputDir + path.sep); d = path.dirname(d)) {
      if (!(await fsp.rmdir(d).then(() => true, () => false))) break;
    }
  }
}

/** Installs `files` under `outputDir`; returns their paths. */
export async function installFiles(outputDir: string, files: readonly Install[], warn: (m: string) => void = () => undefined): Promise<string[]> {
  const manifest = path.join(outputDir, MANIFEST);
  await fsp.mkdir(outputDir, { recursive: true }).catch((e: unknown) => {
    throw writeError(manifest, e);
  });
  const previous = (await fsp.readFile(manifest, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const now = new Set(files.map((f) => f.path));
  await removeStale(outputDir, previous, now, warn);
  for (const f of files) {
    const child = childPath(outputDir, f.path);
    if ('problem' in child) throw new Error(`bug: install path ${JSON.stringify(f.path)} is not a plain relative path (${child.problem})`);
    const target = child.path;
    await assertWritableInside(outputDir, target);
    await fsp.mkdir(path.dirname(target), { recursive: true }).catch((e: unknown) => {
      throw writeError(target, e);
    });
    // Unchanged files are left alone: a rebuild touches nothing it need not.
    if (!(await sameContent(target, f.data))) await writeFileAtomic(target, [f.data], f.executable ? 0o755 : 0o644);
    if (f.mtime !== undefined) await fsp.utimes(target, f.mtime, f.mtime);
  }
  const sorted = [...now].sort();
  await writeFileAtomic(manifest, [Buffer.from(sorted.join('\n') + (sorted.length ? '\n' : ''))]);
  return sorted;
}
