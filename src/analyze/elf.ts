/**
 * A small ELF reader for what `oxidize analyze` reports: the shared libraries
 * a file needs (DT_NEEDED), its interpreter, and the symbol versions it
 * requires from each library (the version-needed table, `.gnu.version_r`).
 *
 * Everything is found through the program headers and the dynamic segment,
 * as the dynamic loader does, not through section headers: in-memory
 * extension modules are trimmed to their segments and have none.
 * Little-endian ELF32 and ELF64 are read; anything else is "not ELF".
 */

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;

const TYPES: Record<number, string> = { 1: 'relocatable', 2: 'executable', 3: 'shared object', 4: 'core' };
const MACHINES: Record<number, string> = { 3: 'x86', 40: 'arm', 62: 'x86-64', 183: 'aarch64', 243: 'riscv' };

export interface VersionNeed {
  /** The library the versions come from (`libc.so.6`). */
  library: string;
  /** Version names required from it (`GLIBC_2.34`, ...), in file order. */
  versions: string[];
}

export interface ElfInfo {
  bits: 32 | 64;
  /** `executable`, `shared object` (PIE executables are shared objects too), ... */
  type: string;
  machine: string;
  /** The program interpreter (dynamic loader), when there is one. */
  interpreter?: string;
  soname?: string;
  /** DT_NEEDED entries, in order. */
  needed: string[];
  runpath: string[];
  versionNeeds: VersionNeed[];
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 52 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

class ElfError extends Error {}

/** Bounds-checked little-endian reads over the file's bytes. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly is64: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(at: number, n: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + n > this.bytes.length) throw new ElfError(`offset ${at} is outside the file`);
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }
  /** A target-sized word (u32 or u64). */
  word(at: number): number {
    if (!this.is64) return this.u32(at);
    this.check(at, 8);
    return Number(this.view.getBigUint64(at, true));
  }
  cstring(at: number, end = this.bytes.length): string {
    this.check(at, 0);
    let stop = at;
    while (stop < end && this.bytes[stop] !== 0) stop++;
    return Buffer.from(this.bytes.subarray(at, stop)).toString('utf8');
  }
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

function segments(r: Reader): Segment[] {
  const phoff = r.word(r.is64 ? 0x20 : 0x1c);
  const phentsize = r.u16(r.is64 ? 0x36 : 0x2a);
  const phnum = r.u16(r.is64 ? 0x38 : 0x2c);
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    out.push(
      r.is64
        ? { type: r.u32(at), offset: r.word(at + 8), vaddr: r.word(at + 16), filesz: r.word(at + 32) }
        : { type: r.u32(at), offset: r.u32(at + 4), vaddr: r.u32(at + 8), filesz: r.u32(at + 16) },
    );
  }
  return out;
}

/** File offset of a virtual address, through the loadable segments. */
function fileOffset(loads: readonly Segment[], vaddr: number): number {
  const s = loads.find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.filesz);
  if (!s) throw new ElfError(`address 0x${vaddr.toString(16)} is in no loaded segment`);
  return s.offset + (vaddr - s.vaddr);
}

