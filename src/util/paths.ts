import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the installed `oxidize` package (holds runtime-rust/, schemas/, ...). */
export const packageRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Where stubs and bytecode are cached: OXIDIZE_CACHE_DIR, else the XDG cache dir. */
export function cacheDir(): string {
  if (process.env.OXIDIZE_CACHE_DIR) return path.resolve(process.env.OXIDIZE_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'oxidize');
}

/** The npm package name users install and import in configs. */
export const PACKAGE_NAME = 'oxidize-py';
/**
 * Names a config may import the API from: the package name, and `oxidize`,
 * which configs written before the package had its published name use.
 */
export const API_IMPORT_NAMES = [PACKAGE_NAME, 'oxidize'] as const;
