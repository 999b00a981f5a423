/**
 * What a building command shows: status lines and progress on stderr, or
 * with --quiet nothing but errors (and the executable's path on stdout).
 */
import type { BuildTargetsOptions } from '../build-targets.js';
import { attachProgress, defaultRenderer } from './progress.js';

export interface OutputOptions {
  verbose?: boolean;
  quiet?: boolean;
}

export function buildOutput(opts: OutputOptions): Pick<BuildTargetsOptions, 'log' | 'warn' | 'onBuild'> {
  if (opts.quiet) return {};
  const line = (l: string) => void process.stderr.write(`${l}\n`);
  return { log: line, warn: line, onBuild: (build) => attachProgress(build, { renderer: defaultRenderer(Boolean(opts.verbose)) }) };
}
