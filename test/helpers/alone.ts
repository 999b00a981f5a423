/**
 * Runs an executable copied alone into an empty directory, with the host's
 * Python installations hidden (a private mount namespace with tmpfs over
 * them), as a user's machine without Python would.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PythonDistribution } from '../../src/distribution/types.js';
import type { CliResult } from './cli.js';

export function canRunAlone(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['-m', 'true']).status === 0;
}

/** The directories holding the host's Pythons, outermost only. */
export function hostPythonDirs(dist: PythonDistribution): string[] {
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const dirs = [...new Set([dist.stdlibDir, dist.dynloadDir, `/usr/lib/python${dist.versionShort}`, '/usr/lib/python3', `/usr/local/lib/python${dist.versionShort}`, pyenvRoot])]
    .filter((p) => existsSync(p))
    .map((p) => path.resolve(p));
  return dirs.filter((p) => !dirs.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/** `before` is a shell command run first, in the same shell (`ulimit -n 5`). */
export function runAlone(dist: PythonDistribution, exe: string, args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv; before?: string } = {}): CliResult & { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-alone-'));
  const copy = path.join(dir, path.basename(exe));
  copyFileSync(exe, copy);
  chmodSync(copy, 0o755);
  const mounts = hostPythonDirs(dist).map((p) => `mount -t tmpfs none '${p}'`).join(' && ');
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `${mounts} && cd '${dir}' && ${options.before ?? 'true'} && exec './${path.basename(exe)}' ${quoted}`], {
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 16 << 20,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, dir };
}
