/**
 * File patterns for install layouts: `*` (within a path segment), `?`, and
 * `**` (any number of directories). Node 20 has no fs.glob, and the rules
 * here are few enough to state: patterns are '/'-separated and relative to a
 * base directory; hidden files match like any other; directories are walked
 * without following symbolic links to directories.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { didYouMean } from '../config/shape.js';

/** A RegExp matching the whole '/'-separated relative path. */
export function patternToRegExp(pattern: string): RegExp {
  let re = '';
  const p = pattern.replace(/^\.\//, '');
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      // '**/' matches zero or more directories; a trailing '**' anything below.
      if (p[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The directory part of a pattern before its first wildcard: where walking starts. */
function staticPrefix(pattern: string): string {
  const parts = pattern.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/');
}

async function walk(base: string, rel: string, out: string[]): Promise<void> {
  const entries = await fsp.readdir(path.join(base, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(base, child, out);
    else if (e.isFile() || e.isSymbolicLink()) out.push(child);
  }
}

/**
 * Files under `base` matching any of `include` and none of `exclude`, as
 * sorted '/'-separated paths relative to `base`.
 */
export async function globFiles(base: string, include: readonly string[], exclude: readonly string[] = [], unmatched?: string[]): Promise<string[]> {
  const found = new Set<string>();
  const excluded = exclude.map(patternToRegExp);
  for (const pattern of include) {
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..')) {
      throw new Error(`glob pattern ${JSON.stringify(pattern)} must be relative to the config's directory and stay inside it`);
    }
    const re = patternToRegExp(pattern);
    const files: string[] = [];
    await walk(base, staticPrefix(pattern), files);
    let matched = false;
    for (const f of files) {
      if (!re.test(f)) continue;
      matched = true;
      if (!excluded.some((x) => x.test(f))) found.add(f);
    }
    // `unmatched` collects the patterns that match no file at all (not those whose matches were all excluded).
    if (!matched) unmatched?.push(pattern);
  }
  return [...found].sort();
}

/**
 * The pattern meant by one that matches nothing, when a fixed part of it
 * names no file and a near name is there: `statc/**` → `static/**`.
 */
export async function globSuggestion(base: string, pattern: string): Promise<string | undefined> {
  const parts = pattern.replace(/^\.\//, '').split('/');
  let dir = base;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (/[*?]/.test(part) || part === '') return undefined;
    const next = path.join(dir, part);
    if (await fsp.lstat(next).then(() => true, () => false)) {
      dir = next;
      continue;
    }
    const near = didYouMean(part, await fsp.readdir(dir).catch(() => []), part.length <= 4 ? 1 : 2);
    return near === undefined ? undefined : [...parts.slice(0, i), near, ...parts.slice(i + 1)].join('/');
  }
  return undefined;
}
