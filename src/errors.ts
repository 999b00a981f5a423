/**
 * Errors a user can cause carry a code and a hint, and are printed as one
 * line by the CLI; anything else is a bug and shows its stack.
 */
export class OxidizeError extends Error {
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = 'OxidizeError';
    this.code = code;
    this.hint = hint;
  }
}

export function isOxidizeError(e: unknown): e is OxidizeError {
  return e instanceof OxidizeError;
}

/** Wraps an error thrown by a plugin so the user learns which plugin and hook failed. */
export function pluginError(plugin: string, hook: string, e: unknown): OxidizeError {
  if (isOxidizeError(e)) {
    const err = new OxidizeError(e.code, `${plugin} (${hook}): ${e.message}`, e.hint);
    err.stack = e.stack;
    return err;
  }
  const message = e instanceof Error ? e.message : String(e);
  const err = new OxidizeError('PLUGIN_FAILED', `plugin ${plugin} failed in ${hook}: ${message}`);
  if (e instanceof Error) err.stack = e.stack;
  return err;
}
