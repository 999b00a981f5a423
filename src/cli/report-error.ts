import { createColors } from 'picocolors';
import { isOxidizeError } from '../errors.js';

/** Colour only on a terminal: logs and pipes (CI included) get plain text. */
const pc = createColors(Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env));

/** Prints an error as one line (and its stack with --verbose); returns the exit code. */
export function reportError(e: unknown, verbose: boolean): number {
  const prefix = pc.red('oxidize: error:');
  if (isOxidizeError(e)) {
    process.stderr.write(`${prefix} ${e.message}${e.hint ? `; ${e.hint}` : ''}\n`);
  } else if (e instanceof Error && /^(Unknown option|missing required args|Unused args)/i.test(e.message)) {
    // cac's own usage errors.
    process.stderr.write(`${prefix} ${e.message}; run \`oxidize --help\` for usage\n`);
    return 2;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${prefix} ${message}${verbose ? '' : ' (run with --verbose for details)'}\n`);
  }
  if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}
