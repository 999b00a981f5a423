/**
 * CRC32C (Castagnoli), the checksum of the payload format. The Rust reader
 * (`runtime-rust/src/hash.rs`) computes the same with the CPU's `crc32`
 * instruction. Node's `zlib.crc32` is a different polynomial (CRC-32/ISO-HDLC),
 * so this is a slicing-by-8 table implementation: eight bytes per step.
 */
const POLY = 0x82f63b78;

/** `TABLES[k * 256 + b]`: the CRC of byte `b` followed by `k` zero bytes. */
const TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = t[(k - 1) * 256 + b];
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
})();

export function crc32c(data: Uint8Array): number {
  const t = TABLES;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.length;
  const end8 = len & ~7;
  let crc = ~0;
  let i = 0;
  for (; i < end8; i += 8) {
    const lo = crc ^ view.getInt32(i, true);
    const hi = view.getInt32(i + 4, true);
    crc =
      t[1792 + (lo & 0xff)] ^
      t[1536 + ((lo >>> 8) & 0xff)] ^
      t[1280 + ((lo >>> 16) & 0xff)] ^
      t[1024 + (lo >>> 24)] ^
      t[768 + (hi & 0xff)] ^
      t[512 + ((hi >>> 8) & 0xff)] ^
      t[256 + ((hi >>> 16) & 0xff)] ^
      t[hi >>> 24];
  }
  for (; i < len; i++) crc = (crc >>> 8) ^ t[(crc ^ data[i]) & 0xff];
  return ~crc >>> 0;
}
