/** How the embedded interpreter starts and what it runs. */
export interface InterpreterConfig {
  /** Run this module as `__main__`, like `python -m NAME`. */
  runModule?: string;
  /** Run this code, like `python -c CODE`. */
  runCommand?: string;
  /** Run this file, like `python FILE` (read from the filesystem at run time). */
  runFilename?: string;
  /**
   * `repl` starts the interactive interpreter; `none` starts and stops the
   * interpreter without running anything. Default: `repl` unless one of the
   * `run*` fields is set.
   */
  runMode?: 'repl' | 'none';
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
}

export type RunMode =
  | { readonly kind: 'module'; readonly value: string }
  | { readonly kind: 'command'; readonly value: string }
  | { readonly kind: 'file'; readonly value: string }
  | { readonly kind: 'repl' }
  | { readonly kind: 'none' };

/** The one thing the interpreter runs; throws when more than one is asked for. */
export function runModeOf(c: InterpreterConfig): RunMode {
  const chosen: RunMode[] = [];
  if (c.runModule !== undefined) chosen.push({ kind: 'module', value: c.runModule });
  if (c.runCommand !== undefined) chosen.push({ kind: 'command', value: c.runCommand });
  if (c.runFilename !== undefined) chosen.push({ kind: 'file', value: c.runFilename });
  if (c.runMode !== undefined) chosen.push({ kind: c.runMode });
  if (chosen.length > 1) {
    throw new Error(`set only one of runModule, runCommand, runFilename and runMode (got ${chosen.map((m) => m.kind).join(', ')})`);
  }
  return chosen[0] ?? { kind: 'repl' };
}
