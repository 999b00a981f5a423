/**
 * Python versions the runtime stub is written for (its C glue uses the
 * PyConfig API and internals of these releases). Checked before cargo
 * runs, so an unsupported distribution fails in one line instead of deep
 * inside the C compile.
 */
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
