/** The text form of an `oxidize analyze` report, for people (`--json` gives the data itself). */
import type { AnalyzeReport, NativeModule } from './analyze.js';

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function floorText(m: { glibc?: string; glibcxx?: string }): string {
  const parts = [m.glibc && `GLIBC_${m.glibc}`, m.glibcxx && `GLIBCXX_${m.glibcxx}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no versioned glibc symbols';
}

/** Native modules summarized by the system library: which modules need each one (`--json` lists them per module). */
function nativeSummary(mods: readonly NativeModule[]): string[] {
  const onDisk = mods.filter((m) => m.location === 'filesystem').length;
  const out = [`native modules: ${mods.length} (${mods.length - onDisk} in memory, ${onDisk} as files); the libraries they need:`];
  const users = new Map<string, string[]>();
  for (const m of mods) for (const lib of m.needed) users.set(lib, [...(users.get(lib) ?? []), m.name]);
  const rows = [...users].sort(([a], [b]) => a.localeCompare(b)).map(([lib, names]) => [lib, names.length > 4 ? `${names.length} modules` : names.join(', ')]);
  out.push(...table(rows));
  for (const m of mods.filter((x) => x.error)) out.push(`  ${m.name}: cannot read ${m.path ?? 'its library'}: ${m.error}`);
  return out;
}

/** Columns padded to line up; `right` marks the numeric columns, aligned right. */
function table(rows: string[][], right: readonly number[] = []): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

export function renderReport(r: AnalyzeReport): string {
  const out: string[] = [];
  const what = r.elf ? `ELF ${r.elf.bits}-bit ${r.elf.machine} ${r.elf.type}` : 'not ELF';
  out.push(`${r.file}: ${formatSize(r.size)}, ${what}${r.payload ? ', oxidize executable' : ''}`);
  if (r.elf) {
    if (r.elf.interpreter) out.push(`loader: ${r.elf.interpreter}`);
    out.push(`needs: ${r.elf.needed.join(', ') || 'no shared libraries (static)'}`);
    if (r.elf.runpath.length) out.push(`runpath: ${r.elf.runpath.join(':')}`);
  }
  out.push(`requires: ${floorText(r.requires)}${r.payload ? ' (with the native modules of the payload)' : ''}`);
  if (r.requires.platformTag) out.push(`platform tag: ${r.requires.platformTag}`);
  if (r.requires.glibc) {
    out.push(`runs on (oldest release per family): ${r.runsOn.map((d) => `${d.family} ${d.release}`).join(', ') || 'none of the known releases'}`);
  }
  const p = r.payload;
  if (!p) return out.join('\n') + '\n';

  out.push('', `payload: ${formatSize(p.length)} at offset ${p.offset}, format ${p.formatVersion}`);
  const sums = p.checksums;
  out.push(
    `checksums: metadata ${sums.metadata ? 'ok' : 'MISMATCH'}, ${sums.blobsChecked - sums.blobsFailed.length}/${sums.blobsChecked} blobs ok` +
      (sums.blobsFailed.length ? ` (failed: ${sums.blobsFailed.slice(0, 5).join(', ')}${sums.blobsFailed.length > 5 ? ', ...' : ''})` : ''),
  );
  out.push(`runs: ${p.run.mode}${p.run.argument ? ` ${p.run.argument}` : ''}`);
  if (p.sysPath.length) out.push(`sys.path: ${p.sysPath.join(', ')}`);
  const settings = [...Object.entries(p.settings).map(([k, v]) => `${k}=${v}`), ...Object.entries(p.stringSettings).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
  if (settings.length) out.push(`settings: ${settings.join(', ')}`);
  out.push('', 'resources:', ...table([['kind', 'count', 'in payload', 'on filesystem'], ...p.kinds.map((k) => [k.kind, String(k.count), formatSize(k.bytes), String(k.filesystem)])], [1, 2, 3]));
  out.push('', 'largest packages:', ...table(p.largestPackages.map((x) => [x.name, `${x.entries} entries`, formatSize(x.bytes)]), [1, 2]));
  if (p.nativeModules.length) out.push('', ...nativeSummary(p.nativeModules));
  return out.join('\n') + '\n';
}
