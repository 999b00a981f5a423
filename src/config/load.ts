/**
 * Finds and loads pyoxidizer.config.ts. cosmiconfig finds the file (in the
 * working directory or an ancestor, or PYOXIDIZER_CONFIG); jiti loads it, so
 * a config may import the user's other TypeScript files.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cosmiconfig } from 'cosmiconfig';
import { createRequire } from 'node:module';
import type { createJiti as CreateJiti } from 'jiti';
import { OxidizeError } from '../errors.js';
import { API_IMPORT_NAMES, cacheDir } from '../util/paths.js';
import type { ConfigEnv, ConfigExport, OxidizeConfig } from './define.js';
import { configShape } from './config-shape.js';
import { validate } from './shape.js';
import { checkConfig } from './validate.js';
import { transpileCache, type TranspileCache } from './transpile-cache.js';

export const CONFIG_FILES = ['pyoxidizer.config.ts', 'pyoxidizer.config.mts', 'pyoxidizer.config.mjs', 'pyoxidizer.config.js'];

export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly config: OxidizeConfig;
}

/** The package's own entry point, which a config's `import ... from 'oxidize-py'` (or `'oxidize'`) resolves to. */
const API_ENTRY = fileURLToPath(new URL('../index.js', import.meta.url));

// Required, not imported: jiti's ESM entry wraps a 190 KB CommonJS file that Node scans
// for named exports first, about 50 ms of every build.
const requireHere = createRequire(import.meta.url);
const { createJiti } = requireHere('jiti') as { createJiti: typeof CreateJiti };

async function importConfig(file: string): Promise<unknown> {
  const cache = transpileCache(path.join(cacheDir(), 'config-transpiled'), requireHere);
  try {
    return await importWith(file, cache.transform);
  } catch (e) {
    // Cached code that does not parse was not written by this transform: once more, transpiled afresh.
    if (cache.hits === 0 || !(e instanceof Error && e.name === 'SyntaxError')) throw e;
    cache.refresh();
    return importWith(file, cache.transform);
  }
}

async function importWith(file: string, transform: TranspileCache['transform']): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    // Transpiled files are kept in the user cache (transpile-cache.ts): loading Babel and
    // transpiling again took about 0.4 s of every warm build. jiti's own file cache is off:
    // it takes any file that ends with the source's hash, so a damaged one was run.
    fsCache: false,
    transform,
    interopDefault: true,
    alias: Object.fromEntries(API_IMPORT_NAMES.map((name) => [name, API_ENTRY])),
  });
  return jiti.import(file, { default: true });
}

/** `pyoxidizer.config.ts:12` when the error's stack passes through the config file, else its name. */
export function where(e: unknown, file: string): string {
  const stack = e instanceof Error ? e.stack ?? '' : '';
  const line = stack.split('\n').find((l) => l.includes(path.basename(file)));
  const m = line?.match(/:(\d+):(\d+)\)?$/);
  return m ? `${path.basename(file)}:${m[1]}` : path.basename(file);
}

/**
 * The config file for `location`: the file itself when it is one, else
 * PYOXIDIZER_CONFIG, else the nearest config in the directory or above it.
 */
export async function findConfigFile(location: string): Promise<string> {
  const st = await fsp.stat(location).catch(() => undefined);
  if (!st) throw new OxidizeError('CONFIG_NOT_FOUND', `${location} does not exist`, 'give --path a directory holding pyoxidizer.config.ts, or the config file');
  if (st.isFile()) return path.resolve(location);
  const searchFrom = path.resolve(location);
  const explicit = process.env.PYOXIDIZER_CONFIG;
  if (explicit) {
    const file = path.resolve(searchFrom, explicit);
    if (!(await fsp.stat(file).then((s) => s.isFile(), () => false))) {
      throw new OxidizeError('CONFIG_NOT_FOUND', `PYOXIDIZER_CONFIG names ${file}, which does not exist`);
    }
    return file;
  }
  const explorer = cosmiconfig('oxidize', {
    searchPlaces: CONFIG_FILES,
    stopDir: path.parse(searchFrom).root,
    searchStrategy: 'global',
    // Only locate here; the file is imported by `importConfig`.
    loaders: Object.fromEntries(['.ts', '.mts', '.mjs', '.js'].map((ext) => [ext, () => ({})])),
    cache: false,
    // An empty config file is found, and then refused as exporting no config: not "no config here".
    ignoreEmptySearchPlaces: false,
  });
  const found = await explorer.search(searchFrom);
  if (!found) {
    throw new OxidizeError(
      'CONFIG_NOT_FOUND',
      `no pyoxidizer.config.ts in ${searchFrom} or its parent directories`,
      'create one with `oxidize init-config-file <dir>`, or point to it with --path or PYOXIDIZER_CONFIG',
    );
  }
  return found.filepath;
}

export async function loadConfig(location: string, env: Omit<ConfigEnv, 'configDir' | 'vars'> & { vars?: ConfigEnv['vars'] }): Promise<LoadedConfig> {
  const file = await findConfigFile(location);
  const dir = path.dirname(file);
  let exported: unknown;
  try {
    exported = await importConfig(file);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const err = new OxidizeError('CONFIG_FAILED', `${where(e, file)}: loading the config failed: ${message}`, 'fix the error in the config file');
    if (e instanceof Error) err.stack = e.stack;
    throw err;
  }
  let config: unknown;
  try {
    const value = exported as ConfigExport;
    config = await (typeof value === 'function' ? value({ ...env, vars: env.vars ?? {}, configDir: dir }) : value);
  } catch (e) {
    const err = new OxidizeError('CONFIG_FAILED', `${where(e, file)}: the config threw: ${e instanceof Error ? e.message : String(e)}`);
    if (e instanceof Error) err.stack = e.stack;
    throw err;
  }
  if (config && typeof config === 'object' && !Array.isArray(config) && typeof (config as OxidizeConfig).targets !== 'object') {
    // Misspelt keys (`target`, `pyhton`) say so, with the key meant, before the missing targets.
    const issue = validate(configShape, { ...config, targets: {} });
    if (issue?.code === 'CONFIG_UNKNOWN_KEY' && issue.hint?.startsWith('did you mean')) checkConfig({ ...config, targets: {} }, file);
  }
  if (!config || typeof config !== 'object' || typeof (config as OxidizeConfig).targets !== 'object') {
    throw new OxidizeError('CONFIG_INVALID', `${path.basename(file)} must export default defineConfig({ targets: { ... } })`);
  }
  checkConfig(config, file);
  return { file, dir, config: config as OxidizeConfig };
}
