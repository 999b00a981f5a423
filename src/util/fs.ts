import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeError } from './fs-errors.js';
import { trackTemporary } from './interrupt.js';
import { processStartTime } from './lock.js';

/**
 * This process as temporary names record it: pid and start time, so a later
 * build can tell a leftover of a dead build from the file of a live one.
 */
const owner = `${process.pid}-${processStartTime(process.pid) ?? '0'}`;
const TEMPORARY = /^\..+\.(\d+)-(\d+)\.[0-9a-f]{8}\.tmp$/;

/** A sibling temporary path, so the final rename stays on one file system. */
export function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${owner}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether the process that made a temporary (pid and start time from its name) is gone. */
export function orphanedTemporary(name: string): boolean {
  const m = TEMPORARY.exec(name);
  if (!m) return false;
  const start = processStartTime(Number(m[1]));
  return start === undefined || start !== m[2];
}

/**
 * Removes temporary files under `dir` left by builds that were killed before
 * they could clean up (SIGKILL, power loss). Files of live builds stay.
 */
export async function removeOrphanedTemporaries(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) removed.push(...(await removeOrphanedTemporaries(full)));
    else if (e.isFile() && orphanedTemporary(e.name)) {
      // Best effort: a directory we cannot write fails later, with a clear message.
      if (await fsp.rm(full, { force: true }).then(() => true, () => false)) removed.push(full);
    }
  }
  return removed;
}

/**
 * Writes chunks to `target` through a temporary file and a rename, so a
 * reader never sees a half-written file. An interrupt removes the temporary.
 */
export async function writeFileAtomic(target: string, chunks: readonly Uint8Array[], mode = 0o644): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true }).catch((e: unknown) => {
    throw writeError(target, e);
  });
  const tmp = temporaryPath(target);
  const untrack = trackTemporary(tmp);
  try {
    const fh = await fsp.open(tmp, 'w', mode);
    try {
      // One writev for all chunks: an executable is thousands of them (a
      // blob each), and a write each was a thread-pool trip each.
      const total = chunks.reduce((n, c) => n + c.length, 0);
      let done = (await fh.writev(chunks as Uint8Array[])).bytesWritten;
      for (const c of chunks) {
        if (done >= total) break;
        if (done >= c.length) {
          done -= c.length;
          continue;
        }
        await fh.write(c, done);
        done = 0;
      }
      await fh.chmod(mode);
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    // A full disk or a read-only directory is the user's to fix: say where and how.
    throw writeError(target, e);
  } finally {
    untrack();
  }
}

/** Copies a file into place atomically. */
export async function copyFileAtomic(from: string, target: string, mode?: number): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmp = temporaryPath(target);
  const untrack = trackTemporary(tmp);
  try {
    await fsp.copyFile(from, tmp);
    if (mode !== undefined) await fsp.chmod(tmp, mode);
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  } finally {
    untrack();
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
