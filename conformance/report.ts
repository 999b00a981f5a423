/**
 * The conformance table: per module, the tests passing, failing and skipped
 * under python3 and in each executable, the tests lost and why; then every
 * lost test grouped by reason.
 */
import type { ModuleComparison } from './compare.js';

export interface VariantReport {
  readonly name: string;
  readonly description: string;
  readonly modules: readonly ModuleComparison[];
}

export interface ConformanceReport {
  readonly date: string;
  readonly python: string;
  readonly version: string;
  readonly command: string;
  readonly areas: ReadonlyMap<string, string>;
  readonly variants: readonly VariantReport[];
}

export interface Totals {
  stockPassed: number;
  lost: number;
  gained: number;
}

export function totals(v: VariantReport): Totals {
  const t: Totals = { stockPassed: 0, lost: 0, gained: 0 };
  for (const m of v.modules) {
    t.stockPassed += m.stock.pass;
    t.lost += m.lost.length;
    t.gained += m.gained;
  }
  return t;
}

function pfs(c: { pass: number; fail: number; skip: number }): string {
  return `${c.pass} / ${c.fail} / ${c.skip}`;
}

function percent(n: number, of: number): string {
  return of === 0 ? '0%' : `${((100 * n) / of).toFixed(2)}%`;
}

