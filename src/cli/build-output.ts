/**
 * What a building command shows: status lines, progress and each
 * executable's size report on stderr, or with --quiet nothing but errors
 * (and the paths of what was built on stdout).
 */
import type { BuildTargetsOptions } from '../build-targets.js';
import { buildReportHooks } from '../../plugins/build-report/index.js';
import { formatSizeReport } from '../../plugins/build-report/sizes.js';
import { attachProgress, defaultRenderer } from './progress.js';

export interface OutputOptions {
  verbose?: boolean;
  quiet?: boolean;
}

export function buildOutput(opts: OutputOptions): Pick<BuildTargetsOptions, 'log' | 'warn' | 'onBuild'> {
  if (opts.quiet) return {};
  const line = (l: string) => void process.stderr.write(`${l}\n`);
  return {
    log: line,
    warn: line,
    onBuild: (build) => {
      buildReportHooks(build).report.tap('oxidize:cli', (r) => formatSizeReport(r.sizes).forEach(line));
      return attachProgress(build, { renderer: defaultRenderer(Boolean(opts.verbose)) });
    },
  };
}
