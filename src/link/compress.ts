/**
 * Cold data stored compressed: module sources (read only for tracebacks and
 * `inspect`), package resources and distribution metadata go into the
 * payload as zlib streams, flagged `compressed`, and the runtime inflates them
 * on first read with the packed `zlib` module. Bytecode is not compressed:
 * imported code is served zero-copy from the mapping.
 *
 * Extension modules and shared libraries are not cold: the runtime copies one
 * into a memory file each time it is imported. They are stored as LZ4 blocks
 * (flag `lz4`), which the runtime decodes itself at a few instructions a
 * byte; inflating them cost a tenth of an import-heavy start-up.
 *
 * Compressing is done with Node's zlib at level 9 (and the LZ4 encoder of
 * `lz4.ts`), cached by content hash, so a warm build compresses nothing.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { deflate, constants } from 'node:zlib';
import { LZ4_ENCODER, lz4Compress } from './lz4.js';
import { cachedEntry } from '../cache/entry.js';
import { producerDigest } from '../cache/producer.js';
import { DATA_SLOT, EntryFlag, EntryKind, ModuleSlot } from '../payload/format.js';
import type { PayloadEntry } from '../payload/writer.js';

const deflateAsync = promisify(deflate);

/** Smaller than this share of the original, or not worth an inflate on first use. */
const WORTH = 0.9;
/** Below this size, a stream's header and the call cost more than they save. */
const MIN_SIZE = 256;

function coldSlot(e: PayloadEntry): number | undefined {
  if (e.flags & EntryFlag.Filesystem) return undefined;
  switch (e.kind) {
    case EntryKind.Module: {
      // A module without bytecode compiles its source when imported: that source is not cold.
      const hasBytecode = [ModuleSlot.Bytecode, ModuleSlot.BytecodeOpt1, ModuleSlot.BytecodeOpt2].some((s) => e.slots[s] !== undefined);
      return hasBytecode && e.slots[ModuleSlot.Source] !== undefined ? ModuleSlot.Source : undefined;
    }
    case EntryKind.PackageResource:
    case EntryKind.DistributionResource:
      return e.slots[DATA_SLOT] !== undefined ? DATA_SLOT : undefined;
    default:
      return undefined;
  }
}

/** This module (the framing of both kinds of entry) and the LZ4 encoder: entries of other versions are not found. */
const DEFLATE_PRODUCER = [new URL(import.meta.url)];
const LZ4_PRODUCER = [new URL(import.meta.url), new URL('./lz4.js', import.meta.url)];

function deflated(cacheDir: string, data: Uint8Array, warn?: (m: string) => void): Promise<Buffer> {
  const key = createHash('sha256').update(`zlib-9\0${producerDigest(DEFLATE_PRODUCER)}\0`).update(data).digest('hex');
  return cachedEntry(path.join(cacheDir, 'deflate', key.slice(0, 2), key), () => deflateAsync(data, { level: constants.Z_BEST_COMPRESSION }), {
    what: 'compressed data',
    warn,
    check: (z) => (z.length >= 6 && (z[0] & 0x0f) === 8 && ((z[0] << 8) | z[1]) % 31 === 0 ? undefined : 'it is not a zlib stream'),
  }).then((r) => r.data);
}

export interface CompressionStats {
  /** Slots stored compressed. */
  count: number;
  /** Their size before and after. */
  before: number;
  after: number;
}

/**
 * Compresses the cold slots of `entries` in place (slot 0 only, the one the
 * `compressed` flag covers) where it saves at least a tenth.
 */
export async function compressColdData(entries: PayloadEntry[], cacheDir: string, warn?: (m: string) => void): Promise<CompressionStats> {
  const stats: CompressionStats = { count: 0, before: 0, after: 0 };
  await Promise.all(
    entries.map(async (e, i) => {
      const slot = coldSlot(e);
      if (slot !== DATA_SLOT) return; // the flag covers slot 0 (a module's source, a resource's data)
      const data = e.slots[slot]!;
      if (data.length < MIN_SIZE) return;
      const packed = await deflated(cacheDir, data, warn);
      if (packed.length > data.length * WORTH) return;
      const slots = [...e.slots];
      slots[slot] = packed;
      entries[i] = { ...e, flags: e.flags | EntryFlag.Compressed, slots };
      stats.count++;
      stats.before += data.length;
      stats.after += packed.length;
    }),
  );
  return stats;
}

function lz4Packed(cacheDir: string, data: Uint8Array, warn?: (m: string) => void): Promise<Buffer> {
  const key = createHash('sha256').update(`${LZ4_ENCODER}\0${producerDigest(LZ4_PRODUCER)}\0`).update(data).digest('hex');
  return cachedEntry(
    path.join(cacheDir, 'lz4', key.slice(0, 2), key),
    async () => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(data.length);
      return Buffer.concat([length, lz4Compress(data)]);
    },
    { what: 'compressed library', warn, check: (b) => (b.length >= 4 && b.readUInt32LE(0) === data.length ? undefined : `it is not an LZ4 block of ${data.length} bytes`) },
  ).then((r) => r.data);
}

/**
 * Stores the extension modules and shared libraries held in memory as LZ4
 * blocks (flag `lz4`) where that saves at least a tenth. The runtime decodes
 * them itself, so this does not depend on `zlib` being packed.
 */
export async function compressLibraries(entries: PayloadEntry[], cacheDir: string, warn?: (m: string) => void): Promise<CompressionStats> {
  const stats: CompressionStats = { count: 0, before: 0, after: 0 };
  await Promise.all(
    entries.map(async (e, i) => {
      if (e.flags & EntryFlag.Filesystem || (e.kind !== EntryKind.Extension && e.kind !== EntryKind.SharedLibrary)) return;
      const data = e.slots[DATA_SLOT];
      if (data === undefined || data.length < MIN_SIZE || data.length > 0xffffffff) return;
      const packed = await lz4Packed(cacheDir, data, warn);
      if (packed.length > data.length * WORTH) return;
      const slots = [...e.slots];
      slots[DATA_SLOT] = packed;
      entries[i] = { ...e, flags: e.flags | EntryFlag.Lz4, slots };
      stats.count++;
      stats.before += data.length;
      stats.after += packed.length;
    }),
  );
  return stats;
}
