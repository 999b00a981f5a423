/** list-targets, find-resources, cache, help: their output as a user and a script see it. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BuildJson } from '../../src/cli/build-report.js';
import { oxidize, projectDir, repoRoot } from '../helpers/cli.js';

const CONFIG = `import { defineConfig } from 'oxidize-py';
export default defineConfig({
  targets: {
    lib: { build: () => 'value' },
    app: { default: true, depends: ['lib'], build: () => 'app' },
    dist: { depends: ['app', 'lib'], build: () => 'dist' },
  },
});
`;

test('list-targets shows targets in registration order, the default and dependencies', () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': CONFIG });
  const r = oxidize(['list-targets'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'lib\napp   default; depends on lib\ndist  depends on app, lib\n');
  const j = JSON.parse(oxidize(['list-targets', '--json', '--path', dir]).stdout) as { config: string; targets: unknown[] };
  assert.equal(j.config, path.join(dir, 'pyoxidizer.config.ts'));
  assert.deepEqual(j.targets, [
    { name: 'lib', default: false, depends: [] },
    { name: 'app', default: true, depends: ['lib'] },
    { name: 'dist', default: false, depends: ['app', 'lib'] },
  ]);
});

test('find-resources classifies a directory, one line per resource', () => {
  const dir = projectDir({
    'pkg/__init__.py': '',
    'pkg/mod.py': 'x = 1\n',
    'pkg/data/words.txt': 'one\n',
    'pkg-1.0.dist-info/METADATA': 'Name: pkg\n',
    'top.py': '',
  });
  const r = oxidize(['find-resources', dir]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
  assert.deepEqual(lines.map(([t, n]) => `${t} ${n}`).sort(), [
    'python-distribution-resource pkg-1.0.dist-info/METADATA',
    'python-module-source pkg (package)',
    'python-module-source pkg.mod',
    'python-module-source top',
    'python-package-resource pkg/data/words.txt',
  ]);
  const missing = oxidize(['find-resources', path.join(dir, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /is not a directory/);
});

test('cache info lists the cache; cache clear empties it', () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-cache-cmd-'));
  mkdirSync(path.join(cache, 'bytecode'));
  writeFileSync(path.join(cache, 'bytecode', 'blob'), Buffer.alloc(2048));
  const env = { OXIDIZE_CACHE_DIR: cache };
  const info = oxidize(['cache', 'info'], { env });
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`^cache: ${cache} \\(2\\.0 KiB;`));
  const j = JSON.parse(oxidize(['cache', 'info', '--json'], { env }).stdout) as { directory: string; bytes: number };
  assert.deepEqual([j.directory, j.bytes], [cache, 2048]);
  // What oxidize did not make there stays: a mistyped OXIDIZE_CACHE_DIR loses no file of the user's.
  writeFileSync(path.join(cache, 'notes.txt'), 'mine');
  const cleared = oxidize(['cache', 'clear'], { env });
  assert.equal(cleared.code, 0);
  assert.match(cleared.stderr, /^oxidize: warning: left 1 entry in .* that oxidize does not make: notes\.txt$/m);
  assert.equal((JSON.parse(oxidize(['cache', 'info', '--json'], { env }).stdout) as { bytes: number }).bytes, 4);
  assert.ok(!existsSync(path.join(cache, 'bytecode')));
  const file = path.join(cache, 'notes.txt');
  const notDir = oxidize(['cache', 'clear'], { env: { OXIDIZE_CACHE_DIR: file } });
  assert.equal(notDir.code, 1);
  assert.match(notDir.stderr, /the cache directory .*notes\.txt is not a directory; not clearing it/);
  const bad = oxidize(['cache', 'wipe'], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown cache action wipe/);
});

test('help and help <command> show the same text as --help; options that do not apply are not listed', () => {
  assert.equal(oxidize(['help']).stdout, oxidize(['--help']).stdout);
  const build = oxidize(['help', 'build']);
  assert.equal(build.code, 0);
  assert.equal(build.stdout, oxidize(['build', '--help']).stdout);
  assert.match(build.stdout, /--output <dir>/);
  const run = oxidize(['run', '--help']).stdout;
  assert.match(run, /\$ oxidize run \[--target <name>\] \[options\] \[-- args\.\.\.\]/);
  const init = oxidize(['init-config-file', '--help']).stdout;
  assert.doesNotMatch(init, /--release|--python|--path/);
  const unknown = oxidize(['help', 'frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command frobnicate/);
});

test('build --json --output: the paths of what each target wrote, under the output directory', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'oxidize-json-out-'));
  const r = oxidize(['build', 'exe', 'install', '--json', '--output', out], { cwd: repoRoot });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as BuildJson;
  assert.equal(j.config, path.join(repoRoot, 'pyoxidizer.config.ts'));
  assert.deepEqual(j.executables.map((e) => [e.target, e.name, e.path, e.directory]), [['exe', 'sample', path.join(out, 'exe/sample'), path.join(out, 'exe')]]);
  assert.deepEqual(j.installs.map((i) => [i.target, i.directory, i.executables]), [['install', path.join(out, 'install'), [path.join(out, 'install/bin/sample')]]]);
  assert.ok(j.installs[0].files.includes('bin/sample'));
  assert.ok(existsSync(path.join(out, 'install/bin/sample')));
});
