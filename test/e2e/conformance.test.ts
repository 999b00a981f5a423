/**
 * The conformance harness (npm run conformance) on a few-minute subset of
 * CPython's test suite, and its guards against hangs and stray children,
 * all with the real python3.11 and its regrtest.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runHarness, scratchDir, VARIANTS } from '../../conformance/harness.js';
import { SUBSET } from '../../conformance/modules.js';
import { runModule, type Interpreter } from '../../conformance/run-module.js';
import { projectDir } from '../helpers/cli.js';

const PYTHON = '/usr/bin/python3.11';
const work = scratchDir();
after(() => rmSync(work, { recursive: true, force: true }));

/** regrtest running test files from a directory of our own. */
function regrtestIn(dir: string): Interpreter {
  return { name: 'python3', command: PYTHON, args: ['-m', 'test', '--testdir', dir] };
}

/** Whether a process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const PROBE = `
import unittest

class Probe(unittest.TestCase):
    def test_pass(self):
        pass

    def test_fail(self):
        self.fail("deliberate")

    @unittest.skip("deliberately skipped")
    def test_skip(self):
        pass

    def test_subtest(self):
        with self.subTest(i=1):
            self.fail("in a subtest")
`;

const HANG = `
import os, subprocess, time, unittest

class Hang(unittest.TestCase):
    def test_hang(self):
        child = subprocess.Popen(["sleep", "600"])
        with open(os.environ["HANG_PID_FILE"], "w") as f:
            f.write(str(child.pid))
        time.sleep(600)
`;

test('each test outcome is read from the JUnit XML; a test failing only in a subTest is not reported', async () => {
  const dir = projectDir({ 'test_probe.py': PROBE });
  const run = await runModule(regrtestIn(dir), 'test_probe', { workDir: path.join(work, 'probe'), testTimeoutSeconds: 120, moduleTimeoutSeconds: 300 });
  assert.ok(run.results, run.tail);
  const outcome = (name: string) => run.results!.get(`test_probe.Probe.${name}`)?.outcome;
  assert.equal(outcome('test_pass'), 'pass');
  assert.equal(outcome('test_fail'), 'fail');
  assert.match(run.results!.get('test_probe.Probe.test_fail')!.detail, /AssertionError: deliberate/);
  assert.equal(outcome('test_skip'), 'skip');
  assert.equal(run.results!.get('test_probe.Probe.test_skip')!.detail, 'deliberately skipped');
  assert.equal(outcome('test_subtest'), undefined);
});

test('a module that hangs is killed with every process it started', async () => {
  const dir = projectDir({ 'test_hang.py': HANG });
  const pidFile = path.join(dir, 'child.pid');
  process.env.HANG_PID_FILE = pidFile;
  try {
    const run = await runModule(regrtestIn(dir), 'test_hang', { workDir: path.join(work, 'hang'), testTimeoutSeconds: 600, moduleTimeoutSeconds: 8 });
    assert.equal(run.timedOut, true);
    assert.equal(run.results, undefined);
    assert.ok(existsSync(pidFile), run.tail);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // The grandchild went with the process group: it is gone, or a zombie
    // waiting for init to reap it (on a loaded machine it may take a moment
    // to be scheduled and die).
    for (let i = 0; i < 100 && running(pid); i++) await new Promise((r) => setTimeout(r, 200));
    assert.ok(!running(pid), `sleep (pid ${pid}) survived`);
  } finally {
    delete process.env.HANG_PID_FILE;
  }
});

test('the subset of CPython tests: nothing is lost in the python command with the tests on disk', async () => {
  // The in-memory variant needs the payload readable as files (regrtest lists
  // its test directory); the full harness (npm run conformance) measures it.
  const variants = VARIANTS.filter((v) => v.name === 'filesystem');
  const lines: string[] = [];
  const result = await runHarness({
    python: PYTHON,
    modules: SUBSET,
    variants,
    workDir: path.join(work, 'subset'),
    testTimeoutSeconds: 300,
    moduleTimeoutSeconds: 600,
    reuseStock: true,
    log: (l) => lines.push(l),
  });
  for (const s of result.stock) assert.ok(s.results && [...s.results.values()].some((r) => r.outcome === 'pass'), `${s.module} under python3:\n${s.tail}`);
  for (const v of result.variants) {
    for (const m of v.modules) {
      assert.equal(m.runProblem, undefined, `${m.module} in ${v.variant.name}`);
      assert.deepEqual(m.lost, [], `${m.module} in ${v.variant.name} lost tests:\n${lines.join('\n')}`);
    }
  }
});
