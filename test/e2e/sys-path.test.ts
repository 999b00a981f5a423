/**
 * Directories and zip files put on sys.path: searched with the filesystem
 * importer; without it, the error for a module they hold says why it was
 * not imported.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { projectDir, run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

let exes: Map<string, string>;
let dir: string;
let zip: string;

before(async () => {
  ({ exes } = buildFixture('sys-path', ['memory', 'filesystem']));
  dir = projectDir({ 'on_disk.py': 'WHERE = "directory"\n' }, 'oxidize-sys-path-');
  const zipSource = path.join(dir, 'zip-src');
  mkdirSync(zipSource);
  writeFileSync(path.join(zipSource, 'zipped.py'), 'WHERE = "zip"\n');
  zip = path.join(dir, 'modules.zip');
  // A real zip file, written by the distribution's own zipfile.
  const python = (await resolveHostDistribution()).python;
  const r = spawnSync(python, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").write(sys.argv[2], "zipped.py")', zip, path.join(zipSource, 'zipped.py')]);
  assert.equal(r.status, 0, String(r.stderr));
});

test('with filesystemImporter, directories and zip files on sys.path are searched', () => {
  const r = run(exes.get('with-filesystem')!, [dir, zip]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    "on_disk imported directory\nzipped imported zip\nnowhere_at_all ModuleNotFoundError No module named 'nowhere_at_all'\n",
  );
});

test('without it, the error for a module on sys.path says what would have found it', () => {
  const r = run(exes.get('only-payload')!, [dir, zip]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^on_disk ModuleNotFoundError No module named 'on_disk' here: .*on_disk\.py holds it, but this executable imports only what it carries \(build it with filesystemImporter: true to search sys\.path\)$/);
  assert.match(lines[1], /^zipped ModuleNotFoundError No module named 'zipped' here: .*modules\.zip.*zipped\.py holds it/);
  // A module nowhere keeps python3's message.
  assert.equal(lines[2], "nowhere_at_all ModuleNotFoundError No module named 'nowhere_at_all'");
});

test("that error's traceback is python3's: the import line, no frame of the importer", () => {
  const r = run(exes.get('only-payload')!, [dir, zip, 'raise']);
  assert.equal(r.code, 1);
  const frames = r.stderr.split('\n').filter((l) => l.startsWith('  File '));
  assert.equal(frames.length, 1, r.stderr);
  assert.match(frames[0], /app\/__main__\.py", line \d+, in <module>$/);
  assert.match(r.stderr, /\n    import on_disk\nModuleNotFoundError: No module named 'on_disk' here: /);
});
