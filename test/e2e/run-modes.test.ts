/** Exit status, argv and every run mode, checked on real executables. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

let exes: Map<string, string>;
let dir: string;

before(() => {
  ({ dir, exes } = buildFixture('runtime', ['module', 'command', 'file', 'repl', 'none']));
});

const exe = (name: string) => {
  const p = exes.get(name);
  assert.ok(p, `built ${name}`);
  return p;
};

test('run_module runs the package as __main__ from memory', () => {
  const r = run(exe('probe-module'), ['info']);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.oxidized, true);
  assert.equal(info.executable, exe('probe-module'));
  assert.equal(info.loader, 'OxidizedFinder');
  // In memory, with a __file__ under the executable's path by default.
  assert.equal(info.file, `${exe('probe-module')}/probe/__init__.py`);
  assert.equal(info.site, false, 'site is off by default');
  assert.ok(!info.meta_path.includes('PathFinder'), `no filesystem finder: ${info.meta_path}`);
});

test('sys.exit status becomes the exit status', () => {
  for (const code of [0, 3, 42]) assert.equal(run(exe('probe-module'), ['exit', String(code)]).code, code);
});

test('an uncaught exception prints its traceback and exits 1', () => {
  const r = run(exe('probe-module'), ['raise']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Traceback \(most recent call last\):/m);
  assert.match(r.stderr, /ValueError: boom from the probe\s*$/);
});

test('arguments pass through unchanged; argv[0] is the executable as invoked', () => {
  const args = ['--name', 'world', '-c', 'x y', 'ünï', '--', '-m'];
  const r = run(exe('probe-module'), ['argv', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { argv0: exe('probe-module'), args });
});

test('run_eval runs the configured code with the arguments', () => {
  const r = run(exe('probe-command'), ['argv', 'a', 'b']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).args, ['a', 'b']);
  assert.equal(run(exe('probe-command'), ['exit', '5']).code, 5);
});

test('run_file runs a file from the filesystem, importing from memory', () => {
  writeFileSync(path.join(dir, 'script.py'), 'import sys, probe.cli\nprint("file mode", sys.argv[1:])\nsys.exit(probe.cli.main(["exit", "7"]))\n');
  const r = run(exe('probe-file'), ['x'], { cwd: dir });
  assert.equal(r.stdout, "file mode ['x']\n");
  assert.equal(r.code, 7);
});

test('the REPL mode reads a script from a non-terminal stdin, like python', () => {
  const r = run(exe('probe-repl'), [], { input: 'import probe.cli\nprint("repl says", probe.cli.MARKER)\nraise SystemExit(4)\n' });
  assert.equal(r.stdout, 'repl says PROBE-MARKER-7f3a9c\n');
  assert.equal(r.code, 4);
});

test('the none mode starts and stops the interpreter without running anything', () => {
  const r = run(exe('probe-none'), ['ignored'], { input: 'print("must not run")\n' });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
});
