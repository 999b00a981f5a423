/** Locks never hang silently: stale holders are recognised, live ones waited for with a message and a timeout. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { acquireLock, processStartTime, withLock } from '../../src/util/lock.js';

function lockPath(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'oxidize-lock-')), 'locks', 'stub-abc');
}

function owner(lock: string, o: object, ageSeconds = 0) {
  mkdirSync(lock, { recursive: true });
  writeFileSync(path.join(lock, 'owner.json'), JSON.stringify(o));
  const t = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(path.join(lock, 'owner.json'), t, t);
  utimesSync(lock, t, t);
}

async function takesOver(lock: string): Promise<string[]> {
  const said: string[] = [];
  await withLock(lock, async () => undefined, { onStale: (m) => said.push(m), onWait: (m) => said.push(m), timeoutMs: 3000 });
  return said;
}

const host = os.hostname();

test('an empty lock directory (left by a killed build) does not block', async () => {
  const lock = lockPath();
  mkdirSync(lock, { recursive: true });
  await takesOver(lock);
});

test('a lock whose pid file holds garbage is taken over', async () => {
  const lock = lockPath();
  mkdirSync(lock, { recursive: true });
  writeFileSync(path.join(lock, 'pid'), 'garbage\n');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  const said = await takesOver(lock);
  assert.match(said.join('\n'), /stale \(it has no valid owner record\)/);
});

test('a dead holder and a live pid that is another process are both stale', async () => {
  const dead = lockPath();
  owner(dead, { pid: 2 ** 22 - 3, start: '1', boot: '', host, command: 'oxidize build' });
  assert.match((await takesOver(dead)).join('\n'), /is gone/);
  // pid 1 is alive, but it did not start when this record says: the pid was reused.
  const reused = lockPath();
  owner(reused, { pid: 1, start: '999999999', boot: '', host, command: 'oxidize build' });
  assert.match((await takesOver(reused)).join('\n'), /pid 1 is now another process/);
});

test('a holder on another host is trusted while it renews its lease, not after', async () => {
  const lock = lockPath();
  owner(lock, { pid: 1, start: '1', boot: 'x', host: 'elsewhere', command: 'oxidize build' }, 600);
  assert.match((await takesOver(lock)).join('\n'), /holder on elsewhere stopped renewing it/);
  const fresh = lockPath();
  owner(fresh, { pid: 1, start: '1', boot: 'x', host: 'elsewhere', command: 'oxidize build' });
  await assert.rejects(takesOver(fresh), /waiting for lock .*stub-abc, held by pid 1 on elsewhere/);
});

test('a live holder is waited for with one message, then a timeout naming the lock and holder', async () => {
  const lock = lockPath();
  const child = spawn('sleep', ['30']);
  await new Promise((r) => child.once('spawn', r));
  try {
    owner(lock, { pid: child.pid, start: processStartTime(child.pid!), boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), host, command: 'oxidize build' });
    const waits: string[] = [];
    await assert.rejects(
      withLock(lock, async () => undefined, { onWait: (m) => waits.push(m), timeoutMs: 1000 }),
      (e: Error) => {
        assert.match(e.message, new RegExp(`gave up after 1 s waiting for lock ${lock}, held by pid ${child.pid} on ${host} \\(oxidize build\\)`));
        assert.match((e as Error & { hint: string }).hint, /delete .*stub-abc/);
        return true;
      },
    );
    assert.equal(waits.length, 1);
  } finally {
    child.kill();
  }
});

test('the lock serializes holders and is released', async () => {
  const lock = lockPath();
  const order: string[] = [];
  const one = withLock(lock, async () => {
    order.push('a-in');
    await new Promise((r) => setTimeout(r, 300));
    order.push('a-out');
  });
  await new Promise((r) => setTimeout(r, 50));
  const two = withLock(lock, async () => {
    order.push('b-in');
  });
  await Promise.all([one, two]);
  assert.deepEqual(order, ['a-in', 'a-out', 'b-in']);
  const release = await acquireLock(lock, { timeoutMs: 500 });
  await release();
});
