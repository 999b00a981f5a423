/**
 * A Python distribution: what the runtime links and what compiles bytecode.
 * The host interpreter (src/distribution/host.ts) and python-build-standalone
 * archives (src/distribution/archive.ts) both resolve to this one shape.
 */

/** A library something links against (PYTHON.json's "links" entries). */
export interface LinkLibrary {
  /** Library name without `lib` prefix and suffix: "ssl", "z". */
  readonly name: string;
  /** Static: its code is copied into the binary. Dynamic: loaded at run time. */
  readonly kind: 'static' | 'dynamic';
  /** The library file, when the distribution ships it (absolute path). */
  readonly path?: string;
  /** Found by name on the machine (`-lname`). */
  readonly system: boolean;
}

/** One way an extension module is provided (PYTHON.json's extension variants). */
export interface ExtensionModuleVariant {
  readonly variant: string;
  /** Compiled into the core (libpython) rather than a shared library of its own. */
  readonly builtin: boolean;
  /** The module's shared library (absolute path), when it is one. */
  readonly sharedLibrary?: string;
  readonly links: readonly LinkLibrary[];
  /** SPDX identifiers of the libraries it links; `undefined` when unknown, empty when none. */
  readonly licenses?: readonly string[];
  readonly licensePublicDomain: boolean;
}

export interface ExtensionModuleInfo {
  readonly name: string;
  /** First variant is the one embedded. */
  readonly variants: readonly ExtensionModuleVariant[];
}

/** What the runtime stub links to get the interpreter core. */
export interface LinkInputs {
  /** libpython as a static archive, linked whole (every symbol exported for extension modules). */
  readonly staticLibrary?: string;
  /** Object files, when the distribution ships the core as objects instead. */
  readonly objects: readonly string[];
  /** Further linker arguments: static archives of dependencies, `-lname` for system ones. */
  readonly args: readonly string[];
}

/** Where a distribution came from, for messages and `python-distribution-info`. */
export interface DistributionOrigin {
  readonly kind: 'host' | 'archive';
  /** The interpreter path (host) or the archive's path or URL. */
  readonly location: string;
  /** sha256 of the archive (archives only). */
  readonly sha256?: string;
  /** Directory the archive was extracted to (archives only). */
  readonly extractedDir?: string;
  /** The installed package the archive came from, `name@version` (a distribution named by version). */
  readonly package?: string;
}

export interface PythonDistribution {
  /** Stable identity of what is linked; part of the stub cache key. */
  readonly id: string;
  readonly origin: DistributionOrigin;
  /** The interpreter that compiles bytecode (its magic number matches the embedded one). */
  readonly python: string;
  /**
   * Environment to add when running `python`. Empty for both kinds today (an
   * archive's interpreter that needs its own libpython gets a launcher that
   * sets it up); kept so callers pass it along.
   */
  readonly pythonEnv: Readonly<Record<string, string>>;
  readonly version: string;
  /** "3.11" */
  readonly versionShort: string;
  /** "cpython-311", as in __pycache__ names. */
  readonly cacheTag: string;
  /** Bytecode magic number, hex. */
  readonly magic: string;
  readonly stdlibDir: string;
  readonly dynloadDir: string;
  readonly includeDir: string;
  readonly link: LinkInputs;
  /** Extension module file suffixes, longest first (".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"). */
  readonly extensionSuffixes: readonly string[];
  /** Extension modules compiled into libpython. */
  readonly builtinModules: readonly string[];
  /** "x86_64-unknown-linux-gnu" */
  readonly targetTriple: string;
  /** SPDX identifiers of the interpreter's own licence. */
  readonly licenses: readonly string[];
  /** The interpreter's licence text, when the distribution has it. */
  readonly licensePath?: string;
  /** Every extension module with its variants, links and licences (reads files: call when needed). */
  extensionModules(): Promise<readonly ExtensionModuleInfo[]>;
}

/** "Python 3.11.7 (x86_64-unknown-linux-gnu) from host interpreter /usr/bin/python3.11 (libpython3.11-pic.a)", or with the URL (or package) and sha256 of an archive. */
export function describeDistribution(d: PythonDistribution): string {
  const core = d.link.staticLibrary ? d.link.staticLibrary.split('/').pop() : 'core objects';
  const what = d.origin.sha256 ? `sha256 ${d.origin.sha256}` : core;
  const from = d.origin.package ? `package ${d.origin.package}` : `${d.origin.kind === 'host' ? 'host interpreter ' : ''}${d.origin.location}`;
  return `Python ${d.version} (${d.targetTriple}) from ${from} (${what})`;
}
