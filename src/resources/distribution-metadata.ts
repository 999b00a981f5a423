/**
 * Which top-level modules a distribution's metadata (`*.dist-info`,
 * `*.egg-info`) belongs to: read from the files that list them, as
 * importlib.metadata's `packages_distributions()` and pip do.
 */

/** A metadata directory's (or egg-info file's) name. */
export const METADATA_NAME = /\.(dist-info|egg-info)$/;

/** The metadata files that say what a distribution installed, by their name in the metadata directory. */
export interface MetadataListing {
  /** `top_level.txt`: one top-level name a line (setuptools). */
  readonly topLevel?: string;
  /** `RECORD`: CSV, the installed path first, relative to the sys.path directory (wheels). */
  readonly record?: string;
  /** `installed-files.txt`: paths relative to the egg-info directory (`../pkg/__init__.py`). */
  readonly installedFiles?: string;
  /** `SOURCES.txt`: the source tree's files (`src/pkg/__init__.py`, `pkg/mod.py`, `setup.py`). */
  readonly sources?: string;
}

export const LISTING_FILES: Record<keyof MetadataListing, string> = {
  topLevel: 'top_level.txt',
  record: 'RECORD',
  installedFiles: 'installed-files.txt',
  sources: 'SOURCES.txt',
};

/** PEP 503 normalization, with `_` as importlib.metadata compares names ("Foo.Bar-baz" → "foo_bar_baz"). */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

/** The project a metadata directory is for: "Foo_Bar-1.0.dist-info", "foo-1.0-py3.11.egg-info", "foo.egg-info" → "Foo_Bar", "foo". */
export function projectName(metadataName: string): string {
  return metadataName.replace(METADATA_NAME, '').split('-')[0];
}

/** The first field of a CSV line (RECORD quotes paths holding commas or quotes). */
function firstCsvField(line: string): string {
  if (!line.startsWith('"')) return line.split(',')[0];
  let out = '';
  for (let i = 1; i < line.length; i++) {
    if (line[i] !== '"') out += line[i];
    else if (line[i + 1] === '"') (out += '"'), i++;
    else break;
  }
  return out;
}

/**
 * The top-level module a file installed at `file` (relative to the sys.path
 * directory, '/'-separated) makes importable, if any: `pkg/mod.py` → pkg,
 * `six.py` → six, `_cffi_backend.cpython-311-x86_64-linux-gnu.so` → _cffi_backend.
 */
function topLevelOf(file: string): string | undefined {
  const parts = file.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return undefined;
  const first = parts[0];
  if (first === '..' || first === '__pycache__' || METADATA_NAME.test(first) || first.endsWith('.data')) return undefined;
  if (parts.length > 1) return first;
  if (first.endsWith('.py')) return first.slice(0, -3);
  if (/\.so$/.test(first)) return first.split('.')[0];
  return undefined;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * The top-level modules a distribution provides, from the best listing it
 * has: `top_level.txt` (dotted names, as written), else the files of its
 * `RECORD`, else of `installed-files.txt`, else of `SOURCES.txt` (a package
 * there counts when its `__init__.py` is listed, under `src/` or `lib/` or
 * not; `setup.py` and `conftest.py` are no modules of it).
 */
export function providedTopLevel(listing: MetadataListing): string[] {
  const names = new Set<string>();
  const add = (n: string | undefined) => n && names.add(n);
  if (listing.topLevel !== undefined) {
    for (const l of lines(listing.topLevel)) add(l.replace(/\//g, '.'));
  } else if (listing.record !== undefined) {
    for (const l of lines(listing.record)) add(topLevelOf(firstCsvField(l)));
  } else if (listing.installedFiles !== undefined) {
    // Relative to the metadata directory, which sits in the sys.path directory.
    for (const l of lines(listing.installedFiles)) if (l.startsWith('../') && !l.startsWith('../../')) add(topLevelOf(l.slice(3)));
  } else if (listing.sources !== undefined) {
    for (const l of lines(listing.sources)) {
      const file = l.replace(/^(\.\/)?(src|lib)\//, '');
      const parts = file.split('/');
      if (parts.length === 1 && file.endsWith('.py') && file !== 'setup.py' && file !== 'conftest.py') add(file.slice(0, -3));
      else if (parts.length > 1 && parts[parts.length - 1] === '__init__.py') add(parts[0]);
    }
  }
  return [...names].sort();
}

/**
 * Whether the metadata named `metadataName` belongs to the top-level module
 * `pkg`: its listing provides `pkg` (or something below it, for a namespace
 * package), or its normalized project name is `pkg`'s.
 */
export function metadataBelongsTo(metadataName: string, listing: MetadataListing, pkg: string): boolean {
  if (normalizeProjectName(projectName(metadataName)) === normalizeProjectName(pkg)) return true;
  return providedTopLevel(listing).some((t) => t === pkg || t.startsWith(`${pkg}.`));
}
