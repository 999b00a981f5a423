/**
 * The importer behaviour suite (test/fixtures/behaviour/app/behave_tests),
 * run inside executables built under each resources policy, and under the
 * plain interpreter from the source tree to show each expectation is Python's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { repoRoot, run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

interface Summary {
  run: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Tests in the suite; each run must run them all. */
const SUITE_SIZE = 63;

let exes: Map<string, string>;

before(() => {
  ({ exes } = buildFixture('behaviour', ['memory', 'filesystem', 'fallback']));
});

function runSuite(exe: string, expect: string): { summary: Summary; stderr: string } {
  const r = run(exe, [], { env: { ...process.env, BEHAVE_EXPECT: expect } });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let summary: Summary;
  try {
    summary = JSON.parse(last) as Summary;
  } catch {
    assert.fail(`no summary from ${path.basename(exe)} (exit ${r.code}):\n${r.stderr}`);
  }
  assert.equal(r.code, summary.failures + summary.errors === 0 ? 0 : 1);
  return { summary, stderr: r.stderr };
}

function assertAllPassed(name: string, expect: string, allowedSkips: number) {
  const { summary, stderr } = runSuite(exes.get(name)!, expect);
  assert.equal(summary.failures + summary.errors, 0, stderr);
  assert.equal(summary.run, SUITE_SIZE);
  assert.ok(summary.skipped <= allowedSkips, `skipped ${summary.skipped}:\n${stderr}`);
  // Child processes and the resource tracker exit cleanly: nothing leaked, no stray tracebacks.
  assert.doesNotMatch(stderr, /Traceback|leaked|ResourceWarning/);
}

test('in-memory-only: everything passes from memory', () => {
  assertAllPassed('behave-memory', 'behave_pkg=memory,behave_pkg.sub.leaf=memory,json=memory,_ssl=memory', 0);
});

test('filesystem-relative-only: everything passes from files next to the executable', () => {
  assertAllPassed('behave-filesystem', 'behave_pkg=filesystem,behave_pkg.sub.leaf=filesystem,json=filesystem,_ssl=filesystem', 0);
});

test('prefer-in-memory with a per-name override and inMemoryModuleFile: false', () => {
  // The file and pkg_resources tests (10) skip: built without __file__ for in-memory modules.
  assertAllPassed('behave-fallback', 'behave_pkg=memory,behave_pkg.ondisk=filesystem,json=memory,_ssl=filesystem', 10);
});

test('an uncaught exception shows the in-memory source line', () => {
  const r = run(exes.get('behave-memory')!, ['crash']);
  assert.equal(r.code, 1);
  // Printed by python3's own hook: the code names its file under the executable, read through the file view.
  const exe = exes.get('behave-memory')!;
  assert.ok(r.stderr.includes(`File "${exe}/behave_pkg/fails.py", line 3, in explode\n    raise RuntimeError(message)\n`), r.stderr);
  assert.match(r.stderr, /RuntimeError: deliberate failure in fails\.explode\s*$/);
});

test('an exception raised while a module is imported shows the frames python3 shows, no importer frames', async () => {
  const dist = await resolveHostDistribution();
  const app = path.join(repoRoot, 'test/fixtures/behaviour/app');
  const plain = spawnSync(dist.python, ['-m', 'behave_tests', 'crash-import'], { cwd: app, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const r = run(exes.get('behave-memory')!, ['crash-import']);
  assert.equal(r.code, 1);
  // The executable runs its module as python3 runs a script: python3 -m's
  // two runpy frames are not there. File names differ (python3 shows the
  // source tree's paths); nothing else may.
  const names = (s: string, root: string) => s.split(`${root}/`).join('');
  const withoutRunpy = (s: string) => s.replace(/ {2}File "<frozen runpy>", line \d+, in \w+\n/g, '');
  assert.match(plain.stderr, /<frozen runpy>/);
  assert.equal(names(r.stderr, exes.get('behave-memory')!), withoutRunpy(names(plain.stderr, app)));
  assert.doesNotMatch(r.stderr, /_oxidize|importlib\._bootstrap|runpy/);
});

test('the file view is loaded only when a path under the executable is used', () => {
  // Start-up installs the guards only; the view's module costs a no-op start a twentieth of its instructions.
  const r = run(exes.get('behave-memory')!, ['view-loaded']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { view: false });
});

test('at another optimization level (PYTHONOPTIMIZE) modules run compiled at it, from the packed source', () => {
  const exe = exes.get('behave-memory')!;
  assert.deepEqual(JSON.parse(run(exe, ['debug-flag']).stdout), { debug: true, optimize: 0 });
  const optimized = run(exe, ['debug-flag'], { env: { ...process.env, PYTHONOPTIMIZE: '1' } });
  assert.equal(optimized.code, 0, optimized.stderr);
  assert.deepEqual(JSON.parse(optimized.stdout), { debug: false, optimize: 1 });
});

test('an executable in a directory whose name is not UTF-8 starts and finds its payload', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-latin1-'));
  // The shell makes the directory from raw bytes (0xe9: "é" in Latin-1, invalid UTF-8).
  const r = spawnSync('sh', ['-c', 'd=$(printf "%s/lat\\351" "$1"); mkdir "$d" && cp "$2" "$d/behave" && "$d/behave" main-globals', 'sh', dir, exes.get('behave-memory')!], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).spec, 'behave_tests.__main__');
});

test('runModule runs the module as __main__ with __package__ None, as a script, and relative imports work', () => {
  const r = run(exes.get('behave-memory')!, ['main-globals']);
  assert.equal(r.code, 0, r.stderr);
  // click and werkzeug rebuild a command line from __package__ and argv[0]:
  // with a package set they would make "-m behave_tests.<executable name>" of it.
  assert.deepEqual(JSON.parse(r.stdout), { oxidized: true, package: null, spec: 'behave_tests.__main__', argv0_is_executable: true });
});

test('the same suite passes under the plain interpreter', async () => {
  const dist = await resolveHostDistribution();
  const r = spawnSync(dist.python, ['-m', 'behave_tests'], { cwd: path.join(repoRoot, 'test/fixtures/behaviour/app'), encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as Summary;
  assert.equal(summary.failures + summary.errors, 0, r.stderr);
  assert.equal(summary.run, SUITE_SIZE);
  assert.equal(r.status, 0);
});
