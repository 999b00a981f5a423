/** The example plugin of docs/plugins.md, built into a real executable; and a module given directly wins over the stdlib's. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, repoRoot, run } from '../helpers/cli.js';

const fixture = path.join(repoRoot, 'test/fixtures/plugin-example');

test('docs/plugins.md shows the example plugin exactly as tested', () => {
  const docs = readFileSync(path.join(repoRoot, 'docs/plugins.md'), 'utf8');
  assert.ok(docs.includes(readFileSync(path.join(fixture, 'build-info.ts'), 'utf8')), 'docs/plugins.md holds test/fixtures/plugin-example/build-info.ts verbatim');
});

test('the example plugin adds a module, filters packages and writes a checksum; json given directly shadows the stdlib', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-plugin-example-'));
  cpSync(fixture, dir, { recursive: true });
  const r = oxidize(['build', 'info', '--verbose'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /build-info: wrote info\.sha256/);
  const exe = path.resolve(dir, r.stdout.trim());
  const out = run(exe);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^info 3\.\d+\.\d+ True True$/m);
  const sum = readFileSync(`${exe}.sha256`, 'utf8');
  assert.equal(sum, `${createHash('sha256').update(readFileSync(exe)).digest('hex')}  info\n`);
  assert.ok(!existsSync(`${exe}.sha256.tmp`));

  const bad = oxidize(['build', 'bad-option'], { cwd: dir });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').filter((l) => l.startsWith('oxidize: error:')).length, 1);
  assert.match(bad.stderr, /plugin build-info: module name "not-valid" is not a Python identifier; pass buildInfo/);
});

test('as a library buildTargets prints nothing; the CLI prints a failure once; --quiet prints only the path', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-plugin-example-'));
  cpSync(fixture, dir, { recursive: true });
  const result = path.join(dir, 'result.json');
  const lib = spawnSync(process.execPath, [path.join(repoRoot, 'dist/test/helpers/library-build.js'), dir, 'info', result], { encoding: 'utf8' });
  assert.equal(lib.status, 0);
  assert.deepEqual([lib.stdout, lib.stderr], ['', '']);
  const [exe] = (JSON.parse(readFileSync(result, 'utf8')) as { executables: string[] }).executables;
  assert.match(run(exe).stdout, /^info /);
  spawnSync(process.execPath, [path.join(repoRoot, 'dist/test/helpers/library-build.js'), dir, 'bad-option', result], { encoding: 'utf8' });
  assert.match(readFileSync(result, 'utf8'), /not a Python identifier/);

  const quiet = oxidize(['build', 'info', '--quiet'], { cwd: dir });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
  assert.equal(path.resolve(dir, quiet.stdout.trim()), exe);

  const failing = oxidize(['build', 'bad-option'], { cwd: dir });
  assert.equal(failing.code, 1);
  assert.equal(failing.stderr.match(/not a Python identifier/g)?.length, 1, failing.stderr);
  const quietFailure = oxidize(['build', 'bad-option', '--quiet'], { cwd: dir });
  assert.equal(quietFailure.stderr.trim().split('\n').length, 1, quietFailure.stderr);
  assert.ok(!readdirSync(path.join(dir, 'build'), { recursive: true }).some((f) => String(f).endsWith('never')), 'the failed target wrote no executable');
});
