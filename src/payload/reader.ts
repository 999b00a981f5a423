/**
 * Reads the payload of an oxidize executable: the inverse of `writer.ts`
 * (whose header comment gives the byte layout). `oxidize analyze` uses it;
 * the runtime has its own reader in Rust. Every offset is bounds-checked,
 * so a damaged file is an error, never a crash or a read past the end.
 */
import { sectionByName } from '../analyze/elf.js';
import { crc32c } from './hash.js';
import {
  ConfigKey, ENTRY_LEN, EntryKind, HEADER_LEN, HEADER_MAGIC, PAYLOAD_SECTION, SLOTS, SLOT_ABSENT, TRAILER_LEN, TRAILER_MAGIC,
} from './format.js';

export interface PayloadSlot {
  /** Offset in the blobs section. */
  offset: number;
  length: number;
  checksum: number;
}

export interface ReadEntry {
  kind: EntryKind;
  name: string;
  flags: number;
  slots: ReadonlyArray<PayloadSlot | undefined>;
}

export interface ConfigRecord {
  key: number;
  value: Buffer;
}

export interface ReadPayload {
  /** Where the payload starts in the file (the runtime stub's size). */
  payloadOffset: number;
  payloadLength: number;
  version: number;
  /** Whether the metadata checksum in the trailer matches. */
  metadataVerified: boolean;
  config: ConfigRecord[];
  entries: ReadEntry[];
  /** The blobs section (a view into the file's bytes). */
  blobs: Buffer;
}

export class PayloadFormatError extends Error {}

function endsWithTrailer(bytes: Uint8Array): boolean {
  return bytes.length >= TRAILER_LEN && Buffer.from(bytes.subarray(bytes.length - 8)).equals(TRAILER_MAGIC);
}

/**
 * Where payload and trailer are: at the end of the file, or, in a file
 * `strip` rewrote, in the `.oxidize` section, whose start is the payload's
 * start (the trailer's offset field is then stale).
 */
function locate(file: Buffer): { start?: number; region: Buffer } | { problem: string } | undefined {
  if (endsWithTrailer(file)) return { region: file };
  const section = sectionByName(file, PAYLOAD_SECTION);
  if (!section) return undefined;
  // The section table names a payload that is not whole: a truncated or overwritten executable, not a plain ELF file.
  if (section.offset + section.size > file.length) return { problem: `its ${PAYLOAD_SECTION} section runs past the end of the file (truncated)` };
  const region = file.subarray(section.offset, section.offset + section.size);
  return endsWithTrailer(region) ? { start: section.offset, region } : { problem: `its ${PAYLOAD_SECTION} section does not end with an oxidize trailer (damaged)` };
}

/** Whether `file` carries an oxidize payload (it may still be damaged). */
export function hasPayload(file: Uint8Array): boolean {
  return locate(Buffer.from(file.buffer, file.byteOffset, file.byteLength)) !== undefined;
}

function fail(what: string): never {
  throw new PayloadFormatError(what);
}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`value at ${at} is out of range`);
  return Number(v);
}

function readConfig(bytes: Buffer): ConfigRecord[] {
  const out: ConfigRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) fail('config record header runs past the config section');
    const key = bytes.readUInt16LE(at);
    const len = bytes.readUInt32LE(at + 4);
    if (at + 8 + len > bytes.length) fail('config record runs past the config section');
    out.push({ key, value: bytes.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}

/** Parses the payload of an executable's bytes; throws PayloadFormatError when it is missing or damaged. */
export function readPayload(fileBytes: Uint8Array): ReadPayload {
  const file = Buffer.from(fileBytes.buffer, fileBytes.byteOffset, fileBytes.byteLength);
  const where = locate(file);
  if (!where) fail(`no oxidize payload (no trailer at the end of the file, no ${PAYLOAD_SECTION} section)`);
  if ('problem' in where) fail(where.problem);
  const { region } = where;
  const t = region.subarray(region.length - TRAILER_LEN);
  const payloadLength = u64(t, 8);
  const payloadOffset = where.start ?? u64(t, 0);
  const metaChecksum = t.readUInt32LE(16);
  const version = t.readUInt32LE(20);
  const expectedEnd = (where.start === undefined ? 0 : where.start) + region.length - TRAILER_LEN;
  if (payloadOffset + payloadLength !== expectedEnd) fail('the payload length does not match the file size (truncated or appended to)');
  const p = file.subarray(payloadOffset, payloadOffset + payloadLength);
  if (p.length < HEADER_LEN || !p.subarray(0, 8).equals(HEADER_MAGIC)) fail('the payload header is missing');
  const count = p.readUInt32LE(12);
  const [configOffset, configLength, indexOffset, stringsOffset, stringsLength, blobsOffset, blobsLength] = [16, 24, 32, 40, 48, 56, 64].map((at) => u64(p, at));
  const within = (off: number, len: number) => off >= 0 && len >= 0 && off + len <= p.length;
  if (!within(configOffset, configLength) || !within(indexOffset, count * ENTRY_LEN) || !within(stringsOffset, stringsLength) || !within(blobsOffset, blobsLength)) {
    fail('a payload section lies outside the payload');
  }
  const metadataVerified = crc32c(p.subarray(0, blobsOffset)) === metaChecksum;
  const strings = p.subarray(stringsOffset, stringsOffset + stringsLength);
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = indexOffset + i * ENTRY_LEN;
    const nameOff = p.readUInt32LE(at);
    const nameLen = p.readUInt32LE(at + 4);
    if (nameOff + nameLen > strings.length) fail(`entry ${i}'s name lies outside the strings`);
    const slots: Array<PayloadSlot | undefined> = [];
    for (let s = 0; s < SLOTS; s++) {
      const slotAt = at + 16 + s * 12;
      const offset = p.readUInt32LE(slotAt);
      if (offset === SLOT_ABSENT) {
        slots.push(undefined);
        continue;
      }
      const length = p.readUInt32LE(slotAt + 4);
      if (offset + length > blobsLength) fail(`entry ${i}'s data lies outside the blobs`);
      slots.push({ offset, length, checksum: p.readUInt32LE(slotAt + 8) });
    }
    entries.push({ kind: p.readUInt8(at + 8), name: strings.subarray(nameOff, nameOff + nameLen).toString('utf8'), flags: p.readUInt8(at + 9), slots });
  }
  return {
    payloadOffset,
    payloadLength,
    version,
    metadataVerified,
    config: readConfig(p.subarray(configOffset, configOffset + configLength)),
    entries,
    blobs: p.subarray(blobsOffset, blobsOffset + blobsLength),
  };
}

/** The bytes of a slot (a view, not a copy). */
export function slotData(payload: ReadPayload, slot: PayloadSlot): Buffer {
  return payload.blobs.subarray(slot.offset, slot.offset + slot.length);
}

/** Whether a slot's bytes match the checksum recorded for them. */
export function slotVerifies(payload: ReadPayload, slot: PayloadSlot): boolean {
  return crc32c(slotData(payload, slot)) === slot.checksum;
}

export { ConfigKey };
