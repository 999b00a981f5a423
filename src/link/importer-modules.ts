/**
 * The importer that runs inside every executable, as modules of the payload:
 * the bootstrap finder (`_oxidize_importer`, run by the runtime before any
 * finder exists, builtin imports only) and the modules it imports through
 * itself when their job comes up.
 */
import * as path from 'node:path';
import type { PlacedResource } from '../resources/types.js';
import { runtimeDir } from './stub.js';

const NAMES = ['_oxidize_importer', '_oxidize_resources', '_oxidize_metadata', '_oxidize_startup', '_oxidize_files', '_oxidize_pkg_resources', '_oxidize_ctypes', '_oxidize_ssl'] as const;

export const IMPORTER_MODULES: readonly PlacedResource[] = NAMES.map((name) => ({
  type: 'python-module-source',
  name,
  isPackage: false,
  source: { path: path.join(runtimeDir, 'python', `${name}.py`) },
  location: 'in-memory',
}));
