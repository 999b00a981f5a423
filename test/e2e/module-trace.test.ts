/**
 * Module-trace trimming end to end: `oxidize trace` records pyflakes (from
 * Debian's python3-pyflakes) on two inputs; the trimmed build answers three
 * other inputs exactly as the untrimmed one does, and is much smaller. A
 * module imported only on a path no trace took is missing until `include`
 * names it. runpy stays whatever the traces saw (python3 -m).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, run, type CliResult } from '../helpers/cli.js';

const PYFLAKES = '/usr/lib/python3/dist-packages/pyflakes';
const skip = !existsSync(PYFLAKES) && "needs Debian's python3-pyflakes";

const CONFIG = `
import { defineConfig, moduleTrace, readPackageRoot } from 'oxidize';
const include = process.env.OXIDIZE_TEST_INCLUDE ? [process.env.OXIDIZE_TEST_INCLUDE] : [];
export default defineConfig({
  targets: {
    pyflakes: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'pyflakes', config: { runModule: 'pyflakes' }, plugins: [moduleTrace({ traces: ['traces/pyflakes-a.txt', 'traces/pyflakes-b.txt'] })] })
          .addPythonResources(readPackageRoot('${path.dirname(PYFLAKES)}', ['pyflakes'])),
    },
    minimal: {
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'minimal', config: { runModule: 'lazy' }, plugins: [moduleTrace({ traces: ['traces/minimal.txt'] })] })
          .addPythonResources(readPackageRoot('.', ['lazy'])),
    },
    lazy: {
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'lazy', config: { runModule: 'lazy' }, plugins: [moduleTrace({ traces: ['traces/lazy.txt'], include })] })
          .addPythonResources(readPackageRoot('.', ['lazy'])),
    },
  },
});
`;

// fractions is imported inside a function: the run module's import-time imports do not include it.
const LAZY = `
import sys

def fraction():
    import fractions
    print(fractions.Fraction(1, 3) + fractions.Fraction(1, 6))

if sys.argv[1:] == ["fraction"]:
    fraction()
else:
    print("plain")
`;

let dir: string;
let inputs: string;

function ok(r: CliResult, what: string): CliResult {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}`);
  return r;
}

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'lazy/__init__.py': '', 'lazy/__main__.py': LAZY }, 'oxidize-trace-');
  inputs = path.join(dir, 'inputs');
  mkdirSync(path.join(inputs, 'tree/sub'), { recursive: true });
  const files: Record<string, string> = {
    'traced-bad.py': 'import os\n\ndef f():\n    return undefined_name\n',
    'traced-clean.py': 'import os\n\nprint(os.sep)\n',
    'redefined.py': 'import sys\nimport sys\n\ndef g(a, a):\n    pass\nx = {1: 1, 1: 2}\n',
    'syntax.py': 'def broken(:\n    pass\n',
    'tree/one.py': 'from os import *\nprint(path)\n',
    'tree/sub/two.py': 'def h():\n    local = 1\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(inputs, name), text);
});

test('oxidize trace records a run into traces/, forwards its status and lists the traces', { skip }, () => {
  const a = oxidize(['trace', '--name', 'pyflakes-a', '--', path.join(inputs, 'traced-bad.py')], { cwd: dir });
  assert.equal(a.code, 1, `pyflakes exits 1 on a warning; the status is forwarded:\n${a.stderr}`);
  assert.match(a.stdout, /undefined name 'undefined_name'/);
  const b = oxidize(['trace', '--name', 'pyflakes-b', '--', path.join(inputs, 'traced-clean.py')], { cwd: dir });
  assert.equal(b.code, 0, b.stderr);
  const trace = readFileSync(path.join(dir, 'traces/pyflakes-a.txt'), 'utf8');
  assert.match(trace, /^# oxidize trace of pyflakes/);
  for (const m of ['pyflakes', 'pyflakes.api', 'pyflakes.checker', 'ast', 'argparse']) assert.match(trace, new RegExp(`^${m.replace('.', '\\.')}$`, 'm'));
  assert.ok(!/^tkinter$/m.test(trace));
  const list = ok(oxidize(['trace', '--list'], { cwd: dir }), 'trace --list');
  assert.deepEqual(list.stdout.trim().split('\n').map((l) => l.split('\t')[0].split('/').pop()), ['pyflakes-a.txt', 'pyflakes-b.txt']);
  const again = oxidize(['trace', '--name', 'pyflakes-a', '--', 'x.py'], { cwd: dir });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /trace traces\/pyflakes-a\.txt exists/);
});

test('the trimmed pyflakes answers other inputs as the untrimmed one does', { skip }, () => {
  // `oxidize trace` built the untrimmed executable beside the normal output.
  const untrimmed = readdirSync(path.join(dir, 'build')).map((t) => path.join(dir, 'build', t, 'trace/pyflakes/pyflakes'))[0];
  const build = ok(oxidize(['build'], { cwd: dir }), 'trimmed build');
  assert.match(build.stderr, /module-trace dropped \d+ modules \([\d.]+ MiB\)/);
  const trimmed = path.join(dir, build.stdout.trim());
  for (const args of [['redefined.py'], ['syntax.py'], ['tree']]) {
    const full = run(untrimmed, args.map((a) => path.join(inputs, a)));
    const small = run(trimmed, args.map((a) => path.join(inputs, a)));
    assert.equal(small.stdout, full.stdout, args.join(' '));
    assert.equal(small.stderr, full.stderr, args.join(' '));
    assert.equal(small.code, full.code, args.join(' '));
    assert.ok(full.stdout.length > 0 || full.stderr.length > 0, 'pyflakes said something');
  }
  assert.ok(statSync(trimmed).size < statSync(untrimmed).size / 2, 'trimming dropped most of the payload');

  // --no-trim keeps everything.
  const full = ok(oxidize(['build', '--no-trim'], { cwd: dir }), 'untrimmed build');
  assert.ok(statSync(path.join(dir, full.stdout.trim())).size > statSync(untrimmed).size * 0.9);
});

test('a module imported only on a path no trace took is missing until include names it', { skip }, () => {
  assert.equal(ok(oxidize(['trace', '--target', 'lazy', '--name', 'lazy'], { cwd: dir }), 'trace lazy').stdout.trim(), 'plain');
  const built = ok(oxidize(['build', 'lazy'], { cwd: dir }), 'trimmed lazy build');
  assert.match(built.stderr, /lazy\.__main__ imports fractions \(in a function of a module the program loads as it starts\), which is not packed/, 'the import analysis names it');
  const exe = path.join(dir, built.stdout.trim());
  assert.equal(ok(run(exe), 'plain path').stdout.trim(), 'plain');
  const missing = run(exe, ['fraction']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ModuleNotFoundError: No module named 'fractions'/);

  const included = ok(oxidize(['build', 'lazy'], { cwd: dir, env: { OXIDIZE_TEST_INCLUDE: 'fractions' } }), 'build with include');
  assert.equal(ok(run(path.join(dir, included.stdout.trim()), ['fraction']), 'fraction path').stdout.trim(), '1/2');
});

test('a trimmed executable keeps runpy and site: started as python3 (the python command), -m works', { skip }, () => {
  // A trace that saw nothing of the standard library: what stays is the start-up set, the run module's imports and runpy's.
  mkdirSync(path.join(dir, 'traces'), { recursive: true });
  writeFileSync(path.join(dir, 'traces/minimal.txt'), 'lazy\nlazy.__main__\n');
  const built = ok(oxidize(['build', 'minimal'], { cwd: dir }), 'minimal build');
  const exe = path.join(dir, built.stdout.trim());
  assert.equal(ok(run(exe), 'minimal run').stdout.trim(), 'plain');
  const python3 = path.join(path.dirname(exe), 'python3');
  symlinkSync(path.basename(exe), python3);
  const asModule = run(python3, ['-m', 'lazy']);
  assert.equal(asModule.code, 0, `python3 -m lazy:\n${asModule.stderr}`);
  assert.equal(asModule.stdout.trim(), 'plain');
  assert.equal(ok(run(python3, ['-c', 'import runpy, site, importlib.util; print(runpy.__name__)']), 'python3 -c').stdout.trim(), 'runpy');
});
