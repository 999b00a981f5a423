/** init-config-file's install target: a FileManifest holding the executable, written under build/, that runs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, projectDir, repoRoot, run } from '../helpers/cli.js';

test('the template\'s install target lays out the executable', () => {
  const dir = path.join(projectDir({ '.keep': '' }), 'tool');
  assert.equal(oxidize(['init-config-file', dir]).code, 0);
  const r = oxidize(['build', 'install'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const installDir = path.resolve(dir, lines[lines.length - 1]);
  assert.match(installDir, /\/build\/[^/]+\/debug\/install$/);
  const installed = readFileSync(path.join(installDir, '.oxidize-installed'), 'utf8').trim().split('\n');
  // The licence file travels with the executable.
  assert.deepEqual(installed, ['COPYING.txt', 'tool']);
  const out = run(path.join(installDir, 'tool'), [], { input: 'print(6 * 7)\n' });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, '42\n');
});

test('the sample\'s install target places the executable under bin/ and globbed sources with a stripped prefix', () => {
  const r = oxidize(['build', 'exe', 'install'], { cwd: repoRoot });
  assert.equal(r.code, 0, r.stderr);
  const [exe, install] = r.stdout.trim().split('\n').map((p) => path.resolve(repoRoot, p));
  assert.match(exe, /\/debug\/exe\/sample$/);
  const installed = readFileSync(path.join(install, '.oxidize-installed'), 'utf8').trim().split('\n');
  assert.deepEqual(installed, [
    'bin/COPYING.txt',
    'bin/sample',
    'share/sample-sources/sample/__init__.py',
    'share/sample-sources/sample/__main__.py',
    'share/sample-sources/sample/greeting.py',
  ]);
  assert.ok(readFileSync(path.join(install, 'bin/sample')).equals(readFileSync(exe)));
  const out = run(path.join(install, 'bin/sample'), ['--name', 'installed']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /Hello, installed!/);
});
