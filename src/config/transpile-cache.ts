/**
 * The config's TypeScript (and the user's files it imports) transpiled by
 * jiti's Babel transform, cached as verified entries (`src/cache/entry.ts`):
 * a truncated, edited or replaced file is transpiled again, never run.
 *
 * An entry is keyed by everything that decides the output: the source, its
 * file name, the transform's options and jiti's version (so an upgrade of
 * jiti, whose Babel set-up makes the code, never reuses an older one's).
 * Writing the cache is best effort: an unwritable cache directory costs the
 * transpiling, not the build.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TransformOptions, TransformResult } from 'jiti';
import { readEntrySync, writeEntrySync } from '../cache/entry.js';

type Transform = (opts: TransformOptions) => TransformResult;

/** jiti's installed version, read from its package.json (which it exports). */
function jitiVersion(require: NodeRequire): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('jiti/package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** jiti's Babel transform, loaded on first use (it is most of jiti's start-up cost). */
function babelTransform(require: NodeRequire): Transform {
  let loaded: Transform | undefined;
  return (opts) => {
    // Not an exported path of the package: required by its file name, as jiti's own entry does.
    loaded ??= require(path.join(path.dirname(require.resolve('jiti')), '../dist/babel.cjs')) as Transform;
    return loaded(opts);
  };
}

/** JSON with object keys sorted at every level (options of equal meaning, equal text). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export interface TranspileCache {
  /** The `transform` to give jiti. */
  readonly transform: Transform;
  /** Results taken from the cache so far. */
  readonly hits: number;
  /** From now on, transpile everything again and replace the entries. */
  refresh(): void;
}

/**
 * A jiti `transform` that keeps its results under `dir`. An entry is
 * believed while its digest holds; code that then fails to parse (an entry
 * written by something else under the same name) is the caller's to retry
 * with `refresh()`.
 */
export function transpileCache(dir: string, require: NodeRequire, transform: Transform = babelTransform(require)): TranspileCache {
  const version = jitiVersion(require);
  let hits = 0;
  let fresh = false;
  return {
    get hits() {
      return hits;
    },
    refresh() {
      fresh = true;
    },
    transform(opts) {
      const { source, ...options } = opts;
      const key = createHash('sha256').update(`jiti ${version}\0`).update(stableJson(options)).update('\0').update(source).digest('hex');
      const file = path.join(dir, key.slice(0, 2), `${key}.entry`);
      const found = fresh ? undefined : readEntrySync(file);
      if (found?.status === 'ok') {
        hits++;
        return { code: found.data.toString('utf8') };
      }
      const result = transform(opts);
      // A failed transform carries its error in the code: not kept, as jiti does.
      if (result.error === undefined && !result.code.includes('__JITI_ERROR__')) {
        try {
          writeEntrySync(file, Buffer.from(result.code, 'utf8'));
        } catch {
          // A cache that cannot be written: transpile again next time.
        }
      }
      return result;
    },
  };
}
