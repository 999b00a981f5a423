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
