/**
 * Python versions the runtime stub is written for (its C glue uses the
 * PyConfig API and internals of these releases). Checked before cargo
 * runs, so an unsupported distribution fails in one line instead of deep
 * inside the C compile.
 */
import * as os from 'node:os';
import { OxidizeError } from '../errors.js';
import type { PythonDistribution } from './types.js';

export const SUPPORTED_PYTHON_VERSIONS = ['3.11', '3.12'] as const;

export function checkSupportedPython(d: PythonDistribution): void {
  if ((SUPPORTED_PYTHON_VERSIONS as readonly string[]).includes(d.versionShort)) return;
  throw new OxidizeError(
    'UNSUPPORTED_PYTHON',
    `Python ${d.version} (${d.origin.location}) is not supported; oxidize embeds Python ${SUPPORTED_PYTHON_VERSIONS.join(' and ')}`,
    `use a ${SUPPORTED_PYTHON_VERSIONS.join(' or ')} interpreter (--python) or distribution archive`,
  );
}

/** The target triple of executables built on this machine (the stub is built for the host). */
export function hostTargetTriple(): string {
  const machine = ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[os.arch()] ?? os.arch();
  return `${machine}-unknown-linux-gnu`;
}

/** A distribution oxidize can build an executable with on this machine: a supported version, for this machine. */
export function checkBuildable(d: PythonDistribution): void {
  checkSupportedPython(d);
  const host = hostTargetTriple();
  if (d.targetTriple !== host) {
    throw new OxidizeError(
      'UNSUPPORTED_PLATFORM',
      `the distribution ${d.origin.location} is for ${d.targetTriple}; oxidize builds executables for this machine (${host})`,
      `use a ${host} distribution`,
    );
  }
}
