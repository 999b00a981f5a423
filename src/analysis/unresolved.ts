/**
 * Imports nothing packed can satisfy, found from the imports of every packed
 * module (PyInstaller's warn file is the model): grouped by the missing
 * module, required ones apart from optional ones (inside `try: ... except
 * ImportError`), capped when printed.
 */
import { normalizeProjectName } from '../resources/distribution-metadata.js';
import type { ImportRecord, MetadataLookup } from './import-scan.js';

export interface ScannedModule {
  readonly name: string;
  readonly isPackage: boolean;
  readonly imports: readonly ImportRecord[];
}

export interface MissingImport {
  /** The module that cannot be found ("yaml", "app.missing"). */
  readonly missing: string;
  /** Modules that import it, sorted. */
  readonly importers: readonly string[];
  /** Every import of it is inside a `try` that catches ImportError, or in such an `except` clause. */
  readonly optional: boolean;
  /**
   * Some import of it that no ImportError handler guards runs while its
   * module is imported (module code or a class body, not a function): the
   * importing module cannot be imported at all without it.
   */
  readonly atImport: boolean;
  /** Every module importing it is a test module ({@link isTestModule}): the application never imports them. */
  readonly testsOnly: boolean;
  /**
   * Set (true) when a module the program imports as it starts (the run module's or command's
   * import-time closure, {@link MissingOptions.reached}) makes a required import of it.
   */
  readonly reached?: true;
  /** Set (true) when such a module imports it at import time: the program stops with ModuleNotFoundError as it starts. */
  readonly atStart?: true;
  /** The system site-packages directory that has it, seen by a virtualenv readVirtualenv packs (which does not pack that directory). */
  readonly systemSite?: string;
}

export interface MissingOptions {
  /** Drops single (importer, missing module) pairs before they count. */
  readonly keep?: (importer: string, missing: string) => boolean;
  /** The modules the program imports as it starts (the import-time closure of the run module or command). */
  readonly reached?: ReadonlySet<string>;
}

/**
 * Modules of CPython that exist only on other platforms: never there on this one, they are imported
 * under checks of the platform the scanner could not decide (`if WINDOWS:` with WINDOWS from another
 * module). Counted, not reported. Windows: nt, winreg, msvcrt, winsound, _winapi, _overlapped, _msi,
 * _wmi (the platform parts of `sys.stdlib_module_names` on Windows), _winreg and _subprocess (their
 * Python 2 names); macOS: _scproxy. A distribution that has one (built for that platform) packs it,
 * and then it is not missing.
 */
export const OTHER_PLATFORM_MODULES: Readonly<Record<string, string>> = {
  nt: 'Windows', winreg: 'Windows', _winreg: 'Windows', msvcrt: 'Windows', winsound: 'Windows', _winapi: 'Windows',
  _overlapped: 'Windows', _msi: 'Windows', _wmi: 'Windows', _subprocess: 'Windows', _scproxy: 'macOS',
};

/** Whether a missing module is one of {@link OTHER_PLATFORM_MODULES} (by its top-level name). */
export function isOtherPlatformModule(name: string): boolean {
  return Object.hasOwn(OTHER_PLATFORM_MODULES, name.split('.')[0]);
}

function topOf(name: string): string {
  return name.split('.')[0];
}

/** A package's own tests: a part named `test`, `tests` or `testing`, `test_*`, `*_test` or `conftest`. */
export function isTestModule(name: string): boolean {
  return name.split('.').some((p) => p === 'test' || p === 'tests' || p === 'testing' || p === 'conftest' || p.startsWith('test_') || p.endsWith('_test'));
}

/** The absolute name an import statement asks for, or undefined when its dots climb above the top package. */
export function absoluteName(importer: string, isPackage: boolean, r: Pick<ImportRecord, 'name' | 'level'>): string | undefined {
  if (r.level === 0) return r.name;
  const parts = importer.split('.');
  // A package's own code is relative to itself; a module's to its package.
  const base = isPackage ? parts : parts.slice(0, -1);
  if (r.level - 1 >= base.length) return undefined;
  const anchor = base.slice(0, base.length - (r.level - 1)).join('.');
  return r.name ? `${anchor}.${r.name}` : anchor;
}

/**
 * The first part of `name` that is missing, or undefined when it resolves.
 * Below a module that is not a package nothing is reported: such a module
 * may put names in sys.modules itself (`os` provides `os.path`).
 */
export function firstMissing(name: string, available: (n: string) => boolean, isPackage: (n: string) => boolean): string | undefined {
  const parts = name.split('.');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('.');
    if (available(prefix)) {
      if (i < parts.length && !isPackage(prefix)) return undefined;
      continue;
    }
    return prefix;
  }
  return undefined;
}

