/**
 * The runtime stub: built by cargo once per (runtime sources, distribution),
 * cached in the user cache directory and reused by every build.
 *
 * It is always built with optimizations: the payload reader (index search,
 * blob checks) runs on every import, and an unoptimized stub made the
 * default executable slower than the interpreter it replaces. Since it is
 * built once per distribution, optimizing costs nothing on later builds, so
 * `--release` does not change the stub (it names the output directory and is
 * passed to the config).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import { copyFileAtomic, exists } from '../util/fs.js';
import { withLock } from '../util/lock.js';
import { packageRoot } from '../util/paths.js';
import { runProgram } from '../util/process.js';

export const runtimeDir = path.join(packageRoot, 'runtime-rust');
const STUB_INPUTS = ['Cargo.toml', 'Cargo.lock', 'build.rs', 'src', 'c'];

async function filesUnder(p: string): Promise<string[]> {
  const st = await fsp.stat(p).catch(() => undefined);
  if (!st) return [];
  if (!st.isDirectory()) return [p];
  const names = (await fsp.readdir(p)).sort();
  return (await Promise.all(names.map((n) => filesUnder(path.join(p, n))))).flat();
}

/** Hash of everything that goes into the stub binary (there is one build profile). */
export async function stubKey(dist: PythonDistribution): Promise<string> {
  const h = createHash('sha256').update(`${dist.id}\0optimized\0`);
  for (const input of STUB_INPUTS) {
    for (const f of await filesUnder(path.join(runtimeDir, input))) {
      h.update(path.relative(runtimeDir, f)).update('\0').update(await fsp.readFile(f)).update('\0');
    }
  }
  return h.digest('hex').slice(0, 24);
}

export interface StubOptions {
  cacheDir: string;
  /** Receives cargo's output as it comes (for --verbose). */
  onOutput?: (chunk: string) => void;
  /** Told when a build starts (it takes a while the first time). */
  onBuild?: () => void;
}

function cargoEnv(dist: PythonDistribution): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OXIDIZE_PYTHON_INCLUDE: dist.includeDir,
    OXIDIZE_PYTHON_STATIC_LIB: dist.staticLibrary,
    OXIDIZE_PYTHON_LINK_ARGS: dist.linkArgs.join(' '),
  };
}

async function cargoBuild(dist: PythonDistribution, opts: StubOptions, targetDir: string): Promise<string> {
  const args = ['build', '--offline', '--manifest-path', path.join(runtimeDir, 'Cargo.toml'), '--bin', 'oxidize-stub', '--target-dir', targetDir, '--release'];
  let r;
  try {
    r = await runProgram('cargo', args, { env: cargoEnv(dist), onStderr: opts.onOutput, onStdout: opts.onOutput });
  } catch (e) {
    throw new OxidizeError(
      'NO_CARGO',
      `cannot run cargo to build the runtime stub: ${(e as Error).message}`,
      'install Rust with `apt-get install cargo` (the stub is built once, then cached)',
    );
  }
  if (r.code !== 0) {
    const lines = r.stderr.trim().split('\n');
    const error = lines.find((l) => /^error|undefined reference|cannot find/.test(l)) ?? lines.pop();
    throw new OxidizeError('STUB_BUILD_FAILED', `building the runtime stub failed: ${error}`, 'run with --verbose to see cargo\'s output');
  }
  return path.join(targetDir, 'release', 'oxidize-stub');
}

/** Path of the built stub for this distribution, building it if needed. */
export async function ensureStub(dist: PythonDistribution, opts: StubOptions): Promise<{ path: string; built: boolean }> {
  const key = await stubKey(dist);
  const stub = path.join(opts.cacheDir, 'stubs', key, 'oxidize-stub');
  if (await exists(stub)) return { path: stub, built: false };
  return withLock(path.join(opts.cacheDir, 'locks', `stub-${key}`), async () => {
    if (await exists(stub)) return { path: stub, built: false };
    opts.onBuild?.();
    const built = await cargoBuild(dist, opts, path.join(opts.cacheDir, 'cargo-target', dist.id));
    await copyFileAtomic(built, stub, 0o755);
    return { path: stub, built: true };
  });
}
