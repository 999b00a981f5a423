/**
 * Checks that paths the build writes or removes stay inside the output
 * directory, by their text and by where their parent directory really is
 * (a symbolic link on the way could lead anywhere).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';

function within(root: string, p: string): boolean {
  return p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The absolute path of `rel` (a '/'-separated relative path) under `root`, or
 * why it is not one: absolute, with `..`, `.` or empty parts, or NUL bytes.
 */
export function childPath(root: string, rel: string): { path: string } | { problem: string } {
  if (rel.includes('\0')) return { problem: 'it holds a NUL byte' };
  if (rel.startsWith('/') || path.isAbsolute(rel)) return { problem: 'it is absolute' };
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return { problem: 'it has empty, . or .. parts' };
  return { path: path.join(root, ...parts) };
}

/**
 * Whether `target`'s parent directory, symbolic links resolved, lies inside
 * `root` (which must exist). A parent not made yet is judged by its deepest
 * existing ancestor, so a link on the way is caught before mkdir follows it.
 */
export async function parentInside(root: string, target: string): Promise<boolean> {
  const realRoot = await fsp.realpath(root);
  let dir = path.dirname(path.resolve(target));
  for (;;) {
    const real = await fsp.realpath(dir).catch(() => undefined);
    if (real !== undefined) return real === realRoot || within(realRoot, real);
    // Exists but does not resolve: a dangling link, which mkdir would follow.
    if (await fsp.lstat(dir).then(() => true, () => false)) return false;
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

/** Throws unless `target` (about to be written) lies inside `root`, also once links are resolved. */
export async function assertWritableInside(root: string, target: string): Promise<void> {
  const resolved = path.resolve(target);
  if (!within(path.resolve(root), resolved) || !(await parentInside(root, resolved))) {
    throw new OxidizeError(
      'PATH_OUTSIDE_OUTPUT',
      `refusing to write ${target}: it lies outside the output directory ${root} (through '..' or a symbolic link)`,
      'remove the symbolic link from the output directory, or fix the name that leads out of it',
    );
  }
}
