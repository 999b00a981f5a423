/**
 * `cachedEntry` as the plugin API offers it: the same function with its
 * types in plain `Uint8Array`, so the package's declarations compile in a
 * project without @types/node (a Buffer is a Uint8Array).
 */
import { cachedEntry as cachedEntryImpl } from './entry.js';

export interface CachedEntryOptions {
  /** Extra check of the data (e.g. "is an ELF executable"); returns why it is unusable, or nothing. */
  check?: (data: Uint8Array) => string | undefined;
  /** Told, in one line, when a damaged entry is thrown away and rebuilt. */
  warn?: (message: string) => void;
  /** What the entry is, for the warning ("runtime stub", "pip result"). */
  what?: string;
}

/**
 * The verified cache entry at `file`, or `build()`'s result written there
 * (atomically, with its SHA-256); a damaged entry is reported and rebuilt.
 */
export function cachedEntry(file: string, build: () => Promise<Uint8Array>, options: CachedEntryOptions = {}): Promise<{ data: Uint8Array; built: boolean }> {
  return cachedEntryImpl(file, build, options);
}
