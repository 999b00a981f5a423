/**
 * The runtime stub: built by cargo once per (runtime sources, distribution),
 * cached in the user cache directory as a verified entry (checked on every
 * reuse) and reused by every build.
 *
 * It is always built with optimizations: the payload reader (index search,
 * blob checks) runs on every import, and an unoptimized stub made the
 * default executable slower than the interpreter it replaces. Since it is
 * built once per distribution, optimizing costs nothing on later builds, so
 * `--release` does not change the stub (it names the output directory and is
 * passed to the config).
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { checkSupportedPython } from '../distribution/supported.js';
import { OxidizeError } from '../errors.js';
import { cachedEntry, readEntry } from '../cache/entry.js';
import { removeOrphanedTemporaries } from '../util/fs.js';
import { withLock } from '../util/lock.js';
import { packageVersion } from '../cli/version.js';
import { packageRoot } from '../util/paths.js';
import { runProgram } from '../util/process.js';
import { stubProblem } from './stub-check.js';
import { findStubPackage, stubPackageName, type PackageSearch, type StubIdentity } from './stub-package.js';

export const runtimeDir = path.join(packageRoot, 'runtime-rust');
const STUB_INPUTS = ['Cargo.toml', 'Cargo.lock', 'build.rs', 'src', 'c'];

async function filesUnder(p: string): Promise<string[]> {
  const st = await fsp.stat(p).catch(() => undefined);
  if (!st) return [];
  if (!st.isDirectory()) return [p];
  const names = (await fsp.readdir(p)).sort();
  return (await Promise.all(names.map((n) => filesUnder(path.join(p, n))))).flat();
}

/** cargo's arguments, but the manifest and target directory (there is one build profile). */
const CARGO_ARGS = ['build', '--offline', '--bin', 'oxidize-stub', '--release'];

