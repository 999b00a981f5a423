/**
 * LZ4 block format (lz4.org's "LZ4 Block Format Description"), for the
 * extension modules and shared libraries held in memory: the runtime loads
 * those whenever they are imported, so they must come back fast. An LZ4 block
 * decodes at a few instructions per byte (zlib's inflate costs about 20 here,
 * a tenth of an import-heavy start-up's instructions when every extension
 * module was a zlib stream), and stores a trimmed extension module in under
 * half its size (zlib: under two fifths).
 *
 * The encoder takes at each position the longest of the matches found by
 * following a chain of earlier positions with the same 4-byte hash (as LZ4's
 * high-compression mode does), waits a byte when a longer match starts
 * there, extends the match backwards, and keeps the end-of-block rules (the
 * last five bytes are literals, no match starts in the last twelve). Longer
 * matches make fewer sequences: smaller, and faster to decode. The decoder
 * here is the one `analyze` uses; the runtime has its own in Rust (runtime-rust/src/lz4.rs).
 */

/** Names the encoder in cache keys: change it when the encoder's output changes. */
export const LZ4_ENCODER = 'lz4-chain16-lazy1';

const MIN_MATCH = 4;
const MAX_OFFSET = 65535;
const HASH_LOG = 16;
/** Earlier positions with the same hash are kept for the window's length. */
const WINDOW_MASK = 0xffff;
/** How many of them are tried for the longest match. */
const SEARCH_DEPTH = 16;
/** No match starts closer than this to the end of the block. */
const MF_LIMIT = 12;
/** Nor covers the last bytes. */
const LAST_LITERALS = 5;

function writeLength(out: Uint8Array, op: number, extra: number): number {
  while (extra >= 255) {
    out[op++] = 255;
    extra -= 255;
  }
  out[op++] = extra;
  return op;
}

/** `src` as one LZ4 block. */
export function lz4Compress(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  const table = new Int32Array(1 << HASH_LOG).fill(-1);
  const read32 = (p: number) => (src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24)) >>> 0;
  const hash = (v: number) => Math.imul(v, 2654435761) >>> (32 - HASH_LOG);
  let op = 0;
  let anchor = 0;

  const sequence = (literalEnd: number, offset: number, matchLen: number) => {
    const lit = literalEnd - anchor;
    const ml = matchLen - MIN_MATCH;
    out[op++] = (Math.min(lit, 15) << 4) | (matchLen ? Math.min(ml, 15) : 0);
    if (lit >= 15) op = writeLength(out, op, lit - 15);
    out.set(src.subarray(anchor, literalEnd), op);
    op += lit;
    if (!matchLen) return;
    out[op++] = offset & 0xff;
    out[op++] = offset >> 8;
    if (ml >= 15) op = writeLength(out, op, ml - 15);
  };

  const matchStartLimit = n - MF_LIMIT;
  const matchEndLimit = n - LAST_LITERALS;
  // prev[p & WINDOW_MASK]: the last position before p with the same hash.
  const prev = new Int32Array(WINDOW_MASK + 1);
  let indexed = 0;
  const index = (upTo: number) => {
    for (; indexed < upTo; indexed++) {
      const h = hash(read32(indexed));
      prev[indexed & WINDOW_MASK] = table[h];
      table[h] = indexed;
    }
  };
  /** The longest match for position p: [length, position], length 0 for none. */
  const longest = (p: number): [number, number] => {
    index(p);
    const v = read32(p);
    let best = 0;
    let bestRef = -1;
    let ref = table[hash(v)];
    for (let depth = 0; depth < SEARCH_DEPTH && ref >= 0 && p - ref <= MAX_OFFSET; depth++) {
      if (read32(ref) === v) {
        let len = MIN_MATCH;
        while (p + len < matchEndLimit && src[p + len] === src[ref + len]) len++;
        if (len > best) {
          best = len;
          bestRef = ref;
        }
      }
      ref = prev[ref & WINDOW_MASK];
    }
    return [best, bestRef];
  };
  let ip = 0;
  while (ip < matchStartLimit) {
    let [best, bestRef] = longest(ip);
    if (!best) {
      ip++;
      continue;
    }
    // Lazy: a longer match starting one byte later is worth a literal.
    while (ip + 1 < matchStartLimit) {
      const [next, nextRef] = longest(ip + 1);
      if (next <= best) break;
      ip++;
      best = next;
      bestRef = nextRef;
    }
    let start = ip;
    let from = bestRef;
    while (start > anchor && from > 0 && src[start - 1] === src[from - 1]) {
      start--;
      from--;
    }
    const end = ip + best;
    sequence(start, start - from, end - start);
    anchor = end;
    ip = end;
  }
  sequence(n, 0, 0);
  return out.slice(0, op);
}

/** The `size` bytes an LZ4 block holds; throws on a block that is not one. */
export function lz4Decompress(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let ip = 0;
  let op = 0;
  const length = (base: number): number => {
    if (base !== 15) return base;
    let n = base;
    for (;;) {
      if (ip >= src.length) throw new Error('LZ4 block ends inside a length');
      const b = src[ip++];
      n += b;
      if (b !== 255) return n;
    }
  };
  for (;;) {
    if (ip >= src.length) throw new Error('LZ4 block ends before its last literals');
    const token = src[ip++];
    const lit = length(token >> 4);
    if (ip + lit > src.length || op + lit > size) throw new Error('LZ4 literals run past the block');
    out.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    if (ip === src.length) break;
    if (ip + 2 > src.length) throw new Error('LZ4 block ends inside an offset');
    const offset = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    const matchLen = length(token & 15) + MIN_MATCH;
    if (offset === 0 || offset > op || op + matchLen > size) throw new Error('LZ4 match outside the output');
    for (let k = 0; k < matchLen; k++) out[op + k] = out[op - offset + k];
    op += matchLen;
  }
  if (op !== size) throw new Error(`LZ4 block holds ${op} bytes, not ${size}`);
  return out;
}
