/** Runs the real CLI (bin/oxidize.js) as a user would. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const cliPath = path.join(repoRoot, 'bin/oxidize.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function result(r: SpawnSyncReturns<string>): CliResult {
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function oxidize(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const env = { ...process.env, ...options.env };
  delete env.PYOXIDIZER_CONFIG;
  if (options.env?.PYOXIDIZER_CONFIG) env.PYOXIDIZER_CONFIG = options.env.PYOXIDIZER_CONFIG;
  return result(spawnSync(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repoRoot, env, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Runs a built executable. */
export function run(exe: string, args: readonly string[] = [], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  return result(
    spawnSync(exe, args, { cwd: options.cwd, input: options.input ?? '', env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 << 20 }),
  );
}

/** A fresh directory holding the given files (path -> content). */
export function projectDir(files: Record<string, string>, prefix = 'oxidize-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

/** Builds with the CLI and returns the executables it printed; throws with its stderr on failure. */
export function buildProject(dir: string, args: readonly string[] = []): string[] {
  const r = oxidize(['build', ...args], { cwd: dir });
  if (r.code !== 0) throw new Error(`oxidize build failed (${r.code}):\n${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((p) => path.resolve(dir, p));
}
