/**
 * `npm run conformance`: runs CPython test modules under python3 and inside
 * oxidize executables of the same interpreter, and writes the comparison to
 * bench/results/conformance-<date>.md (and .json).
 *
 *   npm run conformance -- [--modules test_a,test_b] [--subset] [--variants memory,filesystem]
 *                          [--python /usr/bin/python3.11] [--out DIR] [--fresh-stock] [--keep]
 *                          [--from-runs DIR]   (compare the runs a --keep run left in DIR again)
 *                          [--update-docs]     (also rewrite the summaries between the conformance
 *                                               markers of docs/runtime.md and README.md)
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { reportError } from '../src/cli/report-error.js';
import { OxidizeError } from '../src/errors.js';
import { packageRoot } from '../src/util/paths.js';
import { DEFAULT_VARIANTS, runHarness, scratchDir, VARIANTS } from './harness.js';
import { allModules, areaOf, SUBSET } from './modules.js';
import { docsSummary, markdown, readmeSummary, replaceSummary, totals, type ConformanceReport } from './report.js';

function write(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      modules: { type: 'string' },
      subset: { type: 'boolean', default: false },
      variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      python: { type: 'string', default: '/usr/bin/python3.11' },
      out: { type: 'string', default: path.join(packageRoot, 'bench/results') },
      'fresh-stock': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'from-runs': { type: 'string' },
      'test-timeout': { type: 'string', default: '600' },
      'module-timeout': { type: 'string', default: '900' },
      'update-docs': { type: 'boolean', default: false },
    },
  });
  const modules = values.modules ? values.modules.split(',').filter(Boolean) : values.subset ? [...SUBSET] : allModules();
  // An empty list runs python3 only (fills the cache of its results).
  const variants = values.variants!.split(',').filter(Boolean).map((name) => {
    const v = VARIANTS.find((x) => x.name === name);
    if (!v) throw new OxidizeError('CONFORMANCE_VARIANT', `no variant ${name}`, `use ${VARIANTS.map((x) => x.name).join(', ')}`);
    return v;
  });
  const workDir = scratchDir();
  const log = (line: string) => process.stderr.write(`conformance: ${line}\n`);
  try {
    const result = await runHarness({
      python: values.python!,
      modules,
      variants,
      workDir,
      testTimeoutSeconds: Number(values['test-timeout']),
      moduleTimeoutSeconds: Number(values['module-timeout']),
      reuseStock: !values['fresh-stock'],
      fromRuns: values['from-runs'],
      log,
    });
    const date = new Date().toISOString().slice(0, 10);
    const report: ConformanceReport = {
      date,
      python: values.python!,
      version: result.version,
      command: 'npm run conformance',
      areas: areaOf(),
      variants: result.variants.map((v) => ({ name: v.variant.name, description: v.variant.description, modules: v.modules })),
    };
    mkdirSync(values.out!, { recursive: true });
    const base = path.join(values.out!, `conformance-${date}`);
    write(`${base}.md`, markdown(report));
    write(`${base}.json`, `${JSON.stringify({ ...report, areas: Object.fromEntries(report.areas) }, null, 1)}\n`);
    for (const v of report.variants) {
      const t = totals(v);
      log(`${v.name}: ${t.lost} of ${t.stockPassed} tests passing under python3 lost`);
    }
    log(`wrote ${base}.md`);
    if (values['update-docs']) {
      const docs = path.join(packageRoot, 'docs/runtime.md');
      const readme = path.join(packageRoot, 'README.md');
      const rel = (from: string) => path.relative(path.dirname(from), `${base}.md`).split(path.sep).join('/');
      for (const [file, block] of [
        [docs, docsSummary(report, rel(docs))],
        [readme, readmeSummary(report, rel(readme), path.relative(packageRoot, docs))],
      ] as const) {
        const text = replaceSummary(readFileSync(file, 'utf8'), block);
        if (text === undefined) throw new OxidizeError('CONFORMANCE_DOCS', `${file} has no conformance markers`, 'put <!-- conformance:begin --> and <!-- conformance:end --> where the summary goes');
        write(file, text);
        log(`updated ${path.relative(packageRoot, file)}`);
      }
    }
    return 0;
  } finally {
    if (values.keep) log(`runs kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(reportError(e, process.argv.includes('--verbose'))),
);
