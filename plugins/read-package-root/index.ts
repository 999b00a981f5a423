/**
 * `readPackageRoot(path, packages)`: the named packages (a package directory
 * or a single module file) from a directory, as PyOxidizer's
 * `read_package_root`, with the distribution metadata (`*.dist-info`,
 * `*.egg-info`) beside them that belongs to them, for code that reads its
 * own version or entry points with importlib.metadata. A name ending in
 * `.dist-info` or `.egg-info` takes that metadata directory.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import {
  checkBooleanOption, checkOptions, configError, didYouMean, checkString, checkStringList, findResourcesInPath, LISTING_FILES, METADATA_NAME, metadataBelongsTo, OxidizeError, sourcePlugin,
  type MetadataListing, type OxidizePlugin, type PluginContext, type Resource, type ResourceSource,
} from '../../src/plugin-api.js';
import { globSuggestion } from '../../src/install/glob.js';

export interface PackageRootSource extends ResourceSource {
  readonly kind: 'read-package-root';
  /** Directory holding the packages; relative paths resolve against the config file's directory. */
  readonly path: string;
  /** Top-level package or module names, or metadata directory names, to take. */
  readonly packages: readonly string[];
  /** Pack what symbolic links pointing out of `path` point to (else such a link is an error). */
  readonly followSymlinksOutside: boolean;
  /** Take the metadata directories in `path` that belong to the named packages. */
  readonly distributionMetadata: boolean;
}

export interface PackageRootOptions {
  /**
   * Symbolic links inside the packages that point out of `path` (Debian's
   * packages link some data files to /usr/share) are an error unless this is
   * set; then what they point to is packed.
   */
  followSymlinksOutside?: boolean;
  /**
   * Take the `*.dist-info` / `*.egg-info` directories (or egg-info files) in
   * `path` that belong to the named packages (default true): their
   * `top_level.txt` lists one, or, without it, their `RECORD`,
   * `installed-files.txt` or `SOURCES.txt` lists its files, or their project
   * name is the package's name.
   */
  distributionMetadata?: boolean;
}

export function readPackageRoot(root: string, packages: readonly string[], options: PackageRootOptions = {}): PackageRootSource {
  const call = 'readPackageRoot(path, packages, options)';
  checkString(call, 'path', root, "give the directory holding the packages, for example readPackageRoot('src', ['myapp'])");
  const example = typeof packages === 'string' ? `readPackageRoot(${JSON.stringify(root)}, [${JSON.stringify(packages)}])` : "readPackageRoot('src', ['myapp'])";
  checkStringList(call, 'packages', packages, `list the package names in brackets: ${example}`);
  checkOptions(call, options, 'give { followSymlinksOutside?, distributionMetadata? }');
  checkBooleanOption(call, 'followSymlinksOutside', options.followSymlinksOutside, 'use true or false');
  checkBooleanOption(call, 'distributionMetadata', options.distributionMetadata, 'use true or false');
  return {
    kind: 'read-package-root',
    path: root,
    packages: [...packages],
    followSymlinksOutside: options.followSymlinksOutside ?? false,
    distributionMetadata: options.distributionMetadata ?? true,
  };
}

function topLevel(r: Resource): string | undefined {
  switch (r.type) {
    case 'python-distribution-resource':
      return r.distribution;
    case 'shared-library':
      return r.name.split('/')[0].replace(/\.libs$/, '');
    case 'python-module-source':
    case 'python-module-bytecode':
    case 'python-extension-module':
      return r.name.split('.')[0];
    case 'python-package-resource':
      return r.package.split('.')[0];
    default:
      return undefined;
  }
}

/**
 * The listing of a metadata directory that says what it installed: only the
 * first of its files that exists, in the order they are believed (the rest
 * would not be read; SOURCES.txt can be long). Empty for an egg-info file.
 */
async function readListing(dir: string): Promise<MetadataListing> {
  for (const [key, file] of Object.entries(LISTING_FILES)) {
    const text = await fsp.readFile(path.join(dir, file), 'utf8').catch(() => undefined);
    if (text !== undefined) return { [key]: text };
  }
  return {};
}

/** The metadata directories (and egg-info files) in `root` that belong to one of `packages`, sorted. */
export async function metadataOf(root: string, packages: readonly string[]): Promise<string[]> {
  const names = (await fsp.readdir(root)).filter((n) => METADATA_NAME.test(n)).sort();
  const belongs = await Promise.all(
    names.map(async (name) => {
      // By name first: no file to read.
      if (packages.some((p) => metadataBelongsTo(name, {}, p))) return true;
      const full = path.join(root, name);
      if (!(await fsp.stat(full).then((s) => s.isDirectory(), () => false))) return false;
      const listing = await readListing(full);
      return packages.some((p) => metadataBelongsTo(name, listing, p));
    }),
  );
  return names.filter((_, i) => belongs[i]);
}

const exists = (p: string) => fsp.stat(p).then(() => true, () => false);

/**
 * What to write instead of a name readPackageRoot did not find: the usual
 * slips are a path to the package itself, a file name, and a dotted name
 * of a package below a top-level (often namespace) package.
 */
