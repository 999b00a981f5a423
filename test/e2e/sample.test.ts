/** The README's first command: `npx oxidize build` in the repository builds the sample, which runs from memory. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { oxidize, repoRoot, run } from '../helpers/cli.js';

test('oxidize build in the repository root builds the sample; a rebuild is byte-identical', () => {
  const first = oxidize(['build'], { cwd: repoRoot });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^python: Python 3\.\d+\.\d+ \(.+\) from host interpreter \/.+ \(libpython.+\.a\)$/m, 'the interpreter used is printed');
  assert.match(first.stderr, /embeds Python 3\.\d+\.\d+ .+; the executable needs glibc 2\.\d+ or newer$/m, 'the embedded distribution and the glibc it needs are printed');
  const exe = first.stdout.trim();
  assert.match(exe, /^build\/[^/]+-linux-gnu\/debug\/exe\/sample$/);
  const path = `${repoRoot}/${exe}`;
  const bytes = readFileSync(path);

  const r = run(path, ['--name', 'tester']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Hello, tester! \(Python 3\.\d+, imported from memory\)$/m);
  assert.equal(run(path, ['--exit', '9']).code, 9);

  const second = oxidize(['build'], { cwd: repoRoot });
  assert.equal(second.code, 0, second.stderr);
  assert.ok(readFileSync(path).equals(bytes), 'unchanged rebuild gives the same bytes');
});

test('--release writes to release/ the same bytes as the default build: one optimized stub serves both', () => {
  const debug = oxidize(['build'], { cwd: repoRoot });
  assert.equal(debug.code, 0, debug.stderr);
  const release = oxidize(['build', '--release', '--verbose'], { cwd: repoRoot });
  assert.equal(release.code, 0, release.stderr);
  const exe = release.stdout.trim();
  assert.match(exe, /^build\/[^/]+-linux-gnu\/release\/exe\/sample$/);
  assert.match(release.stderr, /stub from cache/, 'the stub of the default build is reused');
  assert.ok(readFileSync(`${repoRoot}/${exe}`).equals(readFileSync(`${repoRoot}/${debug.stdout.trim()}`)));
});

test('no .py or .pyc file is opened when the sample runs', { skip: spawnSync('strace', ['-V']).status !== 0 && 'strace is not installed' }, () => {
  const build = oxidize(['build'], { cwd: repoRoot });
  assert.equal(build.code, 0, build.stderr);
  const exe = `${repoRoot}/${build.stdout.trim()}`;
  const r = spawnSync('strace', ['-f', '-e', 'trace=%file', exe, '--name', 'strace'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Hello, strace!/);
  const opened = r.stderr.split('\n').filter((l) => /^(\[pid\s+\d+\] )?(open|openat|openat2)\(/.test(l) && /\.pyc?"/.test(l));
  assert.deepEqual(opened, []);
  assert.ok(r.stderr.split('\n').length > 5, 'strace saw the file calls');
});

test('oxidize run builds and runs with the arguments after --', () => {
  const r = oxidize(['run', '--', '--name', 'runner', '--exit', '4'], { cwd: repoRoot });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stdout, /Hello, runner!/);
});
