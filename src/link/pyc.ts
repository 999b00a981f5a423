/** `.pyc` files for modules installed next to the executable. */
import type { PythonDistribution } from '../distribution/types.js';
import type { OptimizeLevel } from '../resources/types.js';

/**
 * Fixed modification time of installed sources and of their .pyc headers:
 * keeps the output byte-identical across builds while Python's own
 * timestamp check (if its path finder reads these files) still passes.
 */
export const INSTALLED_SOURCE_MTIME = 315532800; // 1980-01-01

/** `__pycache__` path of a module file ("pkg/mod.py" -> "pkg/__pycache__/mod.cpython-311.pyc"). */
export function cachedPath(sourceRel: string, cacheTag: string, optimize: OptimizeLevel): string {
  const slash = sourceRel.lastIndexOf('/');
  const dir = slash < 0 ? '' : sourceRel.slice(0, slash + 1);
  const stem = sourceRel.slice(slash + 1).replace(/\.py$/, '');
  return `${dir}__pycache__/${stem}.${cacheTag}${optimize ? `.opt-${optimize}` : ''}.pyc`;
}

/** A timestamp-based .pyc: magic, flags 0, mtime, source size, marshalled code. */
export function pycBytes(dist: PythonDistribution, code: Uint8Array, sourceSize: number): Buffer {
  const header = Buffer.alloc(16);
  Buffer.from(dist.magic, 'hex').copy(header, 0);
  header.writeUInt32LE(0, 4);
  header.writeUInt32LE(INSTALLED_SOURCE_MTIME, 8);
  header.writeUInt32LE(sourceSize >>> 0, 12);
  return Buffer.concat([header, code]);
}