function readVersionNeeds(r: Reader, at: number, count: number, str: (off: number) => string): VersionNeed[] {
  const needs: VersionNeed[] = [];
  for (let i = 0; i < count; i++) {
    // Elf_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 (same in ELF32 and ELF64).
    const cnt = r.u16(at + 2);
    const need: VersionNeed = { library: str(r.u32(at + 4)), versions: [] };
    let aux = at + r.u32(at + 8);
    for (let j = 0; j < cnt; j++) {
      // Elf_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
      need.versions.push(str(r.u32(aux + 8)));
      const next = r.u32(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    needs.push(need);
    const next = r.u32(at + 12);
    if (next === 0) break;
    at += next;
  }
  return needs;
}

/** Reads an ELF file's dynamic-linking facts; throws on a file that is not ELF or is damaged. */
export function readElf(bytes: Uint8Array): ElfInfo {
  if (!isElf(bytes)) throw new Error('not an ELF file');
  if (bytes[5] !== 1) throw new Error('big-endian ELF is not supported');
  const is64 = bytes[4] === 2;
  const r = new Reader(bytes, is64);
  try {
    const segs = segments(r);
    const loads = segs.filter((s) => s.type === PT_LOAD);
    const info: ElfInfo = {
      bits: is64 ? 64 : 32,
      type: TYPES[r.u16(16)] ?? `type ${r.u16(16)}`,
      machine: MACHINES[r.u16(18)] ?? `machine ${r.u16(18)}`,
      needed: [],
      runpath: [],
      versionNeeds: [],
    };
    const interp = segs.find((s) => s.type === PT_INTERP);
    if (interp) info.interpreter = r.cstring(interp.offset, interp.offset + interp.filesz);
    const dyn = segs.find((s) => s.type === PT_DYNAMIC);
    if (!dyn) return info;

    const entrySize = is64 ? 16 : 8;
    const entries: Array<[number, number]> = [];
    for (let at = dyn.offset; at + entrySize <= dyn.offset + dyn.filesz; at += entrySize) {
      const tag = r.word(at);
      if (tag === DT_NULL) break;
      entries.push([tag, r.word(at + entrySize / 2)]);
    }
    const value = (tag: number) => entries.find(([t]) => t === tag)?.[1];
    const strtabAddr = value(DT_STRTAB);
    if (strtabAddr === undefined) return info;
    const strtab = fileOffset(loads, strtabAddr);
    const strsz = value(DT_STRSZ) ?? bytes.length - strtab;
    const str = (off: number) => {
      if (off >= strsz) throw new ElfError(`string offset ${off} is past the string table`);
      return r.cstring(strtab + off, strtab + strsz);
    };
    for (const [tag, v] of entries) {
      if (tag === DT_NEEDED) info.needed.push(str(v));
      else if (tag === DT_SONAME) info.soname = str(v);
      else if (tag === DT_RUNPATH || tag === DT_RPATH) info.runpath.push(...str(v).split(':').filter(Boolean));
    }
    const verneed = value(DT_VERNEED);
    const verneedNum = value(DT_VERNEEDNUM);
    if (verneed !== undefined && verneedNum) info.versionNeeds = readVersionNeeds(r, fileOffset(loads, verneed), verneedNum, str);
    return info;
  } catch (e) {
    if (e instanceof ElfError) throw new Error(`damaged ELF file: ${e.message}`);
    throw e;
  }
}

/** File offset and size of the section named `name`, found through the section headers; undefined when absent. It may run past the end of a truncated file: the caller checks. */
export function sectionByName(bytes: Uint8Array, name: string): { offset: number; size: number } | undefined {
  if (!isElf(bytes) || bytes[5] !== 1) return undefined;
  const is64 = bytes[4] === 2;
  const r = new Reader(bytes, is64);
  try {
    const shoff = r.word(is64 ? 0x28 : 0x20);
    const shentsize = r.u16(is64 ? 0x3a : 0x2e);
    const shnum = r.u16(is64 ? 0x3c : 0x30);
    const shstrndx = r.u16(is64 ? 0x3e : 0x32);
    if (shoff === 0 || shnum === 0 || shstrndx >= shnum) return undefined;
    const header = (i: number) => {
      const at = shoff + i * shentsize;
      return is64
        ? { name: r.u32(at), offset: r.word(at + 0x18), size: r.word(at + 0x20) }
        : { name: r.u32(at), offset: r.u32(at + 0x10), size: r.u32(at + 0x14) };
    };
    const names = header(shstrndx);
    for (let i = 0; i < shnum; i++) {
      const h = header(i);
      if (r.cstring(names.offset + h.name, names.offset + names.size) === name) {
        return { offset: h.offset, size: h.size };
      }
    }
    return undefined;
  } catch (e) {
    if (e instanceof ElfError) return undefined;
    throw e;
  }
}
