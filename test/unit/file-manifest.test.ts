/** Install layouts: glob patterns, FileManifest merging and placement, and writing one under a build directory. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { FileManifest, glob } from '../../src/install/file-manifest.js';
import { globFiles, patternToRegExp } from '../../src/install/glob.js';
import { materializeManifest } from '../../src/install/materialize.js';
import { projectDir } from '../helpers/cli.js';

const files = {
  'static/css/site.css': 'body{}',
  'static/css/print.css': '@media print{}',
  'static/js/app.js': 'go()',
  'static/js/app.test.js': 'test()',
  'static/.hidden': 'h',
  'docs/README.md': '# r',
  'bin/tool': '#!/bin/sh\n',
};

test('patterns: * within a segment, ** across directories, ? one character', () => {
  assert.ok(patternToRegExp('static/**/*.css').test('static/css/site.css'));
  assert.ok(patternToRegExp('static/**/*.css').test('static/top.css'));
  assert.ok(!patternToRegExp('static/*.css').test('static/css/site.css'));
  assert.ok(patternToRegExp('docs/READM?.md').test('docs/README.md'));
  assert.ok(patternToRegExp('static/**').test('static/js/app.js'));
  assert.ok(!patternToRegExp('a.b').test('axb'));
});

test('globFiles includes, excludes and sorts; patterns may not leave the base', async () => {
  const dir = projectDir(files);
  assert.deepEqual(await globFiles(dir, ['static/**/*.js', 'static/**/*.css'], ['**/*.test.js']), [
    'static/css/print.css', 'static/css/site.css', 'static/js/app.js',
  ]);
  assert.deepEqual(await globFiles(dir, ['static/**'], ['static/js/**', 'static/css/**']), ['static/.hidden']);
  await assert.rejects(globFiles(dir, ['../x/*']), /must be relative/);
});

test('a manifest merges globs, files and other manifests; conflicting sources are an error', async () => {
  const dir = projectDir(files);
  const assets = glob('static/**', { exclude: ['**/*.test.js', '**/.*'], stripPrefix: 'static/' });
  const m = new FileManifest()
    .addManifest(assets, 'share/www')
    .addFile('bin/tool', 'bin/tool', { executable: true })
    .addFile('VERSION', new TextEncoder().encode('1.0\n'));
  const { files: resolved } = await m.resolve(dir);
  assert.deepEqual(resolved.map((f) => f.path), ['VERSION', 'bin/tool', 'share/www/css/print.css', 'share/www/css/site.css', 'share/www/js/app.js']);
  // The same file twice is fine; two different files at one path are not.
  await new FileManifest().addFile('a', 'docs/README.md').addFile('a', 'docs/README.md').resolve(dir);
  await assert.rejects(new FileManifest().addFile('a', 'docs/README.md').addFile('a', 'bin/tool').resolve(dir), /two different files at a/);
  assert.throws(() => new FileManifest().addFile('../escape', 'x'), /must be a relative path inside/);
  assert.throws(() => new FileManifest().addFile('/abs', 'x'), /must be a relative path inside/);
  assert.throws(() => new FileManifest().addExecutable({ name: 'x' }), /ctx\.depends/);
  await assert.rejects(glob('static/**', { stripPrefix: 'docs/' }).resolve(dir), /does not start with stripPrefix/);
});

test('materializing writes the layout, keeps modes, places executables and removes what a rebuild drops', async () => {
  const dir = projectDir(files);
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'oxidize-install-')), 'install');
  const built = { kind: 'built-executable', name: 'tool', path: path.join(dir, 'bin/tool'), directory: path.join(dir, 'bin'), files: ['tool'] };
  const first = await materializeManifest(new FileManifest().addExecutable(built, 'bin').addFile('docs/README.md', 'docs/README.md'), out, dir, () => undefined);
  assert.deepEqual(first.files, ['bin/tool', 'docs/README.md']);
  assert.deepEqual(first.executables, [path.join(out, 'bin/tool')]);
  assert.equal(readFileSync(path.join(out, 'docs/README.md'), 'utf8'), '# r');
  assert.equal(statSync(path.join(out, 'docs/README.md')).mode & 0o111, 0);

  const second = await materializeManifest(new FileManifest().addFile('docs/README.md', 'docs/README.md'), out, dir, () => undefined);
  assert.deepEqual(second.files, ['docs/README.md']);
  assert.ok(!existsSync(path.join(out, 'bin/tool')), 'a file the new layout drops is removed');
});
