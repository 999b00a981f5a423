/**
 * Writes the payload appended to the runtime stub. The only TypeScript
 * module that knows the byte layout, which is (little-endian throughout):
 *
 *   payload := header(72) config index strings blobs
 *   header  := magic "OXPAYLD\0" | u32 version | u32 entry count
 *              | u64 config offset | u64 config length | u64 index offset
 *              | u64 strings offset | u64 strings length
 *              | u64 blobs offset | u64 blobs length        (offsets from payload start)
 *   config  := record*, record := u16 key | u16 0 | u32 length | bytes
 *   index   := entry*, sorted by (kind, name bytes); entry (64 bytes) :=
 *              u32 name offset | u32 name length (into strings) | u8 kind | u8 flags
 *              | u16 0 | u32 0 | 4 × (u32 blob offset | u32 length | u32 crc32c)
 *   trailer := u64 payload offset (in file) | u64 payload length
 *              | u32 crc32c of payload[0, blobs offset) | u32 version | "OXIDIZE\x1a"
 *
 * The output depends only on the inputs: entries are sorted, nothing hashes
 * in iteration order, so an unchanged build is byte-identical.
 */
import { crc32c } from './hash.js';
import {
  ConfigKey, ENTRY_LEN, EntryKind, FORMAT_VERSION, HEADER_LEN, HEADER_MAGIC, RunModeCode, SLOTS,
  SLOT_ABSENT, TRAILER_LEN, TRAILER_MAGIC,
} from './format.js';

export interface PayloadEntry {
  kind: EntryKind;
  /** Lookup key; package and distribution resources use `owner + "\0" + path`. */
  name: string;
  flags: number;
  /** Up to four slots; `undefined` is an empty slot. */
  slots: ReadonlyArray<Uint8Array | undefined>;
}

export interface PayloadConfig {
  runMode: RunModeCode;
  runArg: string;
  sysPaths: readonly string[];
  settings: ReadonlyArray<readonly [number, number]>;
  stringSettings: ReadonlyArray<readonly [number, string]>;
}

function record(key: ConfigKey, value: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(key, 0);
  head.writeUInt32LE(value.length, 4);
  return Buffer.concat([head, value]);
}

export function encodeConfig(c: PayloadConfig): Buffer {
  const parts = [record(ConfigKey.RunMode, Buffer.from([c.runMode])), record(ConfigKey.RunArg, Buffer.from(c.runArg))];
  for (const p of c.sysPaths) parts.push(record(ConfigKey.SysPath, Buffer.from(p)));
  for (const [id, value] of c.settings) {
    const v = Buffer.alloc(6);
    v.writeUInt16LE(id, 0);
    v.writeInt32LE(value, 2);
    parts.push(record(ConfigKey.Setting, v));
  }
  for (const [id, value] of c.stringSettings) {
    const v = Buffer.alloc(2);
    v.writeUInt16LE(id, 0);
    parts.push(record(ConfigKey.StringSetting, Buffer.concat([v, Buffer.from(value)])));
  }
  return Buffer.concat(parts);
}

function compareEntries(a: { kind: number; key: Buffer }, b: { kind: number; key: Buffer }): number {
  return a.kind - b.kind || Buffer.compare(a.key, b.key);
}

/**
 * Serializes entries and config into payload chunks followed by the trailer,
 * for a payload that will start at `payloadOffset` in the executable.
 * Returns the chunks to write in order, so large blobs are not copied.
 */
export function serializePayload(entries: readonly PayloadEntry[], config: PayloadConfig, payloadOffset: number): Buffer[] {
  const sorted = entries
    .map((e) => ({ ...e, key: Buffer.from(e.name, 'utf8') }))
    .sort(compareEntries);
  for (let i = 1; i < sorted.length; i++) {
    if (compareEntries(sorted[i - 1], sorted[i]) === 0) {
      throw new Error(`duplicate payload entry ${EntryKind[sorted[i].kind]} ${JSON.stringify(sorted[i].name)}`);
    }
  }
  const configBytes = encodeConfig(config);
  const strings: Buffer[] = [];
  const blobs: Uint8Array[] = [];
  let stringsLen = 0;
  let blobsLen = 0;
  const index = Buffer.alloc(sorted.length * ENTRY_LEN);
  sorted.forEach((e, i) => {
    const at = i * ENTRY_LEN;
    index.writeUInt32LE(stringsLen, at);
    index.writeUInt32LE(e.key.length, at + 4);
    strings.push(e.key);
    stringsLen += e.key.length;
    index.writeUInt8(e.kind, at + 8);
    index.writeUInt8(e.flags, at + 9);
    for (let s = 0; s < SLOTS; s++) {
      const data = e.slots[s];
      const slotAt = at + 16 + s * 12;
      if (data === undefined) {
        index.writeUInt32LE(SLOT_ABSENT, slotAt);
        continue;
      }
      if (blobsLen + data.length >= SLOT_ABSENT) throw new Error('payload blobs exceed 4 GiB');
      index.writeUInt32LE(blobsLen, slotAt);
      index.writeUInt32LE(data.length, slotAt + 4);
      index.writeUInt32LE(crc32c(data), slotAt + 8);
      blobs.push(data);
      blobsLen += data.length;
    }
  });
  const configOffset = HEADER_LEN;
  const indexOffset = configOffset + configBytes.length;
  const stringsOffset = indexOffset + index.length;
  const blobsOffset = stringsOffset + stringsLen;
  const header = Buffer.alloc(HEADER_LEN);
  HEADER_MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(sorted.length, 12);
  header.writeBigUInt64LE(BigInt(configOffset), 16);
  header.writeBigUInt64LE(BigInt(configBytes.length), 24);
  header.writeBigUInt64LE(BigInt(indexOffset), 32);
  header.writeBigUInt64LE(BigInt(stringsOffset), 40);
  header.writeBigUInt64LE(BigInt(stringsLen), 48);
  header.writeBigUInt64LE(BigInt(blobsOffset), 56);
  header.writeBigUInt64LE(BigInt(blobsLen), 64);
  const meta = Buffer.concat([header, configBytes, index, ...strings]);
  const trailer = Buffer.alloc(TRAILER_LEN);
  trailer.writeBigUInt64LE(BigInt(payloadOffset), 0);
  trailer.writeBigUInt64LE(BigInt(meta.length + blobsLen), 8);
  trailer.writeUInt32LE(crc32c(meta), 16);
  trailer.writeUInt32LE(FORMAT_VERSION, 20);
  TRAILER_MAGIC.copy(trailer, 24);
  return [meta, ...blobs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)), trailer];
}
