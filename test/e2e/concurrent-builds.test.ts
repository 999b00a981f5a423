/**
 * Builds running at once on one empty cache share one stub build, and a
 * stale lock left by a killed build does not stop them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { stubKey } from '../../src/link/stub.js';
import { cliPath, run } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';

function build(dir: string, cache: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'build', '--verbose'], { cwd: dir, env: { ...process.env, OXIDIZE_CACHE_DIR: cache } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('4 concurrent builds of 2 apps on an empty cache with a stale lock: one stub build, correct executables', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-empty-cache-'));
  const dist = await resolveHostDistribution();
  // What a build killed while taking the lock leaves: a directory and a pid file, here holding a live unrelated pid.
  const stale = path.join(cache, 'locks', `stub-${await stubKey(dist)}`);
  mkdirSync(stale, { recursive: true });
  writeFileSync(path.join(stale, 'pid'), '1\n');
  const old = new Date(Date.now() - 3600_000);
  utimesSync(stale, old, old);

  const apps = [tinyApp('alpha', 'print("alpha", 6 * 7)\n'), tinyApp('beta', 'import json; print("beta", json.dumps([1]))\n')];
  const results = await Promise.all([apps[0], apps[1], apps[0], apps[1]].map((d) => build(d, cache)));
  let stubBuilds = 0;
  results.forEach((r, i) => {
    assert.equal(r.code, 0, r.stderr);
    const says = r.stderr.match(/building the runtime stub/g)?.length ?? 0;
    if (/stub built/.test(r.stderr)) {
      stubBuilds++;
      assert.equal(says, 1, `the build that builds the stub says so once:\n${r.stderr}`);
    } else {
      assert.match(r.stderr, /stub from cache/);
      assert.equal(says, 0, 'builds that reuse the stub do not say they build it');
    }
    const exe = path.resolve(apps[i % 2], r.stdout.trim().split('\n').pop()!);
    const out = run(exe);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), i % 2 === 0 ? 'alpha 42' : 'beta [1]');
  });
  assert.equal(stubBuilds, 1, 'one build built the stub, the others waited for it');
  assert.match(results.map((r) => r.stderr).join('\n'), /lock .*stub-.* was stale \(it has no valid owner record\)/);
  for (const d of [cache, ...apps]) rmSync(d, { recursive: true, force: true });
});
