/**
 * Names and patterns of the config that match nothing packed (a
 * `resourceLocations` key, an `exclude` or `include` pattern, a glob): the
 * build warns, naming the key and, when one is near, the name meant.
 * Warnings, not errors: a pattern may rightly match nothing with another
 * distribution or on another platform (`exclude: ['tkinter']`).
 */
import * as path from 'node:path';
import { didYouMean } from './shape.js';
import { keyPath, type ConfigPlace } from './validate.js';

function shortFile(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** A warning about one config value: `pyoxidizer.config.ts: targets.exe → packagingPolicy.exclude[0] ...; hint`. */
export function configWarning(place: ConfigPlace, keys: readonly (string | number)[], message: string, hint?: string): string {
  return `${place.file ? `${shortFile(place.file)}: ` : ''}${keyPath(place, keys)} ${message}${hint ? `; ${hint}` : ''}`;
}

/** Edits allowed for a suggestion: one for short names (a near short name is often another module), else two. */
const reach = (name: string) => (name.length <= 4 ? 1 : 2);

/**
 * The name meant by a module name or pattern that matches nothing, among
 * `names`: `tkinterr` → `tkinter`, `app.plugin.*` → `app.plugins.*`.
 * Undefined for other patterns with `*`, or when nothing is near.
 */
export function suggestName(pattern: string, names: Iterable<string>): string | undefined {
  const subtree = pattern.endsWith('.*') ? pattern.slice(0, -2) : undefined;
  const base = subtree ?? pattern;
  if (base.includes('*') || base === '') return undefined;
  const near = didYouMean(base, names, reach(base));
  return near === undefined ? undefined : subtree !== undefined ? `${near}.*` : near;
}
