/**
 * The config's view of distributions: `PythonDistribution({ sha256, url |
 * localPath })`, `PythonDistribution({ version })` and
 * `ctx.defaultPythonDistribution()` return handles; the executables they
 * make remember which distribution to build with, and the build resolves it
 * (downloading or finding the installed package, verifying, extracting) only
 * then.
 */
import type { DistributionHandle } from '../config/define.js';
import { OxidizeError } from '../errors.js';
import { PythonExecutable, type PythonExecutableOptions } from '../pipeline/executable.js';
import { checkSha256Format } from './archive/fetch.js';
import { SUPPORTED_PYTHON_VERSIONS } from './supported.js';

export type DistributionSpec =
  | { kind: 'host'; python?: string }
  | { kind: 'archive'; sha256: string; url?: string; localPath?: string }
  | { kind: 'package'; version: string; sha256?: string };

/** An archive named by where it is. */
export interface PythonDistributionArchiveOptions {
  /** sha256 of the archive file (64 hex digits); always verified before the archive is read. */
  sha256: string;
  /** Where to download the archive (once; later builds use the cached copy). */
  url?: string;
  /** The archive on this machine (relative paths are relative to the config file's directory). */
  localPath?: string;
  version?: never;
}

/** An archive named by its Python version, taken from an installed distribution package (`oxidize stub pack --with-distribution`). */
export interface PythonDistributionVersionOptions {
  /** "3.11" (any 3.11.x) or "3.11.7". */
  version: string;
  /** When given, the package's archive must have this sha256. */
  sha256?: string;
  url?: never;
  localPath?: never;
}

export type PythonDistributionOptions = PythonDistributionArchiveOptions | PythonDistributionVersionOptions;

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

/**
 * A python-build-standalone archive (`.tar.zst`): by URL or local path with
 * its sha256, or by Python version from an installed distribution package.
 */
export function PythonDistribution(options: PythonDistributionOptions): DistributionHandle {
  const { sha256, url, localPath, version } = (options ?? {}) as { sha256?: unknown; url?: string; localPath?: string; version?: unknown };
  if (version !== undefined) {
    if (typeof version !== 'string' || !/^\d+\.\d+(\.\d+)?$/.test(version)) {
      throw new OxidizeError('BAD_DISTRIBUTION', `PythonDistribution: version ${JSON.stringify(version)} is not a Python version`, 'give it as "3.11" or "3.11.7"');
    }
    const minor = version.split('.').slice(0, 2).join('.');
    if (!(SUPPORTED_PYTHON_VERSIONS as readonly string[]).includes(minor)) {
      throw new OxidizeError('UNSUPPORTED_PYTHON', `PythonDistribution: Python ${version} is not supported; oxidize embeds Python ${SUPPORTED_PYTHON_VERSIONS.join(' and ')}`, `name one of ${SUPPORTED_PYTHON_VERSIONS.join(', ')}`);
    }
    if (url !== undefined || localPath !== undefined) {
      throw new OxidizeError('BAD_DISTRIBUTION', 'PythonDistribution: `version` and `url`/`localPath` are two ways of naming a distribution', 'give either `version` (an installed distribution package) or `url`/`localPath` with `sha256`');
    }
    if (sha256 !== undefined && typeof sha256 !== 'string') throw new OxidizeError('BAD_SHA256', 'PythonDistribution: `sha256` is not a string', 'give the archive\'s digest as 64 hexadecimal digits');
    return handle({ kind: 'package', version, ...(sha256 !== undefined ? { sha256: checkSha256Format(sha256, 'PythonDistribution') } : {}) });
  }
  if (typeof sha256 !== 'string') {
    throw new OxidizeError('BAD_DISTRIBUTION', 'PythonDistribution needs `sha256` (or `version`)', 'give the archive\'s sha256 (as printed by `sha256sum` or `oxidize python-distribution-create`), or a `version` to take from an installed distribution package');
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
