/**
 * Which modules a traced build keeps, and which resources follow them. Pure
 * functions: the plugin (index.ts) reads traces and scans imports, then asks
 * these.
 */
import { providedTopLevel, type Resource } from '../../src/plugin-api.js';
import type { ImportRecord } from '../../src/analysis/import-scan.js';
import { absoluteName } from '../../src/analysis/unresolved.js';

/**
 * A module pattern: `'pkg'` is that module only, `'pkg.*'` everything below
 * it, and `*` elsewhere matches any run of characters (`'encodings.cp*'`).
 */
export function patternMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source = patterns.map((p) => escape(p).replace(/\*/g, '.*')).join('|');
  const re = new RegExp(`^(?:${source})$`);
  return (name) => re.test(name);
}

/** An exclude pattern drops a package with everything below it: `'tkinter'` is `tkinter` and `tkinter.*`. */
export function subtreeMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = patternMatcher(patterns);
  return (name) => {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) if (exact(parts.slice(0, i).join('.'))) return true;
    return false;
  };
}

/** `a.b.c` → `['a', 'a.b']`. */
export function parentsOf(name: string): string[] {
  const parts = name.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** The modules an import statement brings in when it runs, among those that exist. */
export function importedModules(importer: string, isPackage: boolean, r: ImportRecord, exists: (n: string) => boolean): string[] {
  const target = absoluteName(importer, isPackage, r);
  if (!target) return [];
  const out = [...parentsOf(target), target].filter(exists);
  // `from pkg import name` imports the submodule pkg.name when there is one.
  for (const f of r.fromlist ?? []) if (f !== '*' && exists(`${target}.${f}`)) out.push(`${target}.${f}`);
  return out;
}

/**
 * Modules imported once `roots` are: the closure over imports that run at
 * import time (module code and class bodies), among those that exist. An
 * import guarded by `try ... except ImportError` is followed too, since
 * python3 imports what is there; so is the fallback in its handler, which
 * runs whenever the guarded import fails, for whatever reason (a name the
 * module lacks, an extension that does not load). `scan` gives the imports of
 * a batch of modules (only modules that exist are asked for).
 */
export async function importClosure(
  roots: Iterable<string>,
  scan: (names: string[]) => Promise<Map<string, readonly ImportRecord[]>>,
  exists: (n: string) => boolean,
  isPackage: (n: string) => boolean,
): Promise<Set<string>> {
  const seen = new Set<string>();
  let frontier = [...new Set(roots)].filter(exists);
  while (frontier.length > 0) {
    for (const n of frontier) seen.add(n);
    const imports = await scan(frontier);
    const next = new Set<string>();
    for (const [name, records] of imports) {
      for (const r of records) {
        if (!r.toplevel) continue;
        for (const m of importedModules(name, isPackage(name), r, exists)) if (!seen.has(m)) next.add(m);
      }
    }
    frontier = [...next].sort();
  }
  return seen;
}

export interface Selection {
  /** Modules in any trace. */
  readonly traced: Iterable<string>;
  /** What the interpreter and the importer import to start. */
  readonly startup: Iterable<string>;
  /** The run module or command's imports (their closure). */
  readonly roots: Iterable<string>;
  /** Patterns of modules to keep though no trace saw them. */
  readonly include: readonly string[];
  /** Patterns of modules (with everything below) to drop though traced. */
  readonly exclude: readonly string[];
}

/**
 * The modules to keep among `available`: the traced ones, the start-up set
 * and the run module's imports, minus `exclude`, plus `include`, with every
 * parent package of what is kept. Start-up modules are never excluded.
 */
export function keptModules(available: Iterable<string>, s: Selection): Set<string> {
  const all = new Set(available);
  const excluded = subtreeMatcher(s.exclude);
  const included = patternMatcher(s.include);
  const kept = new Set<string>();
  for (const n of [...s.traced, ...s.roots]) if (all.has(n) && !excluded(n)) kept.add(n);
  for (const n of all) if (included(n)) kept.add(n);
  for (const n of s.startup) if (all.has(n)) kept.add(n);
  for (const n of [...kept]) for (const p of parentsOf(n)) if (all.has(p)) kept.add(p);
  return kept;
}

/** The package a shared library belongs to: `numpy.libs/libx.so` → `numpy`; undefined when it says nothing. */
export function libraryOwner(name: string): string | undefined {
  const first = name.split('/')[0];
  return first.endsWith('.libs') && name.includes('/') ? first.slice(0, -'.libs'.length) : undefined;
}

/**
 * Whether a resource stays, given the kept modules. Package resources
 * follow their package, extension modules their name, shared libraries the
 * package of their `.libs` directory when that names a module that `exists`,
 * distribution metadata the top-level modules the distribution provides
 * (`provides`; kept when unknown).
 * Builtin extension modules cost nothing and plain files were asked for: both stay.
 */
export function keepsResource(
  r: Resource,
  kept: ReadonlySet<string>,
  provides: (distribution: string) => readonly string[] | undefined,
  exists: (module: string) => boolean,
): boolean {
  switch (r.type) {
    case 'python-module-source':
    case 'python-module-bytecode':
      return kept.has(r.name);
    case 'python-extension-module':
      return r.builtin || kept.has(r.name);
    case 'python-package-resource':
      return kept.has(r.package);
    case 'python-distribution-resource': {
      const tops = provides(r.distribution);
      return tops === undefined || tops.length === 0 || tops.some((t) => kept.has(t));
    }
    case 'shared-library': {
      const owner = libraryOwner(r.name);
      return owner === undefined || !exists(owner) || kept.has(owner);
    }
    case 'file':
      return true;
  }
}

/**
 * The top-level modules a distribution provides, from its `top_level.txt`
 * or else the first path parts of its `RECORD` (`flask/app.py` → `flask`).
 */
export function providedModules(topLevelTxt: string | undefined, record: string | undefined): string[] {
  return providedTopLevel({ topLevel: topLevelTxt, record });
}
