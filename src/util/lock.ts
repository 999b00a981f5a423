/**
 * A lock directory shared by processes on one cache (parallel builds, CI
 * jobs), so a shared artifact is built once.
 *
 * The lock is taken by renaming a prepared directory holding `owner.json`
 * into place, so a lock never exists without its owner record. The record
 * names the holder by pid *and* process start time (and boot id and host), so
 * a dead holder, or a live process that merely reuses the pid (after a
 * container restart), is recognised and the lock taken over. Holders on
 * another host cannot be checked: they refresh the record's time while they
 * hold the lock (a lease), and a record not refreshed for LEASE_MS is stale.
 * A wait is announced, and ends after a timeout with an error naming the lock
 * and its holder: a lock never hangs a build silently.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { trackTemporary } from './interrupt.js';

const OWNER = 'owner.json';
const POLL_MS = 200;
const HEARTBEAT_MS = 10_000;
const LEASE_MS = 60_000;
/** A lock without a readable owner record younger than this may be one being taken by an older oxidize. */
const UNOWNED_GRACE_MS = 2_000;
const DEFAULT_TIMEOUT_S = 1200;

export interface LockOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22). */
  start: string;
  boot: string;
  host: string;
  command: string;
}

function readText(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** A process's start time, or undefined if it does not exist (or there is no /proc). */
export function processStartTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

const bootId = (readText('/proc/sys/kernel/random/boot_id') ?? '').trim();

function me(): LockOwner {
  return {
    pid: process.pid,
    start: processStartTime(process.pid) ?? '',
    boot: bootId,
    host: os.hostname(),
    command: process.argv.slice(1).map((a) => path.basename(a)).join(' ').slice(0, 200),
  };
}

function describe(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host} (${o.command || 'unknown command'})`;
}

type Holder = { state: 'live'; owner: LockOwner } | { state: 'stale'; why: string } | { state: 'unknown' };

async function inspect(lockDir: string, record: string | undefined, now: number): Promise<Holder> {
  const st = await fsp.lstat(lockDir).catch(() => undefined);
  if (!st) return { state: 'unknown' };
  let owner: LockOwner | undefined;
  try {
    const o = JSON.parse(record ?? '') as LockOwner;
    if (Number.isInteger(o.pid) && o.pid > 0 && typeof o.start === 'string' && typeof o.host === 'string') owner = o;
  } catch {
    /* not a record */
  }
  if (!owner) {
    if (now - st.mtimeMs < UNOWNED_GRACE_MS) return { state: 'unknown' };
    return { state: 'stale', why: 'it has no valid owner record' };
  }
  if (owner.host !== os.hostname()) {
    const touched = (await fsp.stat(path.join(lockDir, OWNER)).catch(() => st)).mtimeMs;
    return now - touched > LEASE_MS ? { state: 'stale', why: `its holder on ${owner.host} stopped renewing it` } : { state: 'live', owner };
  }
  if (owner.boot && bootId && owner.boot !== bootId) return { state: 'stale', why: 'its holder ran before the last reboot' };
  const start = processStartTime(owner.pid);
  if (start === undefined) {
    if (bootId) return { state: 'stale', why: `its holder pid ${owner.pid} is gone` };
    // No /proc: fall back to asking the kernel whether the pid exists.
    try {
      process.kill(owner.pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') return { state: 'stale', why: `its holder pid ${owner.pid} is gone` };
    }
    return { state: 'live', owner };
  }
  if (owner.start && start !== owner.start) return { state: 'stale', why: `pid ${owner.pid} is now another process` };
  return { state: 'live', owner };
}

/** Moves a stale lock aside and removes it; puts it back if it turned out to be a fresh one. */
async function breakLock(lockDir: string, record: string | undefined): Promise<void> {
  const aside = `${lockDir}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await fsp.rename(lockDir, aside);
  } catch {
    return; // someone else broke it
  }
  const moved = await fsp.readFile(path.join(aside, OWNER), 'utf8').catch(() => undefined);
  if (moved !== record && moved !== undefined) {
    // Between our look and the rename another process took the lock: give it back.
    await fsp.rename(aside, lockDir).catch(() => undefined);
  }
  await fsp.rm(aside, { recursive: true, force: true });
}

export interface LockOptions {
  /** Told once, in one line, that the lock is held by another process and we wait. */
  onWait?: (message: string) => void;
  /** Told when a stale lock is taken over. */
  onStale?: (message: string) => void;
  /** How long to wait for a live holder (default: OXIDIZE_LOCK_TIMEOUT seconds, else 20 minutes). */
  timeoutMs?: number;
}

function defaultTimeout(): number {
  const s = Number(process.env.OXIDIZE_LOCK_TIMEOUT);
  return (Number.isFinite(s) && s > 0 ? s : DEFAULT_TIMEOUT_S) * 1000;
}

/** Takes the lock (waiting for a live holder), returns a function releasing it. */
export async function acquireLock(lockDir: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  await fsp.mkdir(path.dirname(lockDir), { recursive: true });
  const timeout = options.timeoutMs ?? defaultTimeout();
  const began = Date.now();
  const mine = JSON.stringify(me());
  let announced = false;
  for (;;) {
    const tmp = `${lockDir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const untrackTmp = trackTemporary(tmp);
    await fsp.mkdir(tmp);
    await fsp.writeFile(path.join(tmp, OWNER), mine);
    try {
      await fsp.rename(tmp, lockDir);
      untrackTmp();
      const stillMine = await fsp.readFile(path.join(lockDir, OWNER), 'utf8').catch(() => '');
      if (stillMine === mine) break;
      // An empty directory at lockDir was replaced by a racing taker too; not ours.
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      await fsp.rm(tmp, { recursive: true, force: true });
      untrackTmp();
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') throw e;
    }
    const record = await fsp.readFile(path.join(lockDir, OWNER), 'utf8').catch(() => undefined);
    const holder = await inspect(lockDir, record, Date.now());
    if (holder.state === 'stale') {
      options.onStale?.(`lock ${lockDir} was stale (${holder.why}); taking it over`);
      const st = await fsp.lstat(lockDir).catch(() => undefined);
      if (st && !st.isDirectory()) await fsp.rm(lockDir, { force: true });
      else await breakLock(lockDir, record);
      continue;
    }
    const who = holder.state === 'live' ? describe(holder.owner) : 'a process that is still taking it';
    if (!announced) {
      announced = true;
      options.onWait?.(`waiting for lock ${lockDir}, held by ${who}`);
    }
    if (Date.now() - began > timeout) {
      throw new OxidizeError(
        'LOCK_TIMEOUT',
        `gave up after ${Math.round(timeout / 1000)} s waiting for lock ${lockDir}, held by ${who}`,
        `if that process is not an oxidize build still working, delete ${lockDir}; OXIDIZE_LOCK_TIMEOUT sets the wait in seconds`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const ownerFile = path.join(lockDir, OWNER);
  // An interrupted build removes its lock on the way out.
  const untrackLock = trackTemporary(lockDir);
  // The lease: holders elsewhere judge this lock by how recently it was renewed.
  const heartbeat = setInterval(() => {
    const t = new Date();
    fsp.utimes(ownerFile, t, t).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    untrackLock();
    const record = await fsp.readFile(ownerFile, 'utf8').catch(() => undefined);
    // Only remove the lock if it is still ours (a stale-lock breaker may have taken it).
    if (record === mine) await breakLock(lockDir, record);
  };
}

/** Runs `fn` holding the lock. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(lockDir, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}
