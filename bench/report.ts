/** The benchmark report: markdown tables and an SVG chart of the ratios. */
import type { Measured } from './measure.js';

export interface WorkloadResult {
  title: string;
  description: string;
  /** Name of the variant the ratios are against. */
  baseline: string;
  results: Measured[];
  notes: string[];
}

export interface BuildResult {
  name: string;
  description: string;
  measured: Measured;
}

export interface Target {
  name: string;
  value: string;
  met: boolean;
  /** Why it is missed, when it is. */
  detail: string;
}

export interface Report {
  date: string;
  commit: string;
  machine: string[];
  workloads: WorkloadResult[];
  builds: BuildResult[];
  sizes: Array<{ name: string; bytes: number; note: string }>;
  targets: Target[];
  notes: string[];
  command: string;
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 20 ? 2 : 1)} ms`);

/** How many times faster than the baseline (baseline median / variant median). */
export function speedup(w: WorkloadResult, m: Measured): number {
  const base = w.results.find((r) => r.name === w.baseline)!;
  return base.wall.median / m.wall.median;
}

/** How many times fewer instructions than the baseline; NaN when either was not counted. */
export function instructionRatio(w: WorkloadResult, m: Measured): number {
  const base = w.results.find((r) => r.name === w.baseline)!;
  return base.instructions && m.instructions ? base.instructions / m.instructions : NaN;
}

const millions = (n: number | undefined) => (n === undefined ? '' : `${(n / 1e6).toFixed(1)} M`);
const mib = (x: number) => `${x.toFixed(1)} MiB`;

export function markdown(r: Report, svgName: string): string {
  const out: string[] = [];
  out.push(`# Benchmark ${r.date}`, '');
  out.push(`Produced by \`${r.command}\` at commit \`${r.commit}\`. Every figure below comes from that run;`);
  out.push('run the command again to reproduce them (within noise).', '');
  out.push('## Machine', '', ...r.machine.map((m) => `- ${m}`), '');
  out.push('## Method', '');
  out.push('The machine is shared with other jobs and its wall times are noisy, so two things are done:');
  out.push('each workload\'s variants run alternately (a round runs every variant once, starting from a');
  out.push('different variant each round), after warm-up runs, so drift affects all variants alike; and');
  out.push('start-up and imports are also counted in instructions with callgrind (one run each,');
  out.push('`PYTHONHASHSEED=0`), which repeat exactly whatever else the machine does. Compare ratios');
  out.push('of instruction counts first; wall ratios carry the noise shown by p25–p75. Times are');
  out.push('wall-clock per run, from spawn to exit (`wait4`). "× baseline" is the baseline\'s median (or');
  out.push('count) divided by the variant\'s: above 1 is faster than the baseline. Memory at exit is read');
  out.push('from `/proc/<pid>/status` while the process is stopped in `exit_group` (ptrace), median of 3 runs.', '');
  out.push(`![speed-up over each workload's baseline](${svgName})`, '');
  out.push('## Targets', '', '| target | measured | met |', '| --- | --- | --- |');
  for (const t of r.targets) out.push(`| ${t.name} | ${t.value} | ${t.met ? 'yes' : `**no**: ${t.detail}`} |`);
  out.push('');
  for (const w of r.workloads) {
    const counted = w.results.some((m) => m.instructions !== undefined);
    out.push(`## ${w.title}`, '', w.description, '');
    out.push(`| variant | median | p25–p75 | runs | × baseline |${counted ? ' instructions | × baseline |' : ''}`);
    out.push(`| --- | --- | --- | --- | --- |${counted ? ' --- | --- |' : ''}`);
    for (const m of w.results) {
      const isBase = m.name === w.baseline;
      const x = isBase ? '1.00 (baseline)' : speedup(w, m).toFixed(2);
      const ix = isBase ? '1.00 (baseline)' : Number.isNaN(instructionRatio(w, m)) ? '' : instructionRatio(w, m).toFixed(2);
      const runs = m.derived ? 'derived' : String(m.wall.n);
      const spread = m.derived ? '' : `${ms(m.wall.p25)}–${ms(m.wall.p75)}`;
      out.push(`| ${m.name} | ${ms(m.wall.median)} | ${spread} | ${runs} | ${x} |${counted ? ` ${millions(m.instructions)} | ${ix} |` : ''}`);
    }
    const traced = w.results.filter((m) => m.memory);
    if (traced.length) {
      out.push('', 'Resident memory at exit: anonymous (heap, stacks, private copies), file-backed (mapped');
      out.push('files: executable pages touched, payload included, and shared libraries), memory files');
      out.push('(extension modules loaded from memory), and the peak resident set.', '');
      out.push('| variant | anonymous | file-backed | memory files | peak |', '| --- | --- | --- | --- | --- |');
      for (const m of traced) out.push(`| ${m.name} | ${mib(m.memory!.anonMb)} | ${mib(m.memory!.fileMb)} | ${mib(m.memory!.shmemMb)} | ${mib(m.memory!.peakMb)} |`);
    }
    const notes = [...w.notes, ...w.results.flatMap((m) => (m.derived ? [`${m.name}: ${m.derived}`] : []))];
    if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
    out.push('');
  }
  out.push('## Build time', '', '| build | median | p25–p75 | runs |', '| --- | --- | --- | --- |');
  for (const b of r.builds) out.push(`| ${b.name}: ${b.description} | ${ms(b.measured.wall.median)} | ${ms(b.measured.wall.p25)}–${ms(b.measured.wall.p75)} | ${b.measured.wall.n} |`);
  out.push('', '## Executable size', '', '| executable | size | |', '| --- | --- | --- |');
  for (const s of r.sizes) out.push(`| ${s.name} | ${(s.bytes / 1048576).toFixed(1)} MiB | ${s.note} |`);
  if (r.notes.length) out.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  out.push('');
  return out.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars of each variant's speed-up over its workload's baseline. */
export function svgChart(r: Report): string {
  const rows: Array<{ label: string; value: number; baseline: boolean } | { heading: string }> = [];
  for (const w of r.workloads) {
    rows.push({ heading: `${w.title} (baseline: ${w.baseline})` });
    for (const m of w.results) rows.push({ label: m.name, value: speedup(w, m), baseline: m.name === w.baseline });
  }
  const max = Math.max(1.5, ...rows.flatMap((x) => ('value' in x ? [x.value] : [])));
  const left = 260;
  const width = 760;
  const barMax = width - left - 70;
  const rowH = 22;
  const height = rows.length * rowH + 50;
  const x = (v: number) => left + (v / max) * barMax;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">Speed-up over baseline (median wall time), ${esc(r.date)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = 34 + i * rowH;
    if ('heading' in row) {
      parts.push(`<text x="10" y="${y + 14}" font-weight="bold">${esc(row.heading)}</text>`);
      return;
    }
    const colour = row.baseline ? '#999999' : row.value >= 1 ? '#2f7d32' : '#c0392b';
    parts.push(`<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(row.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(row.value) - left).toFixed(1)}" height="${rowH - 8}" fill="${colour}"/>`);
    parts.push(`<text x="${(x(row.value) + 6).toFixed(1)}" y="${y + 14}">${row.value.toFixed(2)}×</text>`);
  });
  parts.push(`<line x1="${x(1)}" y1="30" x2="${x(1)}" y2="${height - 10}" stroke="#333" stroke-dasharray="4 3"/>`);
  parts.push('</svg>', '');
  return parts.join('\n');
}
