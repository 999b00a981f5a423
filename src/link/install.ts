/**
 * Writes the files installed next to the executable. A manifest of what the
 * last build installed lets a rebuild remove files it no longer installs.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import type { Install } from './link-plan.js';

const MANIFEST = '.oxidize-installed';

async function sameContent(file: string, data: Uint8Array): Promise<boolean> {
  const st = await fsp.stat(file).catch(() => undefined);
  if (!st || st.size !== data.length) return false;
  return Buffer.from(data).equals(await fsp.readFile(file));
}

/** Installs `files` under `outputDir`; returns their paths. */
export async function installFiles(outputDir: string, files: readonly Install[]): Promise<string[]> {
  const manifest = path.join(outputDir, MANIFEST);
  const previous = (await fsp.readFile(manifest, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const now = new Set(files.map((f) => f.path));
  for (const old of previous) {
    if (!now.has(old)) await fsp.rm(path.join(outputDir, old), { force: true });
  }
  for (const f of files) {
    const target = path.join(outputDir, f.path);
    // Unchanged files are left alone: a rebuild touches nothing it need not.
    if (!(await sameContent(target, f.data))) await writeFileAtomic(target, [f.data], f.executable ? 0o755 : 0o644);
    if (f.mtime !== undefined) await fsp.utimes(target, f.mtime, f.mtime);
  }
  const sorted = [...now].sort();
  await writeFileAtomic(manifest, [Buffer.from(sorted.join('\n') + (sorted.length ? '\n' : ''))]);
  return sorted;
}