/**
 * Worst first: what the program imports as it starts, at import time (it
 * stops there), then in functions of what it imports as it starts; then
 * imported by the application rather than only by its test
 * modules, then a module some importer cannot even be imported without
 * (`atImport`), then imported by more modules, then by name. A required
 * import made only inside functions breaks one call; one made at import time
 * by 22 modules breaks the program, and must not hide behind a cap.
 */
export function bySeverity(a: MissingImport, b: MissingImport): number {
  if (a.optional !== b.optional) return a.optional ? 1 : -1;
  if (!a.atStart !== !b.atStart) return a.atStart ? -1 : 1;
  if (!a.reached !== !b.reached) return a.reached ? -1 : 1;
  if (a.testsOnly !== b.testsOnly) return a.testsOnly ? 1 : -1;
  if (a.atImport !== b.atImport) return a.atImport ? -1 : 1;
  if (a.importers.length !== b.importers.length) return b.importers.length - a.importers.length;
  return a.missing < b.missing ? -1 : a.missing > b.missing ? 1 : 0;
}

/**
 * Every import of the scanned modules that nothing available satisfies, worst
 * first ({@link bySeverity}); `keep` drops single (importer, missing module)
 * pairs before they count (a function, or the options).
 */
export function missingImports(
  modules: readonly ScannedModule[],
  available: (n: string) => boolean,
  isPackage: (n: string) => boolean,
  options: MissingOptions | ((importer: string, missing: string) => boolean) = {},
): MissingImport[] {
  const { keep = () => true, reached = new Set<string>() } = typeof options === 'function' ? { keep: options } : options;
  const found = new Map<string, { importers: Set<string>; required: boolean; atImport: boolean; reached: boolean; atStart: boolean; testedInside: boolean; requiredOutside: boolean }>();
  for (const m of modules) {
    for (const r of m.imports) {
      const target = absoluteName(m.name, m.isPackage, r);
      if (target === undefined || target === '') continue;
      const missing = firstMissing(target, available, isPackage);
      if (missing === undefined || !keep(m.name, missing)) continue;
      let f = found.get(missing);
      if (!f) found.set(missing, (f = { importers: new Set(), required: false, atImport: false, reached: false, atStart: false, testedInside: false, requiredOutside: false }));
      // An alternative tried when an import failed is no more required than the import it replaces.
      const optional = r.optional || r.fallback === true;
      const inside = missing.includes('.') && topOf(m.name) === topOf(missing);
      f.importers.add(m.name);
      f.testedInside ||= optional && inside;
      f.requiredOutside ||= !optional && !inside;
      f.required ||= !optional;
      f.atImport ||= !optional && r.toplevel;
      f.reached ||= !optional && reached.has(m.name);
      f.atStart ||= !optional && r.toplevel && reached.has(m.name);
    }
  }
  return [...found]
    .map(([missing, f]): MissingImport => {
      const importers = [...f.importers].sort();
      // A package's own module that the package itself imports under try/except ImportError somewhere
      // (an optional C speed-up: sqlalchemy.cresultproxy) is optional to it everywhere, also where a flag
      // set by that try guards it (`if _baserow_usecext: from sqlalchemy.cresultproxy import ...`).
      if (f.testedInside && !f.requiredOutside) return { missing, importers, optional: true, atImport: false, testsOnly: importers.every(isTestModule) };
      return {
        missing, importers, optional: !f.required, atImport: f.atImport, testsOnly: importers.every(isTestModule),
        ...(f.reached ? { reached: true as const } : {}), ...(f.atStart ? { atStart: true as const } : {}),
      };
    })
    .sort(bySeverity);
}

function line(m: MissingImport, maxImporters: number): string {
  const shown = m.importers.slice(0, maxImporters);
  const more = m.importers.length - shown.length;
  const who = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
  // A required import made only inside functions fails when that code runs, not at import.
  const inFunction = m.reached && !m.atStart ? 'in a function of a module the program loads as it starts' : !m.optional && !m.atImport ? 'in a function' : '';
  const when = [m.testsOnly ? 'tests only' : '', inFunction].filter(Boolean).join(', ');
  const start = m.atStart ? ': the program stops with ModuleNotFoundError as it starts' : '';
  const site = m.systemSite ? `; it is in ${m.systemSite}, the system site-packages the virtualenv sees and readVirtualenv does not pack` : '';
  return `${who} ${m.importers.length === 1 ? 'imports' : 'import'} ${m.missing}${when ? ` (${when})` : ''}, which is not packed${start}${site}`;
}

