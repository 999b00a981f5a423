/** Builds remove and write only inside their output directory, and sources do not leak out through links. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, run } from '../helpers/cli.js';
import { scratchDir, tinyApp } from '../helpers/tiny-app.js';

test('a crafted .oxidize-installed line does not make a build delete a file elsewhere', () => {
  const dir = tinyApp('paths', 'print("ok")\n');
  const first = oxidize(['build'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  const exe = path.resolve(dir, first.stdout.trim());
  const victim = path.join(scratchDir('oxidize-victim-'), 'victim.txt');
  writeFileSync(victim, 'keep me');
  const manifest = path.join(path.dirname(exe), '.oxidize-installed');
  writeFileSync(manifest, `${path.relative(path.dirname(exe), victim)}\n`);
  const again = oxidize(['build'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.match(again.stderr, /oxidize: warning: ignoring ".*victim\.txt" in .*\.oxidize-installed/);
  assert.equal(run(exe).stdout, 'ok\n');
});

test('a loop link in a package is packed once; a link out of the source is one line', () => {
  const dir = tinyApp('links', 'import pkgutil, app\nprint(sorted(m.name for m in pkgutil.walk_packages(app.__path__, "app.")))\n', { 'src/app/sub/__init__.py': '' });
  symlinkSync('..', path.join(dir, 'src/app/sub/loop'));
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const out = run(path.resolve(dir, r.stdout.trim()));
  assert.equal(out.stdout, "['app.__main__', 'app.sub']\n");

  const secret = path.join(scratchDir('oxidize-secret-'), 'secret.txt');
  writeFileSync(secret, 'outside');
  symlinkSync(secret, path.join(dir, 'src/app/secret.txt'));
  const refused = oxidize(['build'], { cwd: dir });
  assert.equal(refused.code, 1);
  const lines = refused.stderr.trim().split('\n').filter((l) => l.startsWith('oxidize:'));
  assert.equal(lines.length, 1, refused.stderr);
  assert.match(lines[0], /src\/app\/secret\.txt is a symbolic link to .*secret\.txt, outside the source directory .*followSymlinksOutside: true/);
  rmSync(dir, { recursive: true, force: true });
  assert.ok(existsSync(secret));
});
