/**
 * Classifies the files under a directory as Python resources, the way the
 * import system would see that directory on sys.path (PyOxidizer's
 * `find_resources_in_path`). Every source plugin uses it.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { Resource } from './types.js';

export interface ScanOptions {
  /** Extension module suffixes, longest first (from the distribution). */
  extensionSuffixes: readonly string[];
  /** Directories not entered, by path relative to the root ('/'-separated). */
  skipDirectory?: (relativePath: string) => boolean;
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

async function entries(dir: string): Promise<Dirent[]> {
  const list = await fsp.readdir(dir, { withFileTypes: true });
  // Sorted so the resources come out in the same order on every machine.
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function isDirectory(full: string, e: Dirent): Promise<boolean> {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  return fsp.stat(full).then((s) => s.isDirectory(), () => false);
}

async function isFile(full: string, e: Dirent): Promise<boolean> {
  if (e.isFile()) return true;
  if (!e.isSymbolicLink()) return false;
  return fsp.stat(full).then((s) => s.isFile(), () => false);
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await entries(dir)) {
    const full = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (ALWAYS_SKIPPED.has(e.name)) continue;
    if (await isDirectory(full, e)) out.push(...(await listFiles(full, r)));
    else if (await isFile(full, e)) out.push(r);
  }
  return out;
}

/** The name an entry of a sys.path directory goes by: "pkg" for pkg/, pkg.py and pkg.<abi>.so. */
function topLevelName(file: string, suffixes: readonly string[]): string {
  if (file.endsWith('.py')) return file.slice(0, -3);
  return stripSuffix(file, suffixes) ?? file;
}

/** Finds every resource under `root`, treating `root` itself as a sys.path entry. */
export async function findResourcesInPath(root: string, options: ScanOptions): Promise<Resource[]> {
  const skipDirectory = options.skipDirectory ?? (() => false);
  const topLevel = options.topLevel ?? (() => true);
  const out: Resource[] = [];
  const suffixes = options.extensionSuffixes;

  /**
   * `pkg` is the dotted name of the package `dir` is, or is inside of
   * (`pkgDir` its directory); undefined at the root or outside packages.
   */
  async function walk(dir: string, rel: string, pkg: string | undefined, pkgDir: string | undefined, isPkgDir: boolean) {
    for (const e of await entries(dir)) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      if (dir === root && !topLevel(topLevelName(e.name, suffixes))) continue;
      if (await isDirectory(full, e)) {
        if (skipDirectory(r)) continue;
        if (!pkg && METADATA_DIR.test(e.name)) {
          for (const f of await listFiles(full)) {
            out.push({ type: 'python-distribution-resource', distribution: e.name, path: f, data: { path: path.join(full, f) } });
          }
          continue;
        }
        const hasInit = await fsp.access(path.join(full, '__init__.py')).then(() => true, () => false);
        const name = IDENTIFIER.test(e.name) ? e.name : undefined;
        if (hasInit && name && (isPkgDir || !pkg)) {
          const child = pkg ? `${pkg}.${name}` : name;
          await walk(full, r, child, full, true);
        } else {
          // A plain directory: its files are data of the enclosing package.
          await walk(full, r, pkg, pkgDir, false);
        }
        continue;
      }
      if (!(await isFile(full, e))) continue;
      // Modules live in the root and in package directories; a .py file in a
      // plain directory is data (inside a package) or nothing (outside).
      const moduleHere = isPkgDir || dir === root;
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
      if (pkg && pkgDir) {
        const within = path.relative(pkgDir, full).split(path.sep).join('/');
        out.push({ type: 'python-package-resource', package: pkg, path: within, data: { path: full } });
      }
    }
  }

  await walk(root, '', undefined, undefined, false);
  return out;
}
