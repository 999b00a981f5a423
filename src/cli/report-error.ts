import { createColors } from 'picocolors';
import { exitCodeOf, isOxidizeError, isUsageError } from '../errors.js';

/** Colour only on a terminal: logs and pipes (CI included) get plain text. */
const pc = createColors(Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env));

/** The error and its causes, each with its stack (for --verbose). */
function chain(e: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let c: unknown = e; c !== undefined && c !== null && !seen.has(c); c = (c as { cause?: unknown }).cause) {
    seen.add(c);
    const fields = isOxidizeError(c) ? ` [${[`code ${c.code}`, c.plugin && `plugin ${c.plugin}`, c.hook && `hook ${c.hook}`].filter(Boolean).join(', ')}]` : '';
    const text = c instanceof Error ? (c.stack ?? `${c.name}: ${c.message}`) : String(c);
    parts.push(`${parts.length ? 'caused by: ' : ''}${text}${fields}`);
  }
  return parts.join('\n');
}

/** Prints an error as one line (with --verbose, then its cause chain with stacks); returns the exit code. */
export function reportError(e: unknown, verbose: boolean): number {
  const prefix = pc.red('oxidize: error:');
  if (isOxidizeError(e)) {
    process.stderr.write(`${prefix} ${e.message}${e.hint ? `; ${e.hint}` : ''}\n`);
  } else if (isUsageError(e)) {
    process.stderr.write(`${prefix} ${e.message}; run \`oxidize --help\` for usage\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${prefix} ${message}${verbose ? '' : ' (a bug in oxidize or a plugin: run with --verbose for details)'}\n`);
  }
  if (verbose) process.stderr.write(`${chain(e)}\n`);
  return exitCodeOf(e);
}
