/**
 * The python command: an executable started as `python3` (a symlink) or
 * configured with `runMode: 'python'` parses its command line as python3
 * does. Each case runs under the distribution's python3 and under the
 * executable, both started as `python3`, and compares output and status.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { buildFixture } from '../helpers/fixtures.js';

let python3: string;
let hostPython: string;
let configured: string;
let appExe: string;
let scratch: string;

before(async () => {
  const { exes } = buildFixture('python-command', ['app', 'configured']);
  scratch = mkdtempSync(path.join(os.tmpdir(), 'oxidize-python-command-'));
  python3 = path.join(scratch, 'python3');
  appExe = exes.get('app')!;
  symlinkSync(appExe, python3);
  configured = exes.get('pycmd')!;
  hostPython = (await resolveHostDistribution()).python;
});

/** The environment both run in: the caller's without PYTHON* variables, plus `extra`. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PYTHON')) env[k] = v;
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

interface Case {
  args: string[];
  input?: string;
  env?: Record<string, string>;
}

function run(command: string, c: Case, argv0 = 'python3') {
  const r = spawnSync(command, c.args, { argv0, cwd: scratch, input: c.input ?? '', env: environment(c.env), encoding: 'utf8' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function sameAsPython3(c: Case) {
  const want = run(hostPython, c);
  const got = run(python3, c);
  assert.deepEqual(got, want, `python3 ${c.args.join(' ')}`);
  return got;
}

const SYS_PATH_EXTRA = 'import sys; print(sys.flags.ignore_environment, [p for p in sys.path if p.endswith("extra-dir")])';

test('-c, its arguments and flags', () => {
  assert.equal(sameAsPython3({ args: ['-c', 'import sys; print(sys.argv, __name__)', 'a', '-b'] }).stdout, "['-c', 'a', '-b'] __main__\n");
  sameAsPython3({ args: ['-O', '-c', 'import sys; print(sys.flags.optimize, __debug__)'] });
  sameAsPython3({ args: ['-OO', '-B', '-s', '-S', '-u', '-c', 'import sys; print(sys.flags)'] });
  sameAsPython3({ args: ['-c', 'import sys; print(sys.flags)'] });
});

test('a script, stdin with -, and stdin with no arguments', () => {
  const script = path.join(scratch, 'script.py');
  writeFileSync(script, 'import sys, json\nprint(__name__, sys.argv[1:], json.dumps({"k": [1, 2]}))\n');
  sameAsPython3({ args: [script, 'x', '--y'] });
  sameAsPython3({ args: ['-', 'z'], input: 'import sys\nprint("from stdin", sys.argv)\n' });
  sameAsPython3({ args: [], input: 'print(6 * 7)\n' });
  sameAsPython3({ args: ['-q', '-i'], input: 'x = 5\nprint(x * 2)\n' });
});

test('-m runs modules of the payload, from the standard library and the application', () => {
  sameAsPython3({ args: ['-m', 'json.tool'], input: '{"a": [1, 2]}' });
  sameAsPython3({ args: ['-m', 'no_such_module_here'] });
  // `python3 -m app` runs the packed application (python3 itself has no `app` here).
  const r = run(python3, { args: ['-m', 'app', '1', '2'] });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, "app runs with ['1', '2']\n");
  assert.equal(r.status, 0);
  // A script inside the executable runs from the payload, as python3 runs a file.
  const script = run(python3, { args: [path.join(appExe, 'app', '__main__.py'), '3'] });
  assert.equal(script.stdout, "app runs with ['3']\n", script.stderr);
  assert.equal(script.status, 0);
});

test('PYTHON* variables count, unless -E or -I', () => {
  const env = { PYTHONPATH: '/nonexistent/extra-dir', PYTHONFAULTHANDLER: '1' };
  assert.match(sameAsPython3({ args: ['-c', SYS_PATH_EXTRA], env }).stdout, /^0 \['\/nonexistent\/extra-dir'\]/);
  assert.equal(sameAsPython3({ args: ['-E', '-c', SYS_PATH_EXTRA], env }).stdout, '1 []\n');
  sameAsPython3({ args: ['-I', '-c', 'import sys, faulthandler; print(sys.flags.isolated, sys.flags.safe_path, faulthandler.is_enabled())'], env });
  sameAsPython3({ args: ['-c', 'import faulthandler; print(faulthandler.is_enabled())'], env });
});

test('-X options', () => {
  assert.equal(sameAsPython3({ args: ['-X', 'faulthandler', '-c', 'import faulthandler; print(faulthandler.is_enabled())'] }).stdout, 'True\n');
  sameAsPython3({ args: ['-X', 'utf8', '-X', 'dev', '-c', 'import sys; print(sys.flags.utf8_mode, sys.flags.dev_mode, sys._xoptions)'] });
  sameAsPython3({ args: ['-X', 'no_debug_ranges', '-c', '1/0'] });
});

test('version, help and usage errors with python\'s statuses', () => {
  assert.match(sameAsPython3({ args: ['-V'] }).stdout, /^Python 3\.\d+\.\d+\n$/);
  sameAsPython3({ args: ['--version'] });
  assert.equal(sameAsPython3({ args: ['-h'] }).status, 0);
  sameAsPython3({ args: ['--help-env'] });
  sameAsPython3({ args: ['--help-xoptions'] });
  assert.equal(sameAsPython3({ args: ['-Z'] }).status, 2);
  sameAsPython3({ args: ['--bogus'] });
  sameAsPython3({ args: ['-c'] });
  sameAsPython3({ args: [path.join(scratch, 'missing.py')] });
});

test('exit statuses and tracebacks', () => {
  assert.equal(sameAsPython3({ args: ['-c', 'raise SystemExit(3)'] }).status, 3);
  assert.equal(sameAsPython3({ args: ['-c', 'def f():\n    1/0\nf()'] }).status, 1);
});

test('sys.executable names the command, so children are the python command too', () => {
  const code = [
    'import subprocess, sys',
    'print(sys.executable)',
    'child = subprocess.run([sys.executable, "-c", "import app.work; print(app.work.square(7))"], capture_output=True, text=True)',
    'print(child.stdout.strip(), child.returncode)',
  ].join('\n');
  const r = run(python3, { args: ['-c', code] }, python3);
  assert.equal(r.stdout, `${python3}\n49 0\n`, r.stderr);
  // Configured as the python command, whatever its name.
  const c = run(configured, { args: ['-c', code] }, configured);
  assert.equal(c.stdout, `${configured}\n49 0\n`, c.stderr);
  assert.match(run(configured, { args: ['-V'] }, configured).stdout, /^Python 3/);
});

test('multiprocessing spawn children work in the python command', () => {
  const script = path.join(scratch, 'pool.py');
  writeFileSync(
    script,
    'import multiprocessing as mp\nfrom app.work import square\nif __name__ == "__main__":\n    with mp.get_context("spawn").Pool(2) as pool:\n        print(pool.map(square, [1, 2, 3]))\n',
  );
  for (const exe of [python3, configured]) {
    const r = run(exe, { args: [script] }, exe);
    assert.equal(r.stdout, '[1, 4, 9]\n', r.stderr);
    assert.equal(r.status, 0);
  }
});

test('sub-interpreters import from the payload in both personalities', () => {
  const expected = 'sub-interpreter [9]\n'.repeat(2) + "sub-interpreter [9]\nrun_in_subinterp 0\nchannel b'from the sub-interpreter' 1\n";
  const asPython = run(python3, { args: ['-m', 'app', 'subinterpreters'] }, python3);
  assert.equal(asPython.stdout, expected, asPython.stderr);
  assert.equal(asPython.status, 0);
  const asApp = run(appExe, { args: ['subinterpreters'] }, appExe);
  assert.equal(asApp.stdout, expected, asApp.stderr);
  assert.equal(asApp.status, 0);
});
