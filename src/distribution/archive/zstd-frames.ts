/**
 * Streaming zstd decompression on top of @mongodb-js/zstd 1.2, whose API
 * only decompresses whole buffers: the compressed stream is cut at frame
 * boundaries (found from the frame and block headers, RFC 8878 section 3.1)
 * and each frame is decompressed on its own. Archives written by
 * `python-distribution-create` hold many small frames, so memory stays
 * bounded; a single-frame archive is decompressed in one piece.
 *
 * A stream that ends inside a frame is reported as truncated, before any
 * of that frame's bytes are handed on.
 */
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export class ZstdFormatError extends Error {}

/** Input chunks not yet consumed, read by absolute offset without concatenating. */
class Pending {
  private chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  byte(at: number): number {
    for (const c of this.chunks) {
      if (at < c.length) return c[at];
      at -= c.length;
    }
    throw new RangeError('past end');
  }

  uint(at: number, n: number): number {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.byte(at + i);
    return v;
  }

  /** Removes and returns the first `n` bytes. */
  take(n: number): Buffer {
    const all = Buffer.concat(this.chunks);
    this.chunks = n < all.length ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }
}

/** Where the frame at the start of `p` ends, or undefined while more input is needed. */
class FrameScanner {
  /** Position of the next header to read, relative to the frame start; 0 = magic. */
  private pos = 0;
  private state: 'magic' | 'blocks' = 'magic';
  private checksum = false;
  skippable = false;

  next(p: Pending): number | undefined {
    for (;;) {
      if (this.state === 'magic') {
        if (p.length < 5) return undefined;
        const magic = p.uint(0, 4);
        if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
          if (p.length < 8) return undefined;
          this.skippable = true;
          return 8 + p.uint(4, 4);
        }
        if (magic !== FRAME_MAGIC) throw new ZstdFormatError('not a zstd stream (bad frame magic)');
        const d = p.byte(4);
        const single = (d >> 5) & 1;
        const fcsFlag = d >> 6;
        this.checksum = ((d >> 2) & 1) === 1;
        const fcsSize = [single ? 1 : 0, 2, 4, 8][fcsFlag];
        const didSize = [0, 1, 2, 4][d & 3];
        this.pos = 5 + (single ? 0 : 1) + didSize + fcsSize;
        this.skippable = false;
        this.state = 'blocks';
      }
      if (p.length < this.pos + 3) return undefined;
      const h = p.uint(this.pos, 3);
      const last = h & 1;
      const type = (h >> 1) & 3;
      if (type === 3) throw new ZstdFormatError('corrupt zstd stream (reserved block type)');
      this.pos += 3 + (type === 1 ? 1 : h >>> 3);
      if (last) {
        const end = this.pos + (this.checksum ? 4 : 0);
        this.state = 'magic';
        this.pos = 0;
        return end;
      }
    }
  }
}

/** Decompresses a zstd stream frame by frame. */
export async function* decompressFrames(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const pending = new Pending();
  const scanner = new FrameScanner();
  let sawFrame = false;
  for await (const chunk of input) {
    pending.push(chunk);
    for (;;) {
      const end = scanner.next(pending);
      if (end === undefined || end > pending.length) break;
      const frame = pending.take(end);
      sawFrame = true;
      if (scanner.skippable) continue;
      try {
        yield await zstdDecompress(frame);
      } catch (e) {
        throw new ZstdFormatError(`corrupt zstd stream (${(e as Error).message})`);
      }
    }
  }
  if (pending.length > 0) throw new ZstdFormatError('truncated zstd stream (the file ends inside a frame)');
  if (!sawFrame) throw new ZstdFormatError('empty file, not a zstd stream');
}

/** Compresses `input` as a series of independent frames of about `frameSize` bytes each. */
export async function* compressFrames(input: AsyncIterable<Buffer>, level: number, frameSize = 8 << 20): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= frameSize) {
      yield await zstdCompress(Buffer.concat(parts), level);
      parts = [];
      size = 0;
    }
  }
  if (size > 0 || parts.length === 0) yield await zstdCompress(Buffer.concat(parts), level);
}
