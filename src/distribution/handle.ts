/**
 * The config's view of distributions: `PythonDistribution({ sha256, url |
 * localPath })` and `ctx.defaultPythonDistribution()` return handles; the
 * executables they make remember which distribution to build with, and the
 * build resolves it (downloading, verifying, extracting) only then.
 */
import type { DistributionHandle } from '../config/define.js';
import { OxidizeError } from '../errors.js';
import { PythonExecutable, type PythonExecutableOptions } from '../pipeline/executable.js';
import { checkSha256Format } from './archive/fetch.js';

export type DistributionSpec = { kind: 'host'; python?: string } | { kind: 'archive'; sha256: string; url?: string; localPath?: string };

export interface PythonDistributionOptions {
  /** sha256 of the archive file (64 hex digits); always verified before the archive is read. */
  sha256: string;
  /** Where to download the archive (once; later builds use the cached copy). */
  url?: string;
  /** The archive on this machine (relative paths are relative to the config file's directory). */
  localPath?: string;
}

export interface DefaultPythonDistributionOptions {
  /** Interpreter of the host distribution (`--python` overrides). */
  python?: string;
}

/** Symbol.for, so executables made by a config's own copy of this package are read too. */
const SPEC = Symbol.for('oxidize.distribution');

export function distributionSpecOf(exe: PythonExecutable): DistributionSpec {
  return ((exe as unknown as Record<symbol, DistributionSpec | undefined>)[SPEC]) ?? { kind: 'host' };
}

function handle(spec: DistributionSpec): DistributionHandle {
  return {
    toPythonExecutable(options: PythonExecutableOptions): PythonExecutable {
      const exe = new PythonExecutable(options);
      Object.defineProperty(exe, SPEC, { value: spec, enumerable: false });
      return exe;
    },
  };
}

/** A python-build-standalone archive (`.tar.zst`), by URL or local path, with its sha256. */
export function PythonDistribution(options: PythonDistributionOptions): DistributionHandle {
  const { sha256, url, localPath } = options ?? ({} as PythonDistributionOptions);
  if (typeof sha256 !== 'string') {
    throw new OxidizeError('BAD_DISTRIBUTION', 'PythonDistribution needs `sha256`', 'give the archive\'s sha256 (as printed by `sha256sum` or `oxidize python-distribution-create`)');
  }
  if ((url === undefined) === (localPath === undefined)) {
    throw new OxidizeError('BAD_DISTRIBUTION', 'PythonDistribution needs exactly one of `url` and `localPath`', 'give where the archive is downloaded from, or where it is on this machine');
  }
  const digest = checkSha256Format(sha256, 'PythonDistribution');
  return handle({ kind: 'archive', sha256: digest, url, localPath });
}

/** The host interpreter (the default when a config names no distribution). */
export function defaultPythonDistribution(options: DefaultPythonDistributionOptions = {}): DistributionHandle {
  return handle({ kind: 'host', python: options.python });
}
