/**
 * A sanity check of stub bytes before they are shipped: a 64-bit
 * little-endian ELF executable (or PIE) for this machine, whose section
 * header table lies inside the file. A digest proves the bytes are the ones
 * written; this proves they were a stub in the first place.
 */

/** ELF e_machine of the machine oxidize runs on (the stub is built for it). */
const MACHINES: Record<string, number> = { x64: 62, arm64: 183, riscv64: 243, ppc64: 21, s390x: 22, loong64: 258 };

const ET_EXEC = 2;
const ET_DYN = 3;

/** Why `bytes` cannot be this machine's stub, or undefined when they can. */
export function stubProblem(bytes: Uint8Array, arch: string = process.arch): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46) return 'it is not an ELF file';
  if (b[4] !== 2 || b[5] !== 1) return 'it is not a 64-bit little-endian ELF file';
  const type = b.readUInt16LE(16);
  if (type !== ET_EXEC && type !== ET_DYN) return 'it is not an ELF executable';
  const machine = b.readUInt16LE(18);
  const expected = MACHINES[arch];
  if (expected !== undefined && machine !== expected) return `it is built for ELF machine ${machine}, not ${arch}`;
  const shoff = Number(b.readBigUInt64LE(40));
  const shentsize = b.readUInt16LE(58);
  const shnum = b.readUInt16LE(60);
  if (shoff + shentsize * shnum > b.length) return 'it is truncated (its section headers lie past its end)';
  return undefined;
}
