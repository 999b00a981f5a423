/** How the embedded interpreter starts and what it runs. */
export interface InterpreterConfig {
  /**
   * Run this module as `__main__`, like `python -m NAME`; or, written
   * `module:function` as a console-script entry point is, import the module
   * and call the function, whose return value is the exit status.
   */
  runModule?: string;
  /** Run this code, like `python -c CODE`. */
  runCommand?: string;
  /** Run this file, like `python FILE` (read from the filesystem at run time). */
  runFilename?: string;
  /**
   * `repl` starts the interactive interpreter; `none` starts and stops the
   * interpreter without running anything; `python` makes the executable the
   * `python3` command: CPython parses its command line (`-c`, `-m`, a script,
   * `-`, every option) and the `PYTHON*` variables, with the packed modules
   * importable. An executable started under the name `python`, `python3` or
   * `python3.X` (a symlink) behaves that way whatever is configured.
   * Default: `repl` unless one of the `run*` fields is set.
   */
  runMode?: 'repl' | 'none' | 'python';
  /**
   * Entries for `sys.path`; `$ORIGIN` is replaced with the executable's
   * directory at run time. Searched only when `filesystemImporter` is on.
   */
  sysPaths?: string[];
  /**
   * Put Python's own path-based finder on `sys.meta_path` after the
   * in-memory one, so modules can also be imported from `sysPaths`.
   * Default: false (only what the executable carries is importable).
   */
  filesystemImporter?: boolean;

  /**
   * Give modules loaded from memory a `__file__` (and `spec.origin`) under
   * the executable's path, `<exe>/pkg/mod.py`, as zipimport does, and let
   * `get_filename` answer with it. Code that computes paths from `__file__`
   * works, and so do `inspect.getsource` and `pkgutil.get_data`.
   * `false` leaves in-memory modules without `__file__`, as PyOxidizer does.
   * Default: true.
   */
  inMemoryModuleFile?: boolean;
  /**
   * Serve Python-level file access under the executable's path
   * (`open('<exe>/pkg/data.txt')`, `os.stat`, `os.listdir`, `os.scandir`,
   * `os.walk`, `glob`, `pathlib`, `os.access`) from the payload, read-only:
   * module sources, package resources and metadata, packages as directories.
   * Default: true.
   */
  inMemoryFileView?: boolean;
  /** Set `sys.frozen = True`, as PyInstaller and cx_Freeze do. Default: false. */
  sysFrozen?: boolean;
  /** Set `sys._MEIPASS` to the executable's directory, as PyInstaller does. Default: false. */
  sysMeipass?: boolean;
  /** Import `site` at start-up (adds site-packages under the executable's directory). Default: false. */
  siteImport?: boolean;
  /** Add the user site-packages directory (with `siteImport`). Default: false. */
  userSiteDirectory?: boolean;
  /** Ignore `PYTHON*` environment variables (`python -E`). Default: false. */
  ignoreEnvironment?: boolean;
  /** Isolated mode (`python -I`): ignores the environment and the user site. Default: false. */
  isolated?: boolean;
  /** `sys.flags.optimize` (`-O`, `-OO`); bytecode of that level is used when packed. Default: 0. */
  optimizeLevel?: 0 | 1 | 2;
  /** Warn (1) or raise (2) on bytes/str comparisons (`-b`, `-bb`). Default: 0. */
  bytesWarning?: 0 | 1 | 2;
  /** Unbuffered stdout and stderr (`python -u`). Default: false. */
  unbufferedStdio?: boolean;
  /** Encoding of stdin, stdout and stderr, optionally with `:errors` ("utf-8:strict"). Default: Python's. */
  stdioEncoding?: string;
  /** Write .pyc files for modules imported from the filesystem. Default: false. */
  writeBytecode?: boolean;
  /** Use `hashSeed` for str hashing instead of a random seed. Default: false. */
  useHashSeed?: boolean;
  /** The hash seed when `useHashSeed` is on. Default: 0. */
  hashSeed?: number;
  /** Do not print the version banner in the REPL (`-q`). Default: false. */
  quiet?: boolean;
  /** Enter the REPL after running the module, command or file (`python -i`), when stdin is a terminal. Default: false. */
  inspect?: boolean;
  /** Treat stdin as interactive even when it is not a terminal. Default: false. */
  interactive?: boolean;
  /** Parser debug output (`-d`; needs a debug build of Python). Default: false. */
  parserDebug?: boolean;
  /**
   * When the module or command ends, join non-daemon threads, run atexit
   * handlers, flush every open file object and the standard streams, then
   * end the process without finalizing the interpreter (which walks every
   * object: often a fifth of a short program's time). Exit status and output
   * are those of a normal exit; finalizers of objects still alive at exit are
   * not run. Not applied to `runFilename`, the REPL or `inspect`. Default: false.
   */
  fastExit?: boolean;
  /** Trace imports (`-v`). Default: 0. */
  verbose?: 0 | 1 | 2;
  /**
   * Name of an environment variable: when it is set at run time, the list of
   * `sys.modules` at exit is written to a file `modules-<uuid>` in the
   * directory it names (input for trimming).
   */
  writeModulesDirectoryEnv?: string;
  /**
   * How `TERMINFO_DIRS` is set for curses and readline when it is not set
   * already: `dynamic` picks the directories of the running distribution,
   * `static` uses `terminfoDirs`, `none` leaves it alone. Default: `dynamic`.
   */
  terminfoResolution?: 'dynamic' | 'none' | 'static';
  /** Colon-separated terminfo directories for `terminfoResolution: 'static'`. */
  terminfoDirs?: string;
}

