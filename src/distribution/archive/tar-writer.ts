/**
 * Writes a tar stream entry by entry (ustar headers from the `tar` package,
 * a pax header first when a path is too long for ustar). Used to write
 * distribution archives and, in tests, to craft hostile ones.
 */
import { createReadStream } from 'node:fs';
import { Header, Pax } from 'tar';

export type TarEntry =
  | { type: 'File'; path: string; mode?: number; data: Buffer }
  | { type: 'File'; path: string; mode?: number; source: string; size: number }
  | { type: 'Directory'; path: string; mode?: number }
  | { type: 'SymbolicLink' | 'Link'; path: string; linkpath: string }
  | { type: 'CharacterDevice' | 'BlockDevice' | 'FIFO'; path: string };

/** Entries get a fixed time, so the same inputs give the same archive. */
const MTIME = new Date(0);

function size(e: TarEntry): number {
  if (e.type !== 'File') return 0;
  return 'data' in e ? e.data.length : e.size;
}

function header(e: TarEntry): Buffer[] {
  const mode = 'mode' in e && e.mode !== undefined ? e.mode : e.type === 'Directory' ? 0o755 : 0o644;
  const data = {
    path: e.path,
    type: e.type,
    mode,
    size: size(e),
    mtime: MTIME,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    linkpath: 'linkpath' in e ? e.linkpath : undefined,
  };
  const h = new Header(data);
  const out: Buffer[] = [];
  if (h.encode()) out.push(new Pax({ path: e.path, linkpath: data.linkpath, mtime: MTIME }).encode());
  out.push(h.block!);
  return out;
}

function padding(n: number): Buffer {
  const rest = n % 512;
  return Buffer.alloc(rest === 0 ? 0 : 512 - rest);
}

/** The tar bytes of `entries`, in order, ending with the two zero blocks. */
export async function* tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const e of entries) {
    yield* header(e);
    if (e.type !== 'File') continue;
    if ('data' in e) {
      yield e.data;
    } else {
      let written = 0;
      for await (const chunk of createReadStream(e.source)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== e.size) throw new Error(`${e.source} changed size while being archived`);
    }
    yield padding(size(e));
  }
  yield Buffer.alloc(1024);
}
