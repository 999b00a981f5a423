/** `npm pack` of this repository and installing the tarball into a fresh project, as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli.js';

export interface Packed {
  tarball: string;
  files: string[];
}

let packed: Packed | undefined;

function npm(args: readonly string[], cwd: string): string {
  const r = spawnSync('npm', [...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Packs the repository once per process (scripts skipped: `npm test` has built dist/ already). */
export function packRepository(): Packed {
  if (packed) return packed;
  const dest = mkdtempSync(path.join(os.tmpdir(), 'oxidize-pack-'));
  const out = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], repoRoot)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = { tarball: path.join(dest, out[0].filename), files: out[0].files.map((f) => f.path).sort() };
  return packed;
}

/**
 * A new project (its own package.json, outside the repository) with the
 * packed tarball installed. Dependencies come from npm's cache when it has
 * them (the registry otherwise).
 */
export function installPackedIntoNewProject(files: Record<string, string>): string {
  const { tarball } = packRepository();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-user-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', tarball], dir);
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export function packageName(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string }).name;
}
