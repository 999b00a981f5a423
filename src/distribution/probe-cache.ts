/**
 * Probes of an interpreter (running it to describe itself) cached on disk, so
 * a warm build starts no Python process: each costs 40–100 ms, and one started
 * through a pyenv shim 0.25–0.5 s of bash before Python even runs.
 *
 * An entry is keyed by what decides which interpreter a command runs, read
 * without running it:
 * - an ELF executable: the path it was found at, its real path (after
 *   symlinks), size, modification time and inode;
 * - a pyenv shim: the shim, `PYENV_VERSION`, the `.python-version` file pyenv
 *   would read (from `PYENV_DIR` or the working directory up, else the global
 *   `version` file) with its content, and the installed versions;
 * - anything else (another wrapper script): not cached, run every time.
 * The key also holds the probe's own text. What an entry says is believed
 * only while the files it names (the interpreter, its static library,
 * `Python.h`) are unchanged; anything else runs the probe again.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readEntry, writeEntry } from '../cache/entry.js';
import { cacheDir } from '../util/paths.js';

type Stamp = [file: string, size: number, mtimeMs: number];

async function stamp(file: string): Promise<Stamp | undefined> {
  const st = await fsp.stat(file).catch(() => undefined);
  return st?.isFile() ? [file, st.size, st.mtimeMs] : undefined;
}

/** The file a command names: a path as it is, a bare name from PATH. */
async function onPath(command: string): Promise<string | undefined> {
  if (command.includes('/')) return path.resolve(command);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const f = path.resolve(dir, command);
    const st = await fsp.stat(f).catch(() => undefined);
    if (st?.isFile() && st.mode & 0o111) return f;
  }
  return undefined;
}

/** pyenv's version file for a shim: PYENV_DIR or the working directory up, else the global one. */
async function pyenvVersionFile(root: string): Promise<string> {
  for (let dir = path.resolve(process.env.PYENV_DIR ?? process.cwd()); ; dir = path.dirname(dir)) {
    const f = path.join(dir, '.python-version');
    if ((await fsp.stat(f).catch(() => undefined))?.isFile()) return f;
    if (path.dirname(dir) === dir) return path.join(root, 'version');
  }
}

/** What decides which interpreter `command` runs, or undefined when that cannot be read without running it. */
export async function interpreterIdentity(command: string): Promise<unknown[] | undefined> {
  const found = await onPath(command);
  if (!found) return undefined;
  const real = await fsp.realpath(found).catch(() => undefined);
  if (!real) return undefined;
  const fh = await fsp.open(real, 'r').catch(() => undefined);
  if (!fh) return undefined;
  let head: Buffer;
  let st;
  try {
    head = Buffer.alloc(1024);
    head = head.subarray(0, (await fh.read(head, 0, head.length, 0)).bytesRead);
    st = await fh.stat();
  } finally {
    await fh.close();
  }
  // The path it was found at too: sys.executable names that, not the link's target.
  if (head.subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'))) return ['elf', found, real, st.size, st.mtimeMs, st.ino];
  const text = head.toString('latin1');
  const root = /^export PYENV_ROOT="([^"]+)"$/m.exec(text)?.[1];
  if (!text.startsWith('#!') || !root || !/libexec\/pyenv" exec /.test(text)) return undefined;
  const versionFile = await pyenvVersionFile(root);
  const version = await fsp.readFile(versionFile, 'utf8').catch(() => null);
  const installed = await fsp.readdir(path.join(root, 'versions')).catch(() => []);
  return ['pyenv', found, path.basename(found), st.size, st.mtimeMs, process.env.PYENV_VERSION ?? null, versionFile, version, installed.sort()];
}

interface Entry<T> {
  result: T;
  stamps: Stamp[];
}

/**
 * `run()`'s result for this interpreter and probe, from the cache when the
 * interpreter is the same; `files(result)` names the files the result depends
 * on (checked unchanged on every use). A result `keep` refuses is not cached.
 */
export async function cachedProbe<T>(
  command: string,
  probeText: string,
  run: () => Promise<T>,
  files: (result: T) => string[],
  keep: (result: T) => boolean = () => true,
): Promise<T> {
  const identity = await interpreterIdentity(command).catch(() => undefined);
  if (!identity) return run();
  const key = createHash('sha256').update(JSON.stringify(identity)).update('\0').update(probeText).digest('hex');
  const file = path.join(cacheDir(), 'probes', key.slice(0, 2), key);
  const found = await readEntry(file);
  if (found.status === 'ok') {
    try {
      const e = JSON.parse(found.data.toString('utf8')) as Entry<T>;
      const now = await Promise.all(e.stamps.map((s) => stamp(s[0])));
      if (now.every((s, i) => s !== undefined && JSON.stringify(s) === JSON.stringify(e.stamps[i]))) return e.result;
    } catch {
      // An entry from another version of this code: probe again.
    }
  }
  const result = await run();
  if (!keep(result)) return result;
  const stamps = await Promise.all(files(result).map(stamp));
  if (stamps.some((s) => s === undefined)) return result;
  const entry: Entry<T> = { result, stamps: stamps as Stamp[] };
  await writeEntry(file, Buffer.from(JSON.stringify(entry))).catch(() => undefined);
  return result;
}
