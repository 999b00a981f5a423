import { OxidizeError } from '../../errors.js';
import { runInForeground } from '../../util/interrupt.js';
import { buildFromCommandLine, type BuildCommandOptions } from './build.js';

/**
 * Builds the target and runs what it produced: its executable, or for an
 * install layout the executable placed in it, with the arguments after `--`.
 */
export async function runCommand(target: string | undefined, args: readonly string[], opts: BuildCommandOptions): Promise<number> {
  const result = await buildFromCommandLine(target ? [target] : [], opts);
  const last = [...result.results.values()].pop() as { kind?: string; path?: string; executables?: string[] } | undefined;
  const exe = last?.kind === 'built-executable' ? last.path : last?.kind === 'built-manifest' ? last.executables?.[0] : undefined;
  if (!exe) {
    throw new OxidizeError('NOTHING_TO_RUN', `target ${target ?? '(default)'} built no executable`, 'name a target whose build returns an executable (or a FileManifest holding one) with --target');
  }
  // Exits with the program's status: a Ctrl-C it handles is its business (src/util/interrupt.ts).
  return runInForeground(exe, args);
}
