/**
 * FileManifest: an install layout (PyOxidizer's `FileManifest`). A target
 * that returns one gets it written under its build directory. Additions are
 * recorded and resolved when the manifest is materialized, so `glob()` and
 * relative source paths are taken from the config file's directory whatever
 * the working directory is.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { globFiles, globSuggestion } from './glob.js';
import { checkOptions, checkStringList } from '../config/arguments.js';

/** One file of a resolved manifest. */
export interface ManifestFile {
  /** Destination, '/'-separated, relative to the install directory. */
  readonly path: string;
  /** The source file (absolute), or the bytes. */
  readonly source: { readonly file: string } | { readonly bytes: Uint8Array };
  /** Mode bit; undefined keeps the source file's. */
  readonly executable?: boolean;
}

export interface GlobOptions {
  /** Patterns of files to leave out (same syntax as the include patterns). */
  exclude?: string | readonly string[];
  /** Removed from the start of each matched path ("static/" makes static/css/a.css land at css/a.css). */
  stripPrefix?: string;
}

type Op =
  | { op: 'file'; dest: string; source: string | Uint8Array; executable?: boolean }
  | { op: 'glob'; include: readonly string[]; exclude: readonly string[]; stripPrefix: string }
  | { op: 'executable'; directory: string; files: readonly string[]; main: string; prefix: string }
  | { op: 'manifest'; manifest: FileManifest; prefix: string };

const BRAND = Symbol.for('oxidize.FileManifest');

