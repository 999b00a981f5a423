/**
 * Errors a user can cause carry a code (from src/error-catalogue.ts) and a
 * hint, and are printed as one line by the CLI; anything else is a bug and
 * shows its stack.
 */
import { catalogueEntry } from './error-catalogue.js';
import { fileSystemError } from './util/fs-errors.js';

export interface OxidizeErrorOptions {
  /** The error this one explains (kept for --verbose). */
  cause?: unknown;
  /** The plugin whose tap raised it. */
  plugin?: string;
  /** The hook (phase) the plugin was in. */
  hook?: string;
}

export class OxidizeError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly plugin?: string;
  readonly hook?: string;

  constructor(code: string, message: string, hint?: string, options: OxidizeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OxidizeError';
    this.code = code;
    // Without a specific hint, the catalogue's default for the code.
    this.hint = hint ?? catalogueEntry(code)?.hint;
    this.plugin = options.plugin;
    this.hook = options.hook;
  }
}

export function isOxidizeError(e: unknown): e is OxidizeError {
  return e instanceof OxidizeError;
}

/** cac's own errors (unknown option, missing option value or argument), recognised by type. */
export function isUsageError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'CACError';
}

/** The CLI's exit status for an error: the catalogue's for oxidize errors and usage errors, 1 for anything else. */
export function exitCodeOf(e: unknown): number {
  if (isUsageError(e)) return catalogueEntry('USAGE')?.exit ?? 2;
  if (isOxidizeError(e)) return catalogueEntry(e.code)?.exit ?? 1;
  return 1;
}

/**
 * Wraps an error thrown by a plugin's tap so the user learns which plugin
 * and hook failed. An error already attributed is passed through.
 */
export function pluginError(plugin: string, hook: string, e: unknown): OxidizeError {
  if (isOxidizeError(e)) {
    if (e.plugin !== undefined) return e;
    // oxidize's own plugins word their errors for the user; others' are prefixed with the plugin.
    const message = plugin.startsWith('oxidize:') ? e.message : `plugin ${plugin} (${hook}): ${e.message}`;
    return new OxidizeError(e.code, message, e.hint, { cause: e, plugin, hook });
  }
  // A full disk, a read-only or misplaced directory under oxidize's own writes: one line with the fix.
  const fs = plugin.startsWith('oxidize:') ? fileSystemError(e) : undefined;
  if (fs) return new OxidizeError(fs.code, fs.message, fs.hint, { cause: e, plugin, hook });
  const message = e instanceof Error ? e.message : String(e);
  return new OxidizeError('PLUGIN_FAILED', `plugin ${plugin} failed in ${hook}: ${message}`, undefined, { cause: e, plugin, hook });
}