/**
 * The lines of the build summary: required first, then optional, each group
 * capped at `max` lines, worst first within a group whatever order `missing` has.
 * What the program imports as it starts ({@link MissingImport.reached}) is never
 * left out by the cap. `otherPlatforms`: imports of other platforms' modules
 * ({@link OTHER_PLATFORM_MODULES}) left out of the report, counted on one line.
 */
export function formatMissing(missing: readonly MissingImport[], max = 10, maxImporters = 3, otherPlatforms: readonly MissingImport[] = []): string[] {
  const out: string[] = [];
  const group = (list: readonly MissingImport[], title: string) => {
    if (list.length === 0) return;
    out.push(title);
    const shown = Math.max(max, list.filter((m) => m.reached).length);
    for (const m of list.slice(0, shown)) out.push(`  ${line(m, maxImporters)}`);
    if (list.length > shown) out.push(`  ... and ${list.length - shown} more (--verbose lists them all)`);
  };
  const sorted = [...missing].sort(bySeverity);
  const required = sorted.filter((m) => !m.optional);
  const optional = sorted.filter((m) => m.optional);
  group(required, `${required.length} import${required.length === 1 ? '' : 's'} cannot be satisfied by what is packed:`);
  group(optional, `${optional.length} optional import${optional.length === 1 ? '' : 's'} (inside try/except ImportError) not packed:`);
  if (otherPlatforms.length > 0) {
    const names = otherPlatforms.map((m) => m.missing).sort();
    const platforms = [...new Set(names.map((n) => OTHER_PLATFORM_MODULES[n.split('.')[0]]))].sort().join(' or ');
    out.push(`${names.length} module${names.length === 1 ? '' : 's'} of ${platforms} only (${names.join(', ')}) imported and not needed here: not reported`);
  }
  return out;
}

/** A distribution whose metadata packed code reads by name, and that is not packed. */
export interface MissingMetadata {
  /** The name as the code writes it ("wadllib", "Flask"). */
  readonly distribution: string;
  /** Modules that read it, sorted. */
  readonly readers: readonly string[];
  /** The functions called (`importlib.metadata.version`), sorted. */
  readonly functions: readonly string[];
  /** Some read runs when its module is imported (not only inside functions). */
  readonly atImport: boolean;
}

export interface ScannedLookups {
  readonly name: string;
  readonly metadataLookups: readonly MetadataLookup[];
}

/**
 * Literal distribution names read with importlib.metadata or pkg_resources
 * (`importlib.metadata.version("wadllib")`) that no packed metadata directory
 * is for, by normalized project name; reads guarded by a `try` catching
 * PackageNotFoundError (or more) are left out: the code expects them to fail.
 */
export function missingMetadata(modules: readonly ScannedLookups[], packedProjects: ReadonlySet<string>): MissingMetadata[] {
  const found = new Map<string, { distribution: string; readers: Set<string>; functions: Set<string>; atImport: boolean }>();
  for (const m of modules) {
    for (const l of m.metadataLookups) {
      const key = normalizeProjectName(l.name);
      if (l.optional || packedProjects.has(key)) continue;
      let f = found.get(key);
      if (!f) found.set(key, (f = { distribution: l.name, readers: new Set(), functions: new Set(), atImport: false }));
      f.readers.add(m.name);
      f.functions.add(l.function);
      f.atImport ||= l.toplevel;
    }
  }
  return [...found.values()]
    .map((f) => ({ distribution: f.distribution, readers: [...f.readers].sort(), functions: [...f.functions].sort(), atImport: f.atImport }))
    .sort((a, b) => (a.atImport !== b.atImport ? (a.atImport ? -1 : 1) : b.readers.length - a.readers.length || (a.distribution < b.distribution ? -1 : a.distribution > b.distribution ? 1 : 0)));
}

/** The build summary's lines for metadata that is read and not packed, capped at `max`. */
export function formatMissingMetadata(missing: readonly MissingMetadata[], max = 10, maxReaders = 3): string[] {
  if (missing.length === 0) return [];
  const out = [`${missing.length} distribution${missing.length === 1 ? '' : 's'} read by name with no metadata packed (PackageNotFoundError at run time):`];
  for (const m of missing.slice(0, max)) {
    const shown = m.readers.slice(0, maxReaders);
    const more = m.readers.length - shown.length;
    const who = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
    const when = m.atImport ? '' : ' (in a function)';
    out.push(`  ${who} ${m.readers.length === 1 ? 'reads' : 'read'} ${m.functions.join(', ')}("${m.distribution}")${when}, which has no *.dist-info or *.egg-info packed`);
  }
  if (missing.length > max) out.push(`  ... and ${missing.length - max} more (--verbose lists them all)`);
  return out;
}