export function isFileManifest(x: unknown): x is FileManifest {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

/** A plain relative destination: no absolute path, no `..`, '/'-separated. */
function destination(p: string, what: string): string {
  const norm = path.posix.normalize(p).replace(/\/$/, '');
  if (!norm || norm === '.' || path.posix.isAbsolute(norm) || norm.split('/').includes('..')) {
    throw new Error(`${what} ${JSON.stringify(p)} must be a relative path inside the install directory`);
  }
  return norm;
}

function join(prefix: string, p: string): string {
  return prefix ? `${prefix}/${p}` : p;
}

/** What a target that builds an executable gives its dependants (see BuiltExecutable). */
interface BuiltLike {
  kind: 'built-executable';
  path: string;
  directory: string;
  files: readonly string[];
}

function isBuiltExecutable(x: unknown): x is BuiltLike {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'built-executable';
}

export class FileManifest {
  private readonly ops: Op[] = [];
  readonly [BRAND] = true;

  /**
   * Adds one file at `dest`: from a source path (relative to the config's
   * directory, or absolute) or from bytes.
   */
  addFile(dest: string, source: string | Uint8Array, options: { executable?: boolean } = {}): this {
    this.ops.push({ op: 'file', dest: destination(dest, 'file destination'), source, executable: options.executable });
    return this;
  }

  /**
   * Places an executable with its filesystem-relative files (`lib/...`)
   * under `prefix` (default: the top of the install directory). `exe` is
   * the result of a target that builds one: `ctx.depends.<target name>`.
   */
  addExecutable(exe: unknown, prefix = ''): this {
    if (!isBuiltExecutable(exe)) {
      throw new Error('addExecutable takes what a target building an executable produced: list that target in `depends` and pass ctx.depends.<its name>');
    }
    const p = prefix ? destination(prefix, 'prefix') : '';
    this.ops.push({ op: 'executable', directory: exe.directory, files: [...exe.files], main: path.relative(exe.directory, exe.path), prefix: p });
    return this;
  }

  /** Merges another manifest's files into this one, under `prefix`. */
  addManifest(other: FileManifest, prefix = ''): this {
    if (!isFileManifest(other)) throw new Error('addManifest takes a FileManifest');
    if (other === this) throw new Error('a manifest cannot be added to itself');
    this.ops.push({ op: 'manifest', manifest: other, prefix: prefix ? destination(prefix, 'prefix') : '' });
    return this;
  }

  /** @internal Records a glob; use the `glob()` function. */
  addGlob(include: readonly string[], options: GlobOptions): this {
    const exclude = options.exclude === undefined ? [] : typeof options.exclude === 'string' ? [options.exclude] : [...options.exclude];
    this.ops.push({ op: 'glob', include, exclude, stripPrefix: (options.stripPrefix ?? '').replace(/^\.\//, '') });
    return this;
  }

  /**
   * The files, resolved against the config's directory, in path order, and
   * the executables among them. Two different sources for one path are an error.
   */
  async resolve(configDir: string, warn?: (message: string) => void): Promise<{ files: ManifestFile[]; executables: string[] }> {
    const files = new Map<string, ManifestFile>();
    const executables: string[] = [];
    const put = (f: ManifestFile) => {
      const old = files.get(f.path);
      if (old && !sameSource(old, f)) throw new Error(`the install layout has two different files at ${f.path}`);
      files.set(f.path, f);
    };
    for (const op of this.ops) {
      if (op.op === 'file') {
        put({ path: op.dest, source: typeof op.source === 'string' ? { file: path.resolve(configDir, op.source) } : { bytes: op.source }, executable: op.executable });
      } else if (op.op === 'glob') {
        const unmatched: string[] = [];
        const matched = await globFiles(configDir, op.include, op.exclude, unmatched);
        // A pattern that matches nothing (a misspelt directory) would leave the layout without its files, silently.
        for (const pattern of unmatched) {
          const suggestion = await globSuggestion(configDir, pattern);
          warn?.(`glob(${JSON.stringify(pattern)}) matches no file in ${configDir}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ''}`);
        }
        for (const rel of matched) {
          if (op.stripPrefix && !rel.startsWith(op.stripPrefix)) throw new Error(`glob matched ${rel}, which does not start with stripPrefix ${op.stripPrefix}`);
          put({ path: destination(rel.slice(op.stripPrefix.length), 'glob match'), source: { file: path.join(configDir, rel) } });
        }
      } else if (op.op === 'executable') {
        for (const rel of op.files) put({ path: join(op.prefix, rel), source: { file: path.join(op.directory, rel) } });
        executables.push(join(op.prefix, op.main));
      } else {
        const inner = await op.manifest.resolve(configDir, warn);
        for (const f of inner.files) put({ ...f, path: join(op.prefix, f.path) });
        executables.push(...inner.executables.map((e) => join(op.prefix, e)));
      }
    }
    return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), executables };
  }
}

function sameSource(a: ManifestFile, b: ManifestFile): boolean {
  if ('file' in a.source && 'file' in b.source) return a.source.file === b.source.file;
  if ('bytes' in a.source && 'bytes' in b.source) return Buffer.from(a.source.bytes).equals(Buffer.from(b.source.bytes));
  return false;
}

/**
 * A manifest of the files matching `include` (patterns relative to the
 * config's directory: `*`, `?`, `**`), minus `exclude`, each placed at its
 * path with `stripPrefix` removed.
 */
export function glob(include: string | readonly string[], options: GlobOptions = {}): FileManifest {
  if (typeof include !== 'string') checkStringList('glob(include, options)', 'include', include, "give a pattern or an array of patterns, for example glob('static/**')");
  checkOptions('glob(include, options)', options, 'give { exclude?, stripPrefix? }');
  return new FileManifest().addGlob(typeof include === 'string' ? [include] : [...include], options);
}

/** Reads a manifest file's bytes and whether it should be executable. */
export async function manifestFileData(f: ManifestFile): Promise<{ data: Uint8Array; executable: boolean }> {
  if ('bytes' in f.source) return { data: f.source.bytes, executable: f.executable ?? false };
  const [data, st] = await Promise.all([fsp.readFile(f.source.file), fsp.stat(f.source.file)]);
  return { data, executable: f.executable ?? (st.mode & 0o111) !== 0 };
}