export async function notFoundHint(source: PackageRootSource, root: string, name: string, extensionSuffixes: readonly string[]): Promise<string> {
  const call = (dir: string, names: readonly string[]) => `readPackageRoot(${JSON.stringify(dir)}, [${names.map((n) => JSON.stringify(n)).join(', ')}])`;
  const others = source.packages.filter((p) => p !== name);
  const withName = (replacement: string) => call(source.path, source.packages.map((p) => (p === name ? replacement : p)));
  // readPackageRoot('src/myapp', ['myapp']): the package directory itself, not the one holding it.
  if (path.basename(root) === name && ((await exists(path.join(root, '__init__.py'))) || (await fsp.readdir(root)).some((f) => f.endsWith('.py')))) {
    return `${source.path} is the package itself: give the directory that holds it, ${call(path.dirname(source.path.replace(/\/+$/, '')), source.packages)}`;
  }
  // ['src/myapp']: a path where a name belongs; the directory goes in the first argument.
  if (name.includes('/')) {
    const trimmed = name.replace(/\/+$/, '');
    const first = trimmed.split('/')[0];
    const topLevel = call(source.path, source.packages.map((p) => (p === name ? first : p)));
    // Below a package ('pkg/sub'): the top-level package brings it.
    if (await exists(path.join(root, first, '__init__.py'))) return `names are top-level package or module names, not paths: ${topLevel} packs ${first} with everything under it`;
    const dir = path.posix.join(source.path, path.posix.dirname(trimmed));
    const base = path.posix.basename(trimmed).replace(/\.py$/, '');
    return `names are package or module names, not paths: ${call(dir, source.packages.map((p) => (p === name ? base : p)))}, or ${topLevel} if ${first} is a namespace package`;
  }
  // ['six.py']: a module is named without its suffix.
  const suffix = ['.py', ...extensionSuffixes].find((s) => name.endsWith(s));
  if (suffix && (await exists(path.join(root, name)))) return `name the module without ${suffix}: ${withName(name.slice(0, -suffix.length))}`;
  // ['ruamel.yaml']: names are top-level; the top-level package brings everything below it.
  if (name.includes('.') && !METADATA_NAME.test(name)) {
    const top = name.split('.')[0];
    const dir = path.join(root, ...name.split('.'));
    if ((await exists(dir)) || (await exists(`${dir}.py`))) {
      const namespace = !(await exists(path.join(root, top, '__init__.py')));
      return `readPackageRoot takes top-level names: ${withName(top)} packs ${top}${namespace ? ' (a namespace package)' : ''} with ${name} and everything else under ${top}/`;
    }
  }
  // A directory of that name without Python files, or a near name.
  if (await fsp.stat(path.join(root, name)).then((st) => st.isDirectory(), () => false)) {
    return `${path.join(root, name)} holds no Python module or package`;
  }
  const entries = (await fsp.readdir(root)).map((f) => f.replace(/\.py$/, '')).filter((f) => !others.includes(f));
  const near = didYouMean(name, entries);
  if (near) return `did you mean ${withName(near)}?`;
  return `expected ${name}/__init__.py, a namespace directory ${name}/ or a module ${name}.py there`;
}

/** The named packages of one source, with their `.libs` directories and metadata directories. */
export async function collectPackageRoot(ctx: PluginContext, source: PackageRootSource): Promise<Resource[]> {
  const root = path.resolve(ctx.options.configDir, source.path);
  const st = await fsp.stat(root).catch(() => undefined);
  if (!st?.isDirectory()) {
    // A misspelt directory ('scr'): the one meant, when one is near.
    const near = path.isAbsolute(source.path) ? undefined : await globSuggestion(ctx.options.configDir, source.path);
    throw configError(
      'PACKAGE_ROOT_MISSING',
      { file: ctx.options.configFile, target: ctx.options.target },
      [],
      `${ctx.options.target === undefined ? '' : '→ '}readPackageRoot(${JSON.stringify(source.path)}, ...): ${root} ${st ? 'is not a directory' : 'does not exist'}`,
      near ? `did you mean readPackageRoot(${JSON.stringify(near)}, ...)?` : 'give the directory that holds the packages, relative to the config file',
    );
  }
  const wanted = new Set(source.packages);
  const scan = (take: (name: string) => boolean) =>
    findResourcesInPath(root, { extensionSuffixes: ctx.distribution.extensionSuffixes, topLevel: take, followSymlinksOutside: source.followSymlinksOutside });
  // `pkg.libs/` holds the shared libraries of pkg's extension modules (auditwheel's layout).
  const take = (name: string) => wanted.has(name) || (name.endsWith('.libs') && wanted.has(name.slice(0, -5)));
  const found = (await scan(take)).filter((r) => {
    const top = topLevel(r);
    return top !== undefined && wanted.has(top);
  });
  for (const name of wanted) {
    if (!found.some((r) => topLevel(r) === name)) {
      // Named with the config file and target: the fix is in the call.
      const call = `readPackageRoot(${JSON.stringify(source.path)}, [${source.packages.map((p) => JSON.stringify(p)).join(', ')}])`;
      throw configError(
        'PACKAGE_NOT_FOUND',
        { file: ctx.options.configFile, target: ctx.options.target },
        [],
        `${ctx.options.target === undefined ? '' : '→ '}${call}: no package, module or metadata directory named '${name}' in ${root}`,
        await notFoundHint(source, root, name, ctx.distribution.extensionSuffixes),
      );
    }
  }
  if (!source.distributionMetadata) return found;
  const packages = [...wanted].filter((n) => !METADATA_NAME.test(n));
  for (const meta of await metadataOf(root, packages)) {
    if (wanted.has(meta)) continue;
    try {
      found.push(...(await scan((n) => n === meta)));
    } catch (e) {
      // Metadata nobody asked for does not fail the build: it is left out, and the build says so.
      if (!(e instanceof OxidizeError) || e.code !== 'SYMLINK_OUTSIDE_SOURCE') throw e;
      ctx.warn(`${meta} in ${root} left out: ${e.message} (pass followSymlinksOutside: true, or name it among the packages, to pack it)`);
    }
  }
  return found;
}

export function readPackageRootPlugin(): OxidizePlugin {
  return sourcePlugin<PackageRootSource>('oxidize:read-package-root', 'read-package-root', collectPackageRoot);
}
