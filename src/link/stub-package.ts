/**
 * Prebuilt runtime stubs as npm packages. The stub depends only on the
 * runtime's sources and the distribution, so it can be built once and
 * installed like any dependency. A package holds `oxidize-stub` and a
 * manifest (`oxidize-stub.json`) naming what it was built from; a build uses
 * one only when all three of (runtime sources digest, distribution digest,
 * target) match and the stub's sha256 is the manifest's.
 *
 * Name scheme: `@oxidize-py/stub-<target triple>-cp<XY>-<first 8 of the
 * distribution digest>`, version = the oxidize-py version it was built by.
 * A package that also holds the distribution archive (a distribution
 * package, found by Python version: src/distribution/package.ts) is
 * `@oxidize-py/python-<target triple>-cp<XY>`.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';

export const STUB_PACKAGE_SCOPE = '@oxidize-py';
export const STUB_MANIFEST = 'oxidize-stub.json';
export const STUB_FILE = 'oxidize-stub';
/** Directories (separated by `:`) searched for stub packages besides node_modules. */
export const STUB_PATH_ENV = 'OXIDIZE_STUB_PATH';

export interface StubManifest {
  readonly format: 1;
  readonly runtimeDigest: string;
  readonly distributionDigest: string;
  readonly pythonVersion: string;
  readonly targetTriple: string;
  readonly stubSha256: string;
  /** File name of the distribution archive in the package (with --with-distribution). */
  readonly distributionArchive?: string;
  readonly distributionSha256?: string;
}

/** What a stub must match to be used for a distribution. */
export interface StubIdentity {
  readonly runtimeDigest: string;
  readonly distributionDigest: string;
  readonly targetTriple: string;
}

export function stubPackageName(dist: Pick<PythonDistribution, 'targetTriple' | 'versionShort' | 'id'>): string {
  const cp = `cp${dist.versionShort.replace('.', '')}`;
  return `${STUB_PACKAGE_SCOPE}/stub-${dist.targetTriple}-${cp}-${dist.id.slice(0, 8)}`;
}

/**
 * Name of a distribution package (`stub pack --with-distribution`): the
 * distribution archive and its stub, found by Python version, so one per
 * (target, Python minor version) for a release: `@oxidize-py/python-<target
 * triple>-cp<XY>`.
 */
export function distributionPackageName(targetTriple: string, versionShort: string): string {
  return `${STUB_PACKAGE_SCOPE}/python-${targetTriple}-cp${versionShort.replace('.', '')}`;
}

/** npm's os/cpu/libc fields for a target triple. */
export function platformFields(triple: string): { os: string[]; cpu: string[]; libc?: string[] } {
  const [arch] = triple.split('-');
  const cpu = ({ x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm' } as Record<string, string>)[arch] ?? arch;
  const os = triple.includes('linux') ? 'linux' : triple.includes('darwin') ? 'darwin' : triple.includes('windows') ? 'win32' : 'linux';
  const libc = triple.endsWith('musl') ? ['musl'] : triple.endsWith('gnu') ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function readManifest(dir: string): Promise<StubManifest | undefined> {
  const text = await fsp.readFile(path.join(dir, STUB_MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as StubManifest;
    return m && m.format === 1 ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where packages are looked for: every `node_modules/@oxidize-py/` from
 * `fromDir` up to the root, then the config's `stubPath`, then the
 * directories of OXIDIZE_STUB_PATH.
 */
export interface PackageSearch {
  /** Start of the node_modules walk (the config file's directory), and the base of relative `dirs`. */
  readonly fromDir: string;
  /** The config's `stubPath`. */
  readonly dirs?: readonly string[];
  /** Read for OXIDIZE_STUB_PATH. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Package directories to look in, in search order (see PackageSearch); each named directory may be a package, hold packages, or hold node_modules/@oxidize-py/. */
export async function candidatePackageDirs(search: PackageSearch): Promise<string[]> {
  const roots: string[] = [];
  for (let d = path.resolve(search.fromDir); ; d = path.dirname(d)) {
    roots.push(path.join(d, 'node_modules', STUB_PACKAGE_SCOPE));
    if (path.dirname(d) === d) break;
  }
  const named = [
    ...(search.dirs ?? []).map((p) => path.resolve(search.fromDir, p)),
    ...((search.env ?? process.env)[STUB_PATH_ENV] ?? '').split(path.delimiter).filter(Boolean).map((p) => path.resolve(p)),
  ];
  for (const p of named) roots.push(p, path.join(p, 'node_modules', STUB_PACKAGE_SCOPE));
  const dirs: string[] = [];
  for (const root of roots) {
    // A directory named directly may itself be a package.
    if (await fsp.stat(path.join(root, STUB_MANIFEST)).catch(() => undefined)) dirs.push(root);
    const names = await fsp.readdir(root).catch(() => [] as string[]);
    for (const n of names.sort()) dirs.push(path.join(root, n));
  }
  return [...new Set(dirs)];
}

/** A package's manifest and package.json name and version; undefined when the directory holds no manifest oxidize reads. */
export async function readPackage(dir: string): Promise<{ manifest: StubManifest; name: string; version: string } | undefined> {
  const manifest = await readManifest(dir);
  if (!manifest) return undefined;
  const pkg = JSON.parse(await fsp.readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
  return { manifest, name: pkg.name ?? dir, version: pkg.version ?? '?' };
}

export interface FoundStubPackage {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly bytes: Buffer;
  readonly manifest: StubManifest;
}

/**
 * The installed stub package matching `want`, its stub verified against the
 * manifest's sha256; undefined when none matches. A matching package whose
 * stub was altered is refused (an error, not a silent rebuild: the lockfile
 * pinned something else than what is on disk).
 */
export async function findStubPackage(want: StubIdentity, search: PackageSearch): Promise<FoundStubPackage | undefined> {
  for (const dir of await candidatePackageDirs(search)) {
    const pkg = await readPackage(dir);
    if (!pkg) continue;
    const { manifest, name } = pkg;
    if (manifest.runtimeDigest !== want.runtimeDigest || manifest.distributionDigest !== want.distributionDigest || manifest.targetTriple !== want.targetTriple) continue;
    const bytes = await fsp.readFile(path.join(dir, STUB_FILE)).catch(() => undefined);
    const actual = bytes ? sha256(bytes) : 'missing';
    if (!bytes || actual !== manifest.stubSha256) {
      throw new OxidizeError(
        'STUB_PACKAGE_ALTERED',
        `stub package ${name} (${dir}): ${STUB_FILE} has sha256 ${actual}, its manifest says ${manifest.stubSha256}`,
        'reinstall the package (`npm ci`) or remove it',
      );
    }
    return { dir, name, version: pkg.version, bytes, manifest };
  }
  return undefined;
}
