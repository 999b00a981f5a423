/** The installed-files list is untrusted: a rebuild removes and writes only inside the output directory. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { installFiles } from '../../src/link/install.js';

function tmp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

const file = (p: string, text = 'x') => ({ path: p, data: Buffer.from(text), executable: false });

test('crafted lines of .oxidize-installed remove nothing outside the output directory', async () => {
  const victims = tmp('oxidize-victim-');
  const victim = path.join(victims, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const out = tmp('oxidize-out-');
  symlinkSync(victims, path.join(out, 'link'));
  const up = path.relative(out, victim);
  writeFileSync(path.join(out, 'old.txt'), 'stale');
  writeFileSync(path.join(out, '.oxidize-installed'), [up, victim, 'link/victim.txt', './old.txt', 'old.txt', ''].join('\n'));
  const warnings: string[] = [];
  await installFiles(out, [file('new.txt')], (m) => warnings.push(m));
  assert.ok(existsSync(victim), 'the file outside was not removed');
  assert.ok(!existsSync(path.join(out, 'old.txt')), 'a genuine stale file was removed');
  assert.equal(warnings.length, 4, warnings.join('\n'));
  assert.match(warnings[0], /ignoring ".*victim\.txt" in .*\.oxidize-installed: it has empty, \. or \.\. parts; it is not removed/);
  assert.match(warnings[1], /it is absolute/);
  assert.match(warnings[2], /its directory lies outside the output directory/);
});

test('files are never written through a symbolic link leading out', async () => {
  const elsewhere = tmp('oxidize-elsewhere-');
  const out = tmp('oxidize-out-');
  symlinkSync(elsewhere, path.join(out, 'lib'));
  await assert.rejects(installFiles(out, [file('lib/pkg/mod.py')]), /refusing to write .*lib\/pkg\/mod\.py: it lies outside the output directory/);
  assert.deepEqual(readdirSync(elsewhere), []);
  // A link in the place of a file is replaced, not written through.
  mkdirSync(path.join(out, 'real'));
  symlinkSync(path.join(elsewhere, 'target.txt'), path.join(out, 'real/file.txt'));
  writeFileSync(path.join(elsewhere, 'target.txt'), 'x');
  await installFiles(out, [file('real/file.txt', 'x')]);
  assert.deepEqual(readdirSync(elsewhere), ['target.txt']);
});

test("directories left empty by removed files are removed; ones still holding files, or the user's own, stay", async () => {
  const out = tmp('oxidize-out-');
  await installFiles(out, [file('lib/pkg/sub/a.py'), file('lib/pkg/b.py'), file('lib/other/c.py'), file('app')]);
  mkdirSync(path.join(out, 'mine'));
  await installFiles(out, [file('lib/other/c.py'), file('app')]);
  assert.deepEqual(readdirSync(out).sort(), ['.oxidize-installed', 'app', 'lib', 'mine']);
  assert.deepEqual(readdirSync(path.join(out, 'lib')), ['other']);
  await installFiles(out, [file('app')]);
  assert.deepEqual(readdirSync(out).sort(), ['.oxidize-installed', 'app', 'mine']);
});
