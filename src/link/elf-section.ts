/**
 * Puts the payload where `strip` keeps it: a non-allocated ELF section named
 * `.oxidize`. `strip`, `strip --strip-debug` and `strip --strip-unneeded`
 * rewrite the whole file and drop any bytes no section covers (a plainly
 * appended payload), but they copy sections they do not know.
 *
 * The stub is left byte for byte as it is; after it come a copy of its
 * section-name table with `.oxidize` added, a copy of its section header
 * table with one more entry, then the payload and its trailer, so the file
 * still ends with the trailer and the runtime finds it there at once:
 *
 *   [ stub (e_shoff, e_shnum patched) ][ names ][ section headers ][ payload ][ trailer ]
 *                                                                   \___ section .oxidize ___/
 *
 * After `strip` the section has moved and the trailer's absolute offset is
 * stale: the runtime then looks the section up by name (runtime-rust/src/elf.rs).
 * Only 64-bit little-endian ELF is handled (the stub's only form); anything
 * else gets the payload plainly appended.
 */
import { PAYLOAD_SECTION } from '../payload/format.js';

const EHDR_LEN = 64;
const SHDR_LEN = 64;
const SHT_PROGBITS = 1;
const SHN_LORESERVE = 0xff00;

export interface PayloadLayout {
  /** Offset in the output file at which the payload must start. */
  readonly payloadOffset: number;
  /** The bytes that go before the payload, for a payload (trailer included) of `length` bytes. */
  head(length: number): Buffer[];
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function isElf64LE(b: Buffer): boolean {
  return b.length >= EHDR_LEN && b.readUInt32BE(0) === 0x7f454c46 && b[4] === 2 && b[5] === 1;
}

/** Plain append: the layout of a stub that is not an ELF file oxidize can edit. */
function appended(stub: Buffer): PayloadLayout {
  return { payloadOffset: stub.length, head: () => [stub] };
}

export function payloadLayout(stub: Buffer): PayloadLayout {
  if (!isElf64LE(stub)) return appended(stub);
  const shoff = Number(stub.readBigUInt64LE(0x28));
  const shentsize = stub.readUInt16LE(0x3a);
  const shnum = stub.readUInt16LE(0x3c);
  const shstrndx = stub.readUInt16LE(0x3e);
  // Extended numbering (shnum 0 or index escapes) is for files with 65280+ sections: not a stub.
  if (shoff === 0 || shnum === 0 || shentsize !== SHDR_LEN || shstrndx >= SHN_LORESERVE || shstrndx >= shnum) return appended(stub);
  if (shoff + shnum * SHDR_LEN > stub.length) return appended(stub);

  const headers = Buffer.from(stub.subarray(shoff, shoff + shnum * SHDR_LEN));
  const namesHeader = shstrndx * SHDR_LEN;
  const oldNamesOff = Number(headers.readBigUInt64LE(namesHeader + 0x18));
  const oldNamesLen = Number(headers.readBigUInt64LE(namesHeader + 0x20));
  if (oldNamesOff + oldNamesLen > stub.length) return appended(stub);
  const names = Buffer.concat([stub.subarray(oldNamesOff, oldNamesOff + oldNamesLen), Buffer.from(`${PAYLOAD_SECTION}\0`, 'latin1')]);

  const namesOff = stub.length;
  const headersOff = align(namesOff + names.length, 8);
  const payloadOffset = headersOff + (shnum + 1) * SHDR_LEN;
  headers.writeBigUInt64LE(BigInt(namesOff), namesHeader + 0x18);
  headers.writeBigUInt64LE(BigInt(names.length), namesHeader + 0x20);

  return {
    payloadOffset,
    head(length: number): Buffer[] {
      const section = Buffer.alloc(SHDR_LEN);
      section.writeUInt32LE(oldNamesLen, 0x00); // sh_name: where `.oxidize` starts in the new table
      section.writeUInt32LE(SHT_PROGBITS, 0x04);
      // sh_flags 0: not loaded into memory (the runtime maps the file itself), sh_addr 0.
      section.writeBigUInt64LE(BigInt(payloadOffset), 0x18);
      section.writeBigUInt64LE(BigInt(length), 0x20);
      section.writeBigUInt64LE(1n, 0x30); // sh_addralign
      const ehdr = Buffer.from(stub.subarray(0, EHDR_LEN));
      ehdr.writeBigUInt64LE(BigInt(headersOff), 0x28);
      ehdr.writeUInt16LE(shnum + 1, 0x3c);
      return [ehdr, stub.subarray(EHDR_LEN), names, Buffer.alloc(headersOff - namesOff - names.length), headers, section];
    },
  };
}