/** Reasons of a module's lost tests with their counts, most frequent first. */
export function reasonCounts(m: ModuleComparison): Array<[string, number]> {
  const by = new Map<string, number>();
  for (const l of m.lost) by.set(l.reason, (by.get(l.reason) ?? 0) + 1);
  return [...by].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Test ids listed per reason in the markdown; the JSON file has them all. */
const MAX_IDS = 300;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdown(r: ConformanceReport): string {
  const out: string[] = [];
  const stock = r.variants[0]?.modules ?? [];
  out.push(`# CPython regression tests in oxidize executables (${r.date})`, '');
  out.push(
    `Produced by \`${r.command}\`: each module of CPython's own test suite runs under regrtest ` +
      `(\`--junit-xml\`, single process) with \`${r.python}\` (${r.version}) and inside executables of the same ` +
      `interpreter built by oxidize with the test packages (\`includeTest\`); results are compared test by test. ` +
      'A test is *lost* when it passes under python3 and fails, is skipped or is not reported in the executable.',
    '',
  );
  out.push('| executable | modules | tests passing under python3 | lost | lost % | gained |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const v of r.variants) {
    const t = totals(v);
    out.push(`| ${v.name}: ${v.description} | ${v.modules.length} | ${t.stockPassed} | ${t.lost} | ${percent(t.lost, t.stockPassed)} | ${t.gained} |`);
  }
  out.push('', '## Per module', '');
  out.push('pass / fail / skip per interpreter; lost tests with their reasons.', '');
  const header = ['module', 'area', 'python3'];
  for (const v of r.variants) header.push(v.name, `lost (${v.name})`);
  header.push('reasons');
  out.push(`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < 2 || i === header.length - 1 ? '---' : '---:')).join(' | ')} |`);
  stock.forEach((m, i) => {
    const row = [m.module, r.areas.get(m.module) ?? '', pfs(m.stock)];
    const reasons: string[] = [];
    for (const v of r.variants) {
      const vm = v.modules[i];
      row.push(pfs(vm.exe), String(vm.lost.length));
      for (const [reason, n] of reasonCounts(vm)) reasons.push(`${v.name}: ${n} ${reason}`);
    }
    row.push(reasons.map(cell).join('; '));
    out.push(`| ${row.join(' | ')} |`);
  });
  for (const v of r.variants) {
    out.push('', `## Lost tests, ${v.name}, by reason`, '');
    const by = new Map<string, string[]>();
    for (const m of v.modules) for (const l of m.lost) by.set(l.reason, [...(by.get(l.reason) ?? []), l.id]);
    if (by.size === 0) out.push('None.');
    for (const [reason, ids] of [...by].sort((a, b) => b[1].length - a[1].length)) {
      const shown = ids.slice(0, MAX_IDS).map((id) => `\`${id}\``);
      const more = ids.length > MAX_IDS ? `, and ${ids.length - MAX_IDS} more (all in the JSON file)` : '';
      out.push(`- **${cell(reason)}** (${ids.length}): ${shown.join(', ')}${more}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const BEGIN = '<!-- conformance:begin -->';
const END = '<!-- conformance:end -->';

/** What each variant is, in the sentences of the summaries. */
const SUMMARY_NAMES: Readonly<Record<string, string>> = {
  memory: 'the python command with everything in memory (default settings)',
  filesystem: 'with the test packages filesystem-relative',
  app: 'regrtest as the application, everything in memory',
};

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Every reason with its count in each variant, most tests first. */
function reasonTable(r: ConformanceReport): Array<[string, number[]]> {
  const by = new Map<string, number[]>();
  r.variants.forEach((v, k) => {
    for (const m of v.modules) {
      for (const l of m.lost) {
        const counts = by.get(l.reason) ?? r.variants.map(() => 0);
        counts[k]++;
        by.set(l.reason, counts);
      }
    }
  });
  const sum = (c: number[]) => c.reduce((a, b) => a + b, 0);
  return [...by].sort((a, b) => sum(b[1]) - sum(a[1]) || (a[0] < b[0] ? -1 : 1));
}

/**
 * The summary docs/runtime.md's differences section holds between its
 * conformance markers: totals per variant and every reason with its counts.
 * `table` is the table's path relative to the document.
 */
export function docsSummary(r: ConformanceReport, table: string): string {
  const stock = r.variants[0] ? totals(r.variants[0]).stockPassed : 0;
  const lines = [
    `On ${r.date}, over ${r.variants[0]?.modules.length ?? 0} test modules (the table: [${table}](${table}), every lost test listed by reason; the same in JSON beside it), of the ${thousands(stock)} tests that pass under python${r.version.split('.').slice(0, 2).join('.')}:`,
    '',
  ];
  r.variants.forEach((v, k) => {
    const t = totals(v);
    const end = k === r.variants.length - 1 ? '.' : ';';
    lines.push(`- ${SUMMARY_NAMES[v.name] ?? v.name} loses **${thousands(t.lost)}** (${percent(t.lost, t.stockPassed)})${end}`);
  });
  lines.push('', `The reasons, with the number of tests each loses (${r.variants.map((v) => v.name).join(' / ')}):`, '');
  for (const [reason, counts] of reasonTable(r)) lines.push(`- ${counts.join(' / ')}: ${reason}`);
  return lines.join('\n');
}

/** The README's one line between its conformance markers. `table` and `docs` are paths relative to the README. */
export function readmeSummary(r: ConformanceReport, table: string, docs: string): string {
  const stock = r.variants[0] ? totals(r.variants[0]).stockPassed : 0;
  const lost = (name: string) => {
    const v = r.variants.find((x) => x.name === name);
    return v ? thousands(totals(v).lost) : '?';
  };
  const py = `python${r.version.split('.').slice(0, 2).join('.')}`;
  return (
    `CPython's own regression tests (\`${r.command}\`, ${r.variants[0]?.modules.length ?? 0} modules of Debian's lib${py}-testsuite): ` +
    `of ${thousands(stock)} tests passing under ${py}, an executable started as ${py} loses ${lost('memory')} with everything in memory ` +
    `and ${lost('filesystem')} with the tests on disk; table and reasons in [${table}](${table}), differences explained in [${docs}](${docs}#differences-from-python3).`
  );
}

/** `text` with what stands between its conformance markers replaced by `block`; undefined when it has no markers. */
export function replaceSummary(text: string, block: string): string | undefined {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return `${text.slice(0, start + BEGIN.length)}\n${block}\n${text.slice(end)}`;
}
