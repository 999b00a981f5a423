/** A Python distribution: what the runtime links and what compiles bytecode. */
export interface PythonDistribution {
  /** Stable identity of what is linked; part of the stub cache key. */
  readonly id: string;
  /** The interpreter that compiles bytecode (its magic number matches the embedded one). */
  readonly python: string;
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
  readonly staticLibrary: string;
  readonly linkArgs: readonly string[];
  /** Extension module file suffixes, longest first (".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"). */
  readonly extensionSuffixes: readonly string[];
  /** Extension modules compiled into libpython. */
  readonly builtinModules: readonly string[];
  /** "x86_64-unknown-linux-gnu" */
  readonly targetTriple: string;
}
