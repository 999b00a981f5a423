/**
 * File-system failures while writing output, as one line naming the path,
 * the cause and the fix (instead of a bare errno from deep inside a plugin).
 */
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { cacheDir } from './paths.js';

const CAUSES: Record<string, { cause: (dir: string) => string; fix: (dir: string) => string }> = {
  EACCES: { cause: (d) => `permission denied: ${d} is not writable by this user`, fix: (d) => `make ${d} writable (chmod u+w) or build in a directory you own` },
  EPERM: { cause: (d) => `operation not permitted in ${d}`, fix: (d) => `check the permissions and attributes of ${d} (chattr -i), or build elsewhere` },
  EROFS: { cause: (d) => `${d} is on a read-only file system`, fix: () => 'build in a directory on a writable file system' },
  ENOSPC: { cause: (d) => `no space left on the device holding ${d}`, fix: (d) => `free some space there (df -h ${d}) or build elsewhere` },
  EDQUOT: { cause: (d) => `the disk quota for ${d} is used up`, fix: () => 'free some space within your quota, or build elsewhere' },
  ENOTDIR: { cause: (d) => `a part of ${d} is a file, not a directory`, fix: () => 'remove or rename that file' },
  EISDIR: { cause: () => 'a directory is in the way', fix: () => 'remove or rename that directory' },
  // mkdir of a directory whose name a file (or a link to one) already holds.
  EEXIST: { cause: (d) => `${d} exists and is not a directory`, fix: () => 'remove or rename it' },
};

/** The fix when what cannot be written is in the cache. */
function cacheFix(target: string, code: string): string | undefined {
  const cache = cacheDir();
  if (!(target === cache || target.startsWith(cache + path.sep))) return undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `free some space there (df -h ${cache}), or point OXIDIZE_CACHE_DIR at another disk`;
  return `the cache directory ${cache} must be a writable directory: fix it, or point OXIDIZE_CACHE_DIR at another one`;
}

/** `e` as a user error about writing `target`, when it is a file-system failure the user can fix; else `e`. */
export function writeError(target: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? CAUSES[code] : undefined;
  if (!known) return e;
  const dir = path.dirname(target);
  const err = new OxidizeError('CANNOT_WRITE', `cannot write ${target}: ${known.cause(dir)} (${code})`, cacheFix(path.resolve(target), code!) ?? known.fix(dir));
  if (e instanceof Error) err.stack = e.stack;
  return err;
}

/**
 * A raw file-system error of oxidize's own code (a mkdir, open or rename
 * that names its path) as the one-line write error, when it is one the user
 * can fix; else undefined.
 */
export function fileSystemError(e: unknown): OxidizeError | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  if (!(err instanceof Error) || typeof err.path !== 'string' || typeof err.syscall !== 'string') return undefined;
  const mapped = writeError(err.path, err);
  return mapped instanceof OxidizeError ? mapped : undefined;
}
