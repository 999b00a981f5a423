/**
 * Building a stub holds the lock of its key, so two builds of the same
 * runtime sources never run cargo at once; each key has a cargo target
 * directory of its own, so builds of different sources never share one.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cargoTargetDir, ensureStub, stubKey } from '../../src/link/stub.js';
import { acquireLock } from '../../src/util/lock.js';

test('a stub build waits for the lock of its key; its cargo target directory is named after the key', async () => {
  const dist = await resolveHostDistribution();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stub-lock-'));
  const key = await stubKey(dist);
  assert.equal(cargoTargetDir(cache, key), path.join(cache, 'cargo-target', key));
  // Held by this process (alive): as another build of the same sources would hold it.
  const release = await acquireLock(path.join(cache, 'locks', `stub-${key}`));
  const saved = process.env.OXIDIZE_LOCK_TIMEOUT;
  process.env.OXIDIZE_LOCK_TIMEOUT = '1';
  const said: string[] = [];
  try {
    await assert.rejects(ensureStub(dist, { cacheDir: cache, warn: (m) => said.push(m) }), /waiting for lock .*stub-/);
    assert.match(said.join('\n'), /waiting for lock .*stub-.* held by pid/);
    assert.equal(existsSync(path.join(cache, 'cargo-target')), false, 'cargo did not run');
  } finally {
    if (saved === undefined) delete process.env.OXIDIZE_LOCK_TIMEOUT;
    else process.env.OXIDIZE_LOCK_TIMEOUT = saved;
    await release();
  }
});

test('each key builds in a directory of its own: cargo would call another tree\'s build, or older files of an upgrade in place, fresh', async () => {
  const dist = await resolveHostDistribution();
  const key = await stubKey(dist);
  assert.equal(cargoTargetDir('/c', key), path.join('/c', 'cargo-target', key));
  assert.notEqual(cargoTargetDir('/c', key), cargoTargetDir('/c', await stubKey({ ...dist, id: `${dist.id}-other` })));
});
