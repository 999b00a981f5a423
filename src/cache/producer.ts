/**
 * The digest of the code that produces a cache's entries (a Python helper
 * the build runs, the compiled module of an encoder), for the entries' keys:
 * an entry written by another version of that code is never found by this
 * one, even when the bytes it was made from are the same. The last CI
 * failure was such an entry (an import-scan index of an older scanner).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const known = new Map<string, string>();

/** SHA-256 (hex, 16 digits) of the files' contents, in order; read once per process. */
export function producerDigest(files: ReadonlyArray<string | URL>): string {
  const paths = files.map((f) => (f instanceof URL ? fileURLToPath(f) : f));
  const id = paths.join('\0');
  let digest = known.get(id);
  if (digest === undefined) {
    const h = createHash('sha256');
    for (const p of paths) h.update(p.split('/').pop()!).update('\0').update(readFileSync(p)).update('\0');
    digest = h.digest('hex').slice(0, 16);
    known.set(id, digest);
  }
  return digest;
}
