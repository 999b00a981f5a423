/** The LZ4 block encoder of extension modules in memory, against its decoder and the format's rules. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compressLibraries } from '../../src/link/compress.js';
import { lz4Compress, lz4Decompress } from '../../src/link/lz4.js';
import { EntryFlag, EntryKind } from '../../src/payload/format.js';
import type { PayloadEntry } from '../../src/payload/writer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const roundTrip = (data: Uint8Array) => {
  const block = lz4Compress(data);
  assert.deepEqual(Buffer.from(lz4Decompress(block, data.length)), Buffer.from(data));
  return block;
};

/** The sequences of a block: [literals, match length, offset] (the last has no match). */
function sequences(block: Uint8Array): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let ip = 0;
  const length = (n: number) => {
    if (n === 15) for (let b = 255; b === 255; n += b) b = block[ip++];
    return n;
  };
  for (;;) {
    const token = block[ip++];
    const lit = length(token >> 4);
    ip += lit;
    if (ip >= block.length) {
      out.push([lit, 0, 0]);
      return out;
    }
    const offset = block[ip] | (block[ip + 1] << 8);
    ip += 2;
    out.push([lit, length(token & 15) + 4, offset]);
  }
}

test('LZ4 blocks decode to what was encoded: empty, tiny, random, runs, text, an ELF library', () => {
  for (const n of [0, 1, 5, 12, 13, 17, 64]) roundTrip(randomBytes(n));
  roundTrip(randomBytes(200_000));
  const zeros = roundTrip(new Uint8Array(100_000));
  assert.ok(zeros.length < 1000, 'a run compresses (overlapping matches)');
  const text = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(3000));
  assert.ok(roundTrip(text).length < text.length / 20);
  // Lengths of 15 and more in both fields, offsets up to the 64 KiB window.
  const mixed = Buffer.concat([randomBytes(70_000), Buffer.alloc(300, 7), randomBytes(20), Buffer.alloc(300, 7)]);
  roundTrip(Buffer.concat([mixed, mixed.subarray(100, 70_000)]));
  const elf = readFileSync(process.execPath).subarray(0, 2 << 20);
  assert.ok(roundTrip(elf).length < elf.length * 0.7, 'machine code compresses');
});

test('LZ4 blocks keep the format\'s end rules: the last 5 bytes are literals, no match starts in the last 12', () => {
  const data = Buffer.alloc(1000, 'ab');
  const seqs = sequences(lz4Compress(data));
  assert.ok(seqs[seqs.length - 1][0] >= 5);
  let at = 0;
  for (const [lit, len, offset] of seqs) {
    at += lit;
    if (!len) break;
    assert.ok(at <= data.length - 12, `a match starts at ${at}`);
    assert.ok(offset >= 1 && offset <= 65535);
    at += len;
  }
  assert.equal(at, data.length);
});

test('damaged LZ4 blocks throw instead of decoding to something else', () => {
  const block = lz4Compress(Buffer.from('hello hello hello hello hello hello'));
  assert.throws(() => lz4Decompress(block, 34));
  assert.throws(() => lz4Decompress(block.subarray(0, block.length - 1), 35));
  assert.throws(() => lz4Decompress(Uint8Array.from([0x10, 0x61, 0x05, 0x00, 0x00]), 10), /outside/);
});

test('extension modules and shared libraries in memory become LZ4 blocks with their length; files on disk and small ones stay', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-lz4-'));
  try {
    const lib = Buffer.alloc(10_000, 'x86 code ');
    const entries: PayloadEntry[] = [
      { kind: EntryKind.Extension, name: '_big', flags: 0, slots: [lib] },
      { kind: EntryKind.SharedLibrary, name: 'libz.so.1', flags: 0, slots: [lib] },
      { kind: EntryKind.Extension, name: '_small', flags: 0, slots: [Buffer.alloc(100)] },
      { kind: EntryKind.Extension, name: '_disk', flags: EntryFlag.Filesystem, slots: [Buffer.from('lib/_disk.so')] },
      { kind: EntryKind.PackageResource, name: 'p\0data', flags: 0, slots: [lib] },
    ];
    const stats = await compressLibraries(entries, cache);
    assert.equal(stats.count, 2);
    for (const e of entries.slice(0, 2)) {
      assert.equal(e.flags, EntryFlag.Lz4);
      const slot = Buffer.from(e.slots[0]!);
      assert.equal(slot.readUInt32LE(0), lib.length);
      assert.deepEqual(Buffer.from(lz4Decompress(slot.subarray(4), lib.length)), lib);
    }
    for (const e of entries.slice(2)) assert.equal(e.flags & EntryFlag.Lz4, 0, e.name);
    // Cached: a second build encodes nothing and gives the same bytes.
    const again: PayloadEntry[] = [{ kind: EntryKind.Extension, name: '_big', flags: 0, slots: [lib] }];
    await compressLibraries(again, cache);
    assert.deepEqual(Buffer.from(again[0].slots[0]!), Buffer.from(entries[0].slots[0]!));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