export type RunMode =
  | { readonly kind: 'module'; readonly value: string }
  | { readonly kind: 'command'; readonly value: string }
  | { readonly kind: 'file'; readonly value: string }
  | { readonly kind: 'repl' }
  | { readonly kind: 'python' }
  | { readonly kind: 'none' };

/** A dotted module name; `module:function` entry points are two of them joined by a colon. */
export const DOTTED_NAME = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/**
 * The code that runs `module:function` as a console_scripts wrapper does:
 * the function's return value is the exit status (`None` is 0). `function`
 * may be dotted (`Class.method`).
 */
export function entryPointCommand(module: string, func: string): string {
  const [first, ...rest] = func.split('.');
  return `import sys\nfrom ${module} import ${first} as _entry\nsys.exit(_entry${rest.map((r) => `.${r}`).join('')}())`;
}

/** The module a `runModule` names: `myapp.cli` for `myapp.cli` and for `myapp.cli:main`. */
export function runModuleName(runModule: string): string {
  const colon = runModule.indexOf(':');
  return colon < 0 ? runModule : runModule.slice(0, colon);
}

/** The one thing the interpreter runs; throws when more than one is asked for. */
export function runModeOf(c: InterpreterConfig): RunMode {
  const chosen: RunMode[] = [];
  if (c.runModule !== undefined) {
    const colon = c.runModule.indexOf(':');
    chosen.push(colon < 0 ? { kind: 'module', value: c.runModule } : { kind: 'command', value: entryPointCommand(c.runModule.slice(0, colon), c.runModule.slice(colon + 1)) });
  }
  if (c.runCommand !== undefined) chosen.push({ kind: 'command', value: c.runCommand });
  if (c.runFilename !== undefined) chosen.push({ kind: 'file', value: c.runFilename });
  if (c.runMode !== undefined) chosen.push({ kind: c.runMode });
  if (chosen.length > 1) {
    throw new Error(`set only one of runModule, runCommand, runFilename and runMode (got ${chosen.map((m) => m.kind).join(', ')})`);
  }
  return chosen[0] ?? { kind: 'repl' };
}
