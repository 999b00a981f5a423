/**
 * Which common Linux distributions can run a binary, from the highest glibc
 * and libstdc++ symbol versions it requires. The table lists each release's
 * glibc and the libstdc++ (GLIBCXX_3.4.N) of its system compiler; a release
 * runs the binary when both are at least what the binary requires.
 */

export interface Distro {
  family: string;
  release: string;
  glibc: string;
  /** Highest GLIBCXX_3.4.N the release's libstdc++ provides. */
  glibcxx: string;
}

/** Oldest release first within each family. */
export const DISTROS: readonly Distro[] = [
  { family: 'Debian', release: '8 (jessie)', glibc: '2.19', glibcxx: '3.4.20' },
  { family: 'Debian', release: '9 (stretch)', glibc: '2.24', glibcxx: '3.4.22' },
  { family: 'Debian', release: '10 (buster)', glibc: '2.28', glibcxx: '3.4.25' },
  { family: 'Debian', release: '11 (bullseye)', glibc: '2.31', glibcxx: '3.4.28' },
  { family: 'Debian', release: '12 (bookworm)', glibc: '2.36', glibcxx: '3.4.30' },
  { family: 'Debian', release: '13 (trixie)', glibc: '2.41', glibcxx: '3.4.33' },
  { family: 'Ubuntu', release: '14.04', glibc: '2.19', glibcxx: '3.4.19' },
  { family: 'Ubuntu', release: '16.04', glibc: '2.23', glibcxx: '3.4.21' },
  { family: 'Ubuntu', release: '18.04', glibc: '2.27', glibcxx: '3.4.25' },
  { family: 'Ubuntu', release: '20.04', glibc: '2.31', glibcxx: '3.4.28' },
  { family: 'Ubuntu', release: '22.04', glibc: '2.35', glibcxx: '3.4.30' },
  { family: 'Ubuntu', release: '24.04', glibc: '2.39', glibcxx: '3.4.33' },
  { family: 'RHEL/CentOS', release: '7', glibc: '2.17', glibcxx: '3.4.19' },
  { family: 'RHEL/CentOS', release: '8', glibc: '2.28', glibcxx: '3.4.25' },
  { family: 'RHEL/CentOS', release: '9', glibc: '2.34', glibcxx: '3.4.29' },
  { family: 'Amazon Linux', release: '2', glibc: '2.26', glibcxx: '3.4.24' },
  { family: 'Amazon Linux', release: '2023', glibc: '2.34', glibcxx: '3.4.29' },
];

/** Compares dotted version numbers ("2.17" < "2.28" < "2.100"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The highest `<prefix><version>` among version names (`GLIBC_2.34`), or undefined. */
export function highestVersion(names: Iterable<string>, prefix: string): string | undefined {
  let best: string | undefined;
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const v = n.slice(prefix.length);
    if (!/^\d+(\.\d+)*$/.test(v)) continue;
    if (best === undefined || compareVersions(v, best) > 0) best = v;
  }
  return best;
}

export interface Floor {
  /** Highest GLIBC_ version required, e.g. "2.34". */
  glibc?: string;
  /** Highest GLIBCXX_ version required, e.g. "3.4.29". */
  glibcxx?: string;
}

/** The oldest release of each family that provides `floor`; families with none are left out. */
export function oldestDistros(floor: Floor): Distro[] {
  const out: Distro[] = [];
  for (const family of new Set(DISTROS.map((d) => d.family))) {
    const ok = DISTROS.find(
      (d) =>
        d.family === family &&
        (floor.glibc === undefined || compareVersions(d.glibc, floor.glibc) >= 0) &&
        (floor.glibcxx === undefined || compareVersions(d.glibcxx, floor.glibcxx) >= 0),
    );
    if (ok) out.push(ok);
  }
  return out;
}

/** The PEP 600 platform tag for a glibc floor (`manylinux_2_17_x86_64`). */
export function manylinuxTag(glibc: string, arch = 'x86_64'): string {
  const [major, minor] = glibc.split('.');
  return `manylinux_${major}_${minor ?? 0}_${arch}`;
}
