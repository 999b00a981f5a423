/**
 * What a binary needs from the machine it runs on (64-bit little-endian ELF,
 * as on x86_64 and aarch64 Linux): the shared libraries it names (DT_NEEDED)
 * and the symbol versions it requires (GLIBC_2.34, ...), which give the
 * oldest glibc it runs with. Read with `oxidize analyze`'s ELF reader.
 */
import { promises as fsp } from 'node:fs';
import { compareVersions } from '../analyze/distros.js';
import { isElf, readElf } from '../analyze/elf.js';

export interface ElfNeeds {
  /** DT_NEEDED entries: "libssl.so.3", "libc.so.6". */
  readonly libraries: readonly string[];
  /** Required symbol versions by library: { "libc.so.6": ["GLIBC_2.2.5", ...] }. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

/** Reads what `file` needs; undefined when it is not a 64-bit little-endian ELF file (or is damaged). */
export async function readElfNeeds(file: string): Promise<ElfNeeds | undefined> {
  const b = await fsp.readFile(file);
  if (!isElf(b) || b[4] !== 2 || b[5] !== 1) return undefined;
  let info;
  try {
    info = readElf(b);
  } catch {
    return undefined;
  }
  const versions: Record<string, string[]> = {};
  for (const need of info.versionNeeds) (versions[need.library] ??= []).push(...need.versions);
  return { libraries: info.needed, versions };
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
