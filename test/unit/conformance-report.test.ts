/**
 * The conformance summaries `npm run conformance -- --update-docs` writes
 * between the markers of docs/runtime.md and README.md.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModuleComparison } from '../../conformance/compare.js';
import { classify, scrub } from '../../conformance/compare.js';
import { docsSummary, readmeSummary, replaceSummary, type ConformanceReport } from '../../conformance/report.js';

function module(name: string, pass: number, lost: string[]): ModuleComparison {
  return {
    module: name,
    stock: { pass, fail: 0, skip: 0 },
    exe: { pass: pass - lost.length, fail: lost.length, skip: 0 },
    lost: lost.map((reason, i) => ({ id: `${name}.T.test_${i}`, reason, evidence: '' })),
    gained: 0,
  };
}

const REPORT: ConformanceReport = {
  date: '2026-11-21',
  python: '/usr/bin/python3.11',
  version: '3.11.2',
  command: 'npm run conformance',
  areas: new Map(),
  variants: [
    { name: 'memory', description: '', modules: [module('test_a', 1500, ['sub-interpreters', 'sub-interpreters', 'other: x']), module('test_b', 500, [])] },
    { name: 'filesystem', description: '', modules: [module('test_a', 1500, ['other: x']), module('test_b', 500, ['other: y'])] },
  ],
};

test('the docs summary gives totals per variant and every reason with its count in each', () => {
  assert.equal(
    docsSummary(REPORT, '../bench/results/conformance-2026-11-21.md'),
    [
      'On 2026-11-21, over 2 test modules (the table: [../bench/results/conformance-2026-11-21.md](../bench/results/conformance-2026-11-21.md), every lost test listed by reason; the same in JSON beside it), of the 2,000 tests that pass under python3.11:',
      '',
      '- the python command with everything in memory (default settings) loses **3** (0.15%);',
      '- with the test packages filesystem-relative loses **2** (0.10%).',
      '',
      'The reasons, with the number of tests each loses (memory / filesystem):',
      '',
      '- 1 / 1: other: x',
      '- 2 / 0: sub-interpreters',
      '- 0 / 1: other: y',
    ].join('\n'),
  );
  assert.match(readmeSummary(REPORT, 'bench/results/conformance-2026-11-21.md', 'docs/runtime.md'), /of 2,000 tests passing under python3\.11, an executable started as python3\.11 loses 3 with everything in memory and 2 with the tests on disk/);
});

test('the summary replaces what stands between the markers, and only that', () => {
  const text = 'before\n<!-- conformance:begin -->\nold\nlines\n<!-- conformance:end -->\nafter\n';
  assert.equal(replaceSummary(text, 'new'), 'before\n<!-- conformance:begin -->\nnew\n<!-- conformance:end -->\nafter\n');
  assert.equal(replaceSummary('no markers\n', 'new'), undefined);
});

test('reasons are read from the error line (every traceback names files under the executable) and its paths made stable', () => {
  const exe = '/tmp/oxidize-conformance-AbC123/fixture/build/x86_64-unknown-linux-gnu/debug/memory/python-memory';
  const ctx = { exePrefix: exe, stdlibNames: new Set(['os', 'test']), stdlibDir: '/usr/lib/python3.11' };
  const fail = (detail: string) => classify({ outcome: 'fail', detail }, undefined, ctx);
  const trace = `Traceback (most recent call last):\n  File "${exe}/test/test_os.py", line 1, in test_x\n`;
  assert.deepEqual(fail(`${trace}NotADirectoryError: [Errno 20] Not a directory: '${exe}/test/test_os.py'`), {
    reason:
      "reaches a packed file or directory through the system rather than the file view (os.chdir into it, os.statvfs, a child process executing it, C code listing a directory): the view serves Python's file functions and C's open, fopen and stat of files",
    evidence: "NotADirectoryError: [Errno 20] Not a directory: '<exe>/test/test_os.py'",
  });
  assert.match(fail(`${trace}NotADirectoryError: [Errno 20] Not a directory: '${exe}'`).reason, /treats the executable's path as a directory/);
  assert.equal(fail(`${trace}AssertionError: 3 != 4`).reason, 'other: AssertionError: 3 != 4');
  assert.equal(scrub(`${exe}/x and /tmp/oxidize-conformance-AbC123/runs and /tmp/oxc-x1Y2z3/f`, ctx), '<exe>/x and <work>/runs and <tmp>/f');
});
