/**
 * Classifies the files under a directory as Python resources, the way the
 * import system would see that directory on sys.path (PyOxidizer's
 * `find_resources_in_path`). Every source plugin uses it.
 */
import { existsSync, promises as fsp, readdirSync, realpathSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { checkString, checkStringList } from '../config/arguments.js';
import type { Resource } from './types.js';

export interface ScanOptions {
  /** Extension module suffixes, longest first (from the distribution). */
  extensionSuffixes: readonly string[];
  /** Directories not entered, by path relative to the root ('/'-separated). */
  skipDirectory?: (relativePath: string) => boolean;
  /** Pack what symbolic links pointing out of the root point to (else such a link is an error). */
  followSymlinksOutside?: boolean;
  /**
   * Entries of the root to take, by top-level name: a directory's name, a
   * module file's name without its suffix. Everything when not given.
   */
  topLevel?: (name: string) => boolean;
}

/**
 * A file name stem Python's path finder would import: anything without a dot
 * (`_sysconfigdata__linux_x86_64-linux-gnu` is imported by name at run time).
 */
const MODULE_STEM = /^[^.\s]+$/;
/** Package directories must be identifiers to be reachable by `import a.b`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHARED_LIBRARY = /\.so(\.\d+)*$/;
const METADATA_DIR = /\.(dist-info|egg-info)$/;
const EGG_INFO_FILE = /\.egg-info$/;
const ALWAYS_SKIPPED = new Set(['__pycache__']);

/** The module name of a file, if its name ends with one of the suffixes and the rest is an identifier. */
function stripSuffix(file: string, suffixes: readonly string[]): string | undefined {
  for (const s of suffixes) {
    if (file.endsWith(s)) {
      const stem = file.slice(0, -s.length);
      return MODULE_STEM.test(stem) ? stem : undefined;
    }
  }
  return undefined;
}

// Directory reads and real paths are synchronous: a scan of the standard
// library visits hundreds of directories, and each asynchronous call is a
// thread-pool trip that a warm build waited on.
async function entries(dir: string): Promise<Dirent[]> {
  const list = readdirSync(dir, { withFileTypes: true });
  // Sorted so the resources come out in the same order on every machine.
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Throws when the entry of `dir` that Node decoded as `decoded` (with U+FFFD
 * for bytes that are not UTF-8) has a name that is not UTF-8: no file has the
 * decoded name, and the payload names what it holds in UTF-8.
 */
function checkUtf8Name(dir: string, decoded: string): void {
  const raw = readdirSync(dir, { encoding: 'buffer' }).find((b) => b.toString('utf8') === decoded);
  if (raw === undefined || Buffer.from(raw.toString('utf8'), 'utf8').equals(raw)) return; // a real U+FFFD in a UTF-8 name
  const shown = [...raw].map((c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
  throw new OxidizeError('FILE_NAME_NOT_UTF8', `${path.join(dir, shown)}: the file name is not UTF-8, and an executable names what it holds in UTF-8`);
}

/**
 * How symbolic links are taken: a link to something inside the root is
 * packed as what it points to (a directory is entered once, whatever the
 * number of ways to reach it, so a `loop -> ..` link adds nothing); a link
 * out of the root is refused unless the source says to follow it.
 */
class Walker {
  private readonly visited = new Set<string>();
  private constructor(
    private readonly root: string,
    private readonly realRoot: string,
    private readonly followOutside: boolean,
  ) {
    this.visited.add(realRoot);
  }

  static async create(root: string, followOutside: boolean): Promise<Walker> {
    return new Walker(root, await fsp.realpath(root), followOutside);
  }

  private inside(real: string): boolean {
    return real === this.realRoot || real.startsWith(this.realRoot + path.sep);
  }

  /** What an entry is to the scan: a directory, a file, or nothing (a dangling link, a special file). */
  async kind(full: string, e: Dirent): Promise<'directory' | 'file' | undefined> {
    if (e.isSymbolicLink()) {
      const real = await fsp.realpath(full).catch(() => undefined);
      if (real === undefined) return undefined;
      if (!this.inside(real) && !this.followOutside) {
        throw new OxidizeError(
          'SYMLINK_OUTSIDE_SOURCE',
          `${full} is a symbolic link to ${real}, outside the source directory ${this.root}`,
          'replace the link with what it points to, or set followSymlinksOutside: true on this source in the config to pack it',
        );
      }
      const st = await fsp.stat(real).catch(() => undefined);
      if (st?.isDirectory()) return 'directory';
      return st?.isFile() ? 'file' : undefined;
    }
    if (e.isDirectory()) return 'directory';
    return e.isFile() ? 'file' : undefined;
  }

  /** Whether a directory is to be entered: not if it was entered before (through another path or a loop). */
  async enter(dir: string): Promise<boolean> {
    const real = realpathSync(dir);
    if (this.visited.has(real)) return false;
    this.visited.add(real);
    return true;
  }

  async listFiles(dir: string, rel = ''): Promise<string[]> {
    const out: string[] = [];
    for (const e of await entries(dir)) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      // A name that is not UTF-8 comes back with U+FFFD for its bad bytes: no file has that name.
      if (e.name.includes('\ufffd')) checkUtf8Name(dir, e.name);
      const kind = await this.kind(full, e);
      if (kind === 'directory' && (await this.enter(full))) out.push(...(await this.listFiles(full, r)));
      else if (kind === 'file') out.push(r);
    }
    return out;
  }
}

/** The name an entry of a sys.path directory goes by: "pkg" for pkg/, pkg.py and pkg.<abi>.so. */
function topLevelName(file: string, suffixes: readonly string[]): string {
  if (file.endsWith('.py')) return file.slice(0, -3);
  return stripSuffix(file, suffixes) ?? file;
}

/** Finds every resource under `root`, treating `root` itself as a sys.path entry. */
export async function findResourcesInPath(root: string, options: ScanOptions): Promise<Resource[]> {
  checkString('findResourcesInPath(root, options)', 'root', root, 'give the directory to scan');
  checkStringList('findResourcesInPath(root, options)', 'extensionSuffixes', options?.extensionSuffixes, 'give ctx.distribution.extensionSuffixes');
  const skipDirectory = options.skipDirectory ?? (() => false);
  const topLevel = options.topLevel ?? (() => true);
  const out: Resource[] = [];
  const suffixes = options.extensionSuffixes;
  const walker = await Walker.create(root, options.followSymlinksOutside ?? false);

  /**
   * What a directory is to the import system:
   * - `root`: the sys.path entry itself;
   * - `package`: a regular package (has `__init__.py`);
   * - `namespace`: a PEP 420 namespace package outside any regular package
   *   (an identifier directory without `__init__.py`): its modules and
   *   packages are named under it, never promoted to the top level;
   * - `data`: a plain directory inside a package: its files are that package's data;
   *   when it is reachable by import (identifier directories all the way from the
   *   package, `ns` its dotted name), python3 imports what it holds too, as a
   *   PEP 420 namespace portion nested in the package (`pkg.data.mod`, a regular
   *   package `pkg.data.sub` when `sub/__init__.py` is there): those modules are
   *   found as well, and the files stay the enclosing package's data;
   * - `outside`: not importable (a name that is no identifier): only shared
   *   libraries are taken from it.
   */
  type Mode = 'root' | 'package' | 'namespace' | 'data' | 'outside';

  /**
   * `pkg` is the dotted name of the package (regular or namespace) `dir` is,
   * or is inside of (`pkgDir` its directory); undefined at the root and outside packages.
   */
  async function walk(dir: string, rel: string, pkg: string | undefined, pkgDir: string | undefined, mode: Mode, ns?: string) {
    for (const e of await entries(dir)) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      if (mode === 'root' && !topLevel(topLevelName(e.name, suffixes))) continue;
      if (e.name.includes('\ufffd')) checkUtf8Name(dir, e.name);
      const kind = await walker.kind(full, e);
      if (kind === 'directory') {
        if (skipDirectory(r) || !(await walker.enter(full))) continue;
        if (mode === 'root' && METADATA_DIR.test(e.name)) {
          for (const f of await walker.listFiles(full)) {
            out.push({ type: 'python-distribution-resource', distribution: e.name, path: f, data: { path: path.join(full, f) } });
          }
          continue;
        }
        const hasInit = existsSync(path.join(full, '__init__.py'));
        const name = IDENTIFIER.test(e.name) ? e.name : undefined;
        const child = name && (pkg ? `${pkg}.${name}` : name);
        const importable = mode === 'root' || mode === 'package' || mode === 'namespace';
        if (child && importable && hasInit) await walk(full, r, child, full, 'package');
        else if (child && (mode === 'root' || mode === 'namespace')) await walk(full, r, child, full, 'namespace');
        else if (mode === 'package' || mode === 'data') {
          // The dotted name python3 imports this directory by, if any.
          const inner = name && (mode === 'package' ? child : ns && `${ns}.${name}`);
          await walk(full, r, pkg, pkgDir, 'data', inner || undefined);
        } else await walk(full, r, undefined, undefined, 'outside');
        continue;
      }
      if (kind !== 'file') continue;
      if (mode === 'root' && EGG_INFO_FILE.test(e.name)) {
        // An egg-info file is the distribution's PKG-INFO (importlib.metadata reads it so):
        // packed as that file of a metadata directory of the same name.
        out.push({ type: 'python-distribution-resource', distribution: e.name, path: 'PKG-INFO', data: { path: full } });
        continue;
      }
      if (mode === 'data' && ns) importableData(full, e.name, ns, dir);
      // Modules live in the root and in package directories; a .py file in a
      // plain directory is data (inside a package) or nothing (outside).
      const moduleHere = mode === 'root' || mode === 'package' || mode === 'namespace';
      if (moduleHere && e.name.endsWith('.py')) {
        const stem = e.name.slice(0, -3);
        if (stem === '__init__' && pkg) {
          out.push({ type: 'python-module-source', name: pkg, isPackage: true, source: { path: full } });
          continue;
        }
        if (MODULE_STEM.test(stem)) {
          out.push({ type: 'python-module-source', name: pkg ? `${pkg}.${stem}` : stem, isPackage: false, source: { path: full } });
          continue;
        }
      }
      const ext = moduleHere ? stripSuffix(e.name, suffixes) : undefined;
      if (ext) {
        out.push({ type: 'python-extension-module', name: pkg ? `${pkg}.${ext}` : ext, builtin: false, file: { path: full } });
        continue;
      }
      if (SHARED_LIBRARY.test(e.name)) {
        // Named by its path from the root: extension modules find it there through $ORIGIN.
        out.push({ type: 'shared-library', name: r, file: { path: full } });
        continue;
      }
      if (e.name.endsWith('.pyc') || e.name.endsWith('.pyo')) continue;
      // Data belongs to regular packages only (a namespace package has no single directory).
      if ((mode === 'package' || mode === 'data') && pkg && pkgDir) {
        const within = path.relative(pkgDir, full).split(path.sep).join('/');
        out.push({ type: 'python-package-resource', package: pkg, path: within, data: { path: full } });
      }
    }
  }

  /**
   * A file of a data directory that python3 imports as `ns.<stem>` (or as the
   * package `ns` for `__init__.py`): found as a module as well as data.
   */
  function importableData(full: string, file: string, ns: string, dir: string) {
    if (file.endsWith('.py')) {
      const stem = file.slice(0, -3);
      if (stem === '__init__') out.push({ type: 'python-module-source', name: ns, isPackage: true, source: { path: full } });
      else if (MODULE_STEM.test(stem) && !existsSync(path.join(dir, stem, '__init__.py'))) {
        // A regular package of the same name wins over the module, as in python3's FileFinder.
        out.push({ type: 'python-module-source', name: `${ns}.${stem}`, isPackage: false, source: { path: full } });
      }
    }
    // Extension modules there stay shared libraries (named by path, loaded through $ORIGIN).
  }

  await walk(root, '', undefined, undefined, 'root');
  return out;
}
