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
