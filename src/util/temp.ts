import { mkdtempSync, promises as fsp, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { trackTemporary } from './interrupt.js';
import { processStartTime } from './lock.js';

/** `oxidize-<prefix>-<pid>-<start time>-XXXXXX`: the maker can be told dead or alive. */
const NAME = /^oxidize-[a-z]+-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;
const owner = `${process.pid}-${processStartTime(process.pid) ?? '0'}`;
let swept = false;

/** Removes temporary directories of oxidize processes that were killed before they could. */
function sweepOrphans(): void {
  if (swept) return;
  swept = true;
  let names: string[] = [];
  try {
    names = readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const n of names) {
    const m = NAME.exec(n);
    if (m && processStartTime(Number(m[1])) !== m[2]) rmSync(path.join(os.tmpdir(), n), { recursive: true, force: true });
  }
}

function makeTempDir(prefix: string): string {
  sweepOrphans();
  try {
    return mkdtempSync(path.join(os.tmpdir(), `oxidize-${prefix}-${owner}-`));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const cause = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : code === 'ENOSPC' ? 'its disk is full' : (e as Error).message;
    throw new OxidizeError('CANNOT_WRITE', `cannot make a temporary directory in ${os.tmpdir()}: ${cause} (${code})`, 'point TMPDIR at a writable directory, or unset it', { cause: e });
  }
}

/**
 * A temporary directory that lives until the process exits (or is
 * interrupted): resources collected into it are read when the build links,
 * after the plugin is done.
 */
export function processTempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  trackTemporary(dir);
  return dir;
}

/** Runs `fn` with a temporary directory removed afterwards (and on interrupt). */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeTempDir(prefix);
  const untrack = trackTemporary(dir);
  try {
    return await fn(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
    untrack();
  }
}
