import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A sibling temporary path, so the final rename stays on one file system. */
export function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes chunks to `target` through a temporary file and a rename, so a
 * reader never sees a half-written file.
 */
export async function writeFileAtomic(target: string, chunks: readonly Uint8Array[], mode = 0o644): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = temporaryPath(target);
  const fh = await fsp.open(tmp, 'w', mode);
  try {
    for (const c of chunks) await fh.write(c);
    await fh.chmod(mode);
  } catch (e) {
    await fh.close();
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** Copies a file into place atomically. */
export async function copyFileAtomic(from: string, target: string, mode?: number): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = temporaryPath(target);
  try {
    await fsp.copyFile(from, tmp);
    if (mode !== undefined) await fsp.chmod(tmp, mode);
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}
