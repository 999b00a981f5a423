/**
 * Trims an ELF shared library to what the dynamic loader reads: everything up
 * to the end of its last segment. What follows (debug info, the symbol table,
 * section headers) is for debuggers and linkers; dropping it keeps in-memory
 * extension modules small in the payload and in the memory file they are
 * loaded from. Files installed next to the executable are left whole.
 */
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;

export function trimToSegments(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 64 || ELF_MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== ELFCLASS64 || bytes[5] !== ELFDATA2LSB) {
    return bytes;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = Number(view.getBigUint64(0x20, true));
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  let end = phoff + phentsize * phnum;
  if (phentsize < 56 || end > bytes.length) return bytes;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const offset = Number(view.getBigUint64(at + 8, true));
    const filesz = Number(view.getBigUint64(at + 32, true));
    end = Math.max(end, offset + filesz);
  }
  if (end >= bytes.length) return bytes;
  const out = Buffer.from(bytes.subarray(0, end));
  // No section headers any more: say so, so tools reading the image are not misled.
  out.writeBigUInt64LE(0n, 0x28); // e_shoff
  out.writeUInt16LE(0, 0x3c); // e_shnum
  out.writeUInt16LE(0, 0x3e); // e_shstrndx
  return out;
}
