import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildProject, oxidize, projectDir, run } from '../helpers/cli.js';

test('init-config-file writes a config that builds a working REPL executable', () => {
  const dir = projectDir({ '.keep': '' });
  const target = path.join(dir, 'myapp');
  const r = oxidize(['init-config-file', target]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(target, 'pyoxidizer.config.ts')));
  const again = oxidize(['init-config-file', target]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);

  const [exe] = buildProject(target);
  assert.equal(path.basename(exe), 'myapp');
  const out = run(exe, [], { input: 'import sys\nprint(sum(range(10)), sys.oxidized)\n' });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, '45 True\n');
});
