/**
 * Modules that do not compile are packed as source with a warning, and
 * importing them raises what python3 raises, in memory and on the filesystem.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { oxidize, projectDir, run } from '../helpers/cli.js';

const PROBE = `
import importlib, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        out[name] = "imported"
    except SyntaxError as e:
        out[name] = [type(e).__name__, e.msg, e.lineno, e.text and e.text.strip(), e.filename.replace("\\\\", "/").split("/")[-1]]
print(json.dumps(out, sort_keys=True))
`;

const FILES: Record<string, string> = {
  'app/__init__.py': '',
  'app/probe.py': PROBE,
  'app/good.py': 'VALUE = 1\n',
  // A deliberate syntax error, an unknown coding cookie, and a bad future import.
  'app/broken.py': 'def f(:\n    pass\n',
  'app/badcoding.py': '# -*- coding: uft-8 -*-\nx = 1\n',
  'app/badfuture.py': 'x = 1\nfrom __future__ import division\n',
};
const MODULES = ['app.good', 'app.broken', 'app.badcoding', 'app.badfuture'];

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
const exe = (ctx, name, policy) => ctx.defaultPythonDistribution()
  .toPythonExecutable({ name, config: { runModule: 'app.probe' }, packagingPolicy: { resourcesPolicy: policy } })
  .addPythonResources(readPackageRoot('.', ['app']));
export default defineConfig({
  targets: {
    memory: { build: (ctx) => exe(ctx, 'probe-memory', 'in-memory-only') },
    files: { build: (ctx) => exe(ctx, 'probe-files', 'filesystem-relative-only:lib') },
  },
});
`;

let dir: string;
let built: { code: number | null; stdout: string; stderr: string };

before(() => {
  dir = projectDir({ ...FILES, 'pyoxidizer.config.ts': CONFIG }, 'oxidize-uncompilable-');
  built = oxidize(['build', 'memory', 'files'], { cwd: dir });
});

test('the build goes on and warns about each module that does not compile', () => {
  assert.equal(built.code, 0, built.stderr);
  for (const exe of ['probe-memory', 'probe-files']) {
    const line = built.stderr.split('\n').find((l) => l.startsWith(`oxidize: warning: ${exe}:`));
    assert.ok(line, built.stderr);
    assert.match(line, /^oxidize: warning: [\w-]+: 3 modules do not compile and are packed as source/);
    assert.match(line, /app\.broken \(SyntaxError: /);
    assert.match(line, /app\.badcoding \(SyntaxError: unknown encoding: uft-8/);
    assert.match(line, /app\.badfuture \(SyntaxError: from __future__ imports must occur at the beginning of the file/);
  }
});

test('importing them raises the SyntaxError python3 raises', async () => {
  const dist = await resolveHostDistribution();
  const expected = spawnSync(dist.python, ['-B', '-m', 'app.probe', ...MODULES], { cwd: dir, encoding: 'utf8' });
  assert.equal(expected.status, 0, expected.stderr);
  const want = JSON.parse(expected.stdout);
  assert.equal(want['app.good'], 'imported');
  for (const exe of built.stdout.trim().split('\n')) {
    const r = run(path.resolve(dir, exe), MODULES);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), want, exe);
  }
});
