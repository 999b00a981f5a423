/**
 * cargo's target directory is shared by stubs of different runtime sources of
 * one distribution: building a stub holds its lock, so two builds never run
 * cargo on it at once (and never copy each other's binary).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cargoTargetName, ensureStub, runtimeDir } from '../../src/link/stub.js';
import { acquireLock } from '../../src/util/lock.js';

test('a stub build waits for the lock of cargo\'s target directory', async () => {
  const dist = await resolveHostDistribution();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stub-lock-'));
  // Held by this process (alive): as a build of other runtime sources would hold it.
  const release = await acquireLock(path.join(cache, 'locks', `cargo-target-${cargoTargetName(dist)}`));
  const saved = process.env.OXIDIZE_LOCK_TIMEOUT;
  process.env.OXIDIZE_LOCK_TIMEOUT = '1';
  const said: string[] = [];
  try {
    await assert.rejects(ensureStub(dist, { cacheDir: cache, warn: (m) => said.push(m) }), /waiting for lock .*cargo-target-/);
    assert.match(said.join('\n'), /waiting for lock .*cargo-target-.* held by pid/);
    assert.equal(existsSync(path.join(cache, 'cargo-target')), false, 'cargo did not run');
  } finally {
    if (saved === undefined) delete process.env.OXIDIZE_LOCK_TIMEOUT;
    else process.env.OXIDIZE_LOCK_TIMEOUT = saved;
    await release();
  }
});

test('each tree of runtime sources builds in a directory of its own: cargo would call another tree\'s build fresh', () => {
  const dist = { id: 'python-3.11-abc' };
  assert.equal(cargoTargetName(dist), cargoTargetName(dist, runtimeDir));
  assert.equal(cargoTargetName(dist, '/a/node_modules/oxidize-py/runtime-rust'), cargoTargetName(dist, '/a/node_modules/oxidize-py/runtime-rust/'));
  assert.notEqual(cargoTargetName(dist, '/a/node_modules/oxidize-py/runtime-rust'), cargoTargetName(dist, '/b/node_modules/oxidize-py/runtime-rust'));
  assert.notEqual(cargoTargetName(dist), cargoTargetName({ id: 'python-3.12-abc' }));
  assert.match(cargoTargetName(dist), /^python-3\.11-abc-[0-9a-f]{12}$/);
});