/** Variables of the environment that change what cargo, rustc and build.rs make. */
function buildEnvironment(): Array<[string, string]> {
  // build.rs compiles the C glue with CC (and no CFLAGS); rustc takes RUSTFLAGS and cargo's profile settings.
  const named = new Set(['CC', 'RUSTFLAGS', 'CARGO_ENCODED_RUSTFLAGS', 'CARGO_BUILD_RUSTFLAGS']);
  return Object.entries(process.env)
    .filter((e): e is [string, string] => e[1] !== undefined && (named.has(e[0]) || e[0].startsWith('CARGO_PROFILE_')))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Hash of everything that goes into the stub binary: the distribution, how
 * cargo is run (its arguments, what build.rs is told, the variables that
 * change the code), and the runtime's sources. A stub built another way
 * (an older oxidize's cargo arguments, RUSTFLAGS of one shell) is not reused.
 */
export async function stubKey(dist: PythonDistribution): Promise<string> {
  const h = createHash('sha256').update(`${dist.id}\0optimized\0`);
  h.update(JSON.stringify([CARGO_ARGS, stubLinkEnv(dist), buildEnvironment()])).update('\0');
  for (const input of STUB_INPUTS) {
    for (const f of await filesUnder(path.join(runtimeDir, input))) {
      h.update(path.relative(runtimeDir, f)).update('\0').update(await fsp.readFile(f)).update('\0');
    }
  }
  return h.digest('hex').slice(0, 24);
}

/** Hash of the runtime's sources alone: what a prebuilt stub package must have been built from. */
export async function runtimeDigest(): Promise<string> {
  const h = createHash('sha256');
  for (const input of STUB_INPUTS) {
    for (const f of await filesUnder(path.join(runtimeDir, input))) {
      h.update(path.relative(runtimeDir, f)).update('\0').update(await fsp.readFile(f)).update('\0');
    }
  }
  return h.digest('hex');
}

export async function stubIdentity(dist: PythonDistribution): Promise<StubIdentity> {
  return { runtimeDigest: await runtimeDigest(), distributionDigest: dist.id, targetTriple: dist.targetTriple };
}

export interface StubOptions {
  cacheDir: string;
  /** Where to look for installed stub packages (node_modules walking up from the config, its stubPath, OXIDIZE_STUB_PATH); none: no package lookup. */
  packages?: PackageSearch;
  /** Receives cargo's output as it comes (for --verbose). */
  onOutput?: (chunk: string) => void;
  /** Told when a build starts (it takes a while the first time). */
  onBuild?: () => void;
  /** One-line warnings: a damaged cache entry rebuilt, a wait for another build's lock. */
  warn?: (message: string) => void;
}

/** What build.rs reads to compile the glue and link the interpreter core (see its header). */
export function stubLinkEnv(dist: PythonDistribution): Record<string, string> {
  return {
    OXIDIZE_PYTHON_INCLUDE: dist.includeDir,
    OXIDIZE_PYTHON_STATIC_LIB: dist.link.staticLibrary ?? '',
    OXIDIZE_PYTHON_OBJECTS: dist.link.objects.join('\n'),
    OXIDIZE_PYTHON_LINK_ARGS: dist.link.args.join(' '),
  };
}

function cargoEnv(dist: PythonDistribution): NodeJS.ProcessEnv {
  return { ...process.env, ...stubLinkEnv(dist) };
}

async function cargoBuild(dist: PythonDistribution, opts: StubOptions, targetDir: string): Promise<string> {
  const args = [...CARGO_ARGS, '--manifest-path', path.join(runtimeDir, 'Cargo.toml'), '--target-dir', targetDir];
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

/** Where the verified stub entry for a key lives in the cache. */
export function stubEntryPath(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'stubs', key, 'oxidize-stub.entry');
}

/**
 * cargo's target directory for a key: one per key, never shared by
 * different runtime sources. cargo decides what to rebuild by comparing file
 * times with its last build, so a directory shared by two source trees (two
 * checkouts, or an oxidize upgraded in place by npm, which gives every file
 * the same old time) would take one tree's objects for the other's and cache
 * them under the wrong key. The runtime has no dependencies to share anyway.
 */
export function cargoTargetDir(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'cargo-target', key);
}

/** Target directories of other keys unused for this long are removed after a build (each holds some 80 MB). */
const TARGET_KEEP_MS = 7 * 24 * 3600 * 1000;

async function pruneTargetDirs(cacheDir: string, keep: string): Promise<void> {
  const root = path.join(cacheDir, 'cargo-target');
  for (const name of await fsp.readdir(root).catch(() => [] as string[])) {
    // Only what stub builds make: hex names (keys, and the per-distribution directories of older versions).
    if (name === path.basename(keep) || !/^[0-9a-f]{16,64}$/.test(name)) continue;
    const st = await fsp.stat(path.join(root, name)).catch(() => undefined);
    if (st?.isDirectory() && Date.now() - st.mtimeMs > TARGET_KEEP_MS) await fsp.rm(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * The stub's bytes for this distribution, built if needed. The
 * cached entry is verified (digest and ELF check) on every use; a damaged one
 * is rebuilt with a warning. Builds of one key share a lock, and each key
 * has its own cargo target directory (cargoTargetDir).
 */
export async function ensureStub(dist: PythonDistribution, opts: StubOptions): Promise<{ bytes: Buffer; built: boolean; from: string }> {
  const ready = await readyStub(dist, opts);
  if (ready) return ready;
  const key = await stubKey(dist);
  const entry = stubEntryPath(opts.cacheDir, key);
  const read = { check: (b: Buffer) => stubProblem(b), warn: opts.warn, what: 'runtime stub' };
  const locks = path.join(opts.cacheDir, 'locks');
  const lockOptions = { onWait: opts.warn, onStale: opts.warn };
  return withLock(path.join(locks, `stub-${key}`), async () => {
    let built = false;
    await removeOrphanedTemporaries(path.dirname(entry));
    const { data } = await cachedEntry(
      entry,
      async () => {
        opts.onBuild?.();
        built = true;
        const target = cargoTargetDir(opts.cacheDir, key);
        await fsp.mkdir(target, { recursive: true });
        const now = new Date();
        await fsp.utimes(target, now, now); // in use: not pruned by another build
        let bytes = await fsp.readFile(await cargoBuild(dist, opts, target));
        // cargo trusts its build directory: a binary damaged there is "up to date" forever. Start it afresh.
        const problem = stubProblem(bytes);
        if (problem) {
          opts.warn?.(`cargo's build directory ${target} gave a damaged runtime stub (${problem}); building it again from scratch`);
          await fsp.rm(target, { recursive: true, force: true });
          bytes = await fsp.readFile(await cargoBuild(dist, opts, target));
        }
        await pruneTargetDirs(opts.cacheDir, target);
        return bytes;
      },
      read,
    );
    return { bytes: data, built, from: built ? 'built' : 'from cache' };
  }, lockOptions);
}

/**
 * Stub entries this process has read and verified, by path, with the file's
 * identity then: a build asks for the stub twice (before collecting, and to
 * link), and reading and hashing 8 MB again cost a warm build ~40 ms.
 */
const verified = new Map<string, { id: string; bytes: Buffer }>();

async function readStubEntry(entry: string, read: { check: (b: Buffer) => string | undefined; warn?: (m: string) => void; what: string }): Promise<Buffer | undefined> {
  const st = await fsp.stat(entry).catch(() => undefined);
  const id = st ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : '';
  const known = verified.get(entry);
  if (known && known.id === id) return known.bytes;
  const found = await readEntry(entry, read);
  if (found.status !== 'ok') return undefined;
  verified.set(entry, { id, bytes: found.data });
  return found.data;
}

/** The stub without cargo: the verified cache entry, else a verified installed stub package; undefined when cargo must build it. */
export async function readyStub(dist: PythonDistribution, opts: StubOptions): Promise<{ bytes: Buffer; built: false; from: string } | undefined> {
  checkSupportedPython(dist);
  const entry = stubEntryPath(opts.cacheDir, await stubKey(dist));
  const read = { check: (b: Buffer) => stubProblem(b), warn: opts.warn, what: 'runtime stub' };
  const bytes = await readStubEntry(entry, read);
  if (bytes) return { bytes, built: false, from: 'from cache' };
  if (opts.packages === undefined) return undefined;
  const pkg = await findStubPackage(await stubIdentity(dist), opts.packages);
  if (!pkg) return undefined;
  const problem = stubProblem(pkg.bytes);
  if (problem) throw new OxidizeError('STUB_PACKAGE_ALTERED', `stub package ${pkg.name} (${pkg.dir}): ${problem}`, 'reinstall the package (`npm ci`) or remove it');
  return { bytes: pkg.bytes, built: false, from: `from package ${pkg.name}@${pkg.version}` };
}

/** Whether a program is an executable file on PATH. */
async function onPath(program: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (await fsp.access(path.join(dir, program), fsConstants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

/**
 * Run before any other work of a build: says where the stub will come from,
 * and when it must be built but cargo or cc is missing, fails at once naming
 * the stub package to install and the system packages that would build it.
 */
export async function preflightStub(dist: PythonDistribution, opts: StubOptions): Promise<string> {
  const ready = await readyStub(dist, opts);
  if (ready) return ready.from;
  const missing = [];
  for (const tool of ['cargo', 'cc']) if (!(await onPath(tool))) missing.push(tool);
  if (missing.length > 0) {
    // A distribution from a package: that package (of this oxidize's version) carries the stub too.
    const install = dist.origin.package ? `${dist.origin.package.slice(0, dist.origin.package.lastIndexOf('@'))}@${packageVersion()}` : stubPackageName(dist);
    throw new OxidizeError(
      'NO_STUB_TOOLS',
      `no prebuilt runtime stub for Python ${dist.version} (${dist.targetTriple}) is installed and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH to build one`,
      `install the stub package with \`npm install -D ${install}\`, or the build tools with \`apt-get install cargo gcc\``,
    );
  }
  return 'built with cargo (once per distribution, then cached)';
}
