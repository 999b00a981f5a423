/**
 * Just enough of ELF (64-bit little-endian, as on x86_64 and aarch64 Linux)
 * to tell what a binary needs from the machine it runs on: the shared
 * libraries it names (DT_NEEDED) and the symbol versions it requires
 * (GLIBC_2.34, ...), which give the oldest glibc it runs with.
 */
import { promises as fsp } from 'node:fs';
import { compareVersions } from '../analyze/distros.js';

const SHT_DYNAMIC = 6;
const SHT_GNU_VERNEED = 0x6ffffffe;
const DT_NEEDED = 1;

export interface ElfNeeds {
  /** DT_NEEDED entries: "libssl.so.3", "libc.so.6". */
  readonly libraries: readonly string[];
  /** Required symbol versions by library: { "libc.so.6": ["GLIBC_2.2.5", ...] }. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
}

function cString(b: Buffer, at: number): string {
  const end = b.indexOf(0, at);
  return b.toString('latin1', at, end < 0 ? b.length : end);
}

/** Reads what `file` needs; undefined when it is not a 64-bit little-endian ELF file. */
export async function readElfNeeds(file: string): Promise<ElfNeeds | undefined> {
  const b = await fsp.readFile(file);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return undefined;
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  if (shoff + shnum * shentsize > b.length) return undefined;
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({
      type: b.readUInt32LE(at + 4),
      offset: Number(b.readBigUInt64LE(at + 0x18)),
      size: Number(b.readBigUInt64LE(at + 0x20)),
      link: b.readUInt32LE(at + 0x28),
      info: b.readUInt32LE(at + 0x2c),
    });
  }
  const strings = (s: Section) => sections[s.link]?.offset ?? 0;
  const libraries: string[] = [];
  const versions: Record<string, string[]> = {};
  for (const s of sections) {
    if (s.type === SHT_DYNAMIC) {
      for (let at = s.offset; at + 16 <= s.offset + s.size; at += 16) {
        const tag = b.readBigUInt64LE(at);
        if (tag === 0n) break;
        if (tag === BigInt(DT_NEEDED)) libraries.push(cString(b, strings(s) + Number(b.readBigUInt64LE(at + 8))));
      }
    } else if (s.type === SHT_GNU_VERNEED) {
      let at = s.offset;
      for (let i = 0; i < s.info && at + 16 <= b.length; i++) {
        const count = b.readUInt16LE(at + 2);
        const lib = cString(b, strings(s) + b.readUInt32LE(at + 4));
        let aux = at + b.readUInt32LE(at + 8);
        const names = (versions[lib] ??= []);
        for (let j = 0; j < count && aux + 16 <= b.length; j++) {
          names.push(cString(b, strings(s) + b.readUInt32LE(aux + 8)));
          const next = b.readUInt32LE(aux + 12);
          if (next === 0) break;
          aux += next;
        }
        const next = b.readUInt32LE(at + 12);
        if (next === 0) break;
        at += next;
      }
    }
  }
  return { libraries, versions };
}

/** The newest GLIBC_x.y version required ("2.34"), i.e. the oldest glibc the binary runs with; undefined when it needs none. */
export function requiredGlibc(needs: ElfNeeds): string | undefined {
  let max: string | undefined;
  for (const names of Object.values(needs.versions)) {
    for (const n of names) {
      const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(n);
      if (m && (!max || compareVersions(m[1], max) > 0)) max = m[1];
    }
  }
  return max;
}

/** "libssl.so.3" -> "ssl"; "ld-linux-x86-64.so.2" -> "ld-linux-x86-64". */
export function libraryName(soname: string): string {
  return soname.replace(/\.so(\.\d+)*$/, '').replace(/^lib/, '');
}
