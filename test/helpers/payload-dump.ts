import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { cacheDir } from '../../src/util/paths.js';
import { repoRoot } from './cli.js';

let built: string | undefined;

/** Builds (once) the Rust payload reader's dump tool; needs no Python. */
export function payloadDumpTool(): string {
  if (built) return built;
  // A directory per source tree: cargo would take another tree's build for fresh (see cargoTargetDir).
  const targetDir = path.join(cacheDir(), 'cargo-target', `tools-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`);
  const r = spawnSync('cargo', ['build', '--offline', '--quiet', '--manifest-path', path.join(repoRoot, 'runtime-rust/Cargo.toml'), '--bin', 'oxidize-payload-dump', '--target-dir', targetDir], {
    encoding: 'utf8',
    env: { ...process.env, OXIDIZE_PYTHON_INCLUDE: '', OXIDIZE_PYTHON_STATIC_LIB: '' },
  });
  if (r.status !== 0) throw new Error(`cargo build of oxidize-payload-dump failed:\n${r.stderr}`);
  built = path.join(targetDir, 'debug', 'oxidize-payload-dump');
  return built;
}

export function dumpPayload(file: string): { code: number | null; lines: string[] } {
  const r = spawnSync(payloadDumpTool(), [file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, lines: r.stdout.trim().split('\n') };
}
