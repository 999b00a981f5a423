/**
 * `oxidize licenses [--target T]`: builds the target (a warm build reuses
 * everything) and prints the licences of what its executable carries, the
 * text the build writes to COPYING.txt beside it.
 */
import { buildTargets } from '../../build-targets.js';
import { OxidizeError } from '../../errors.js';

export interface LicensesOptions {
  target?: string;
  path?: string;
  python?: string;
  release?: boolean;
}

export async function licensesCommand(opts: LicensesOptions): Promise<number> {
  const { executables } = await buildTargets({ path: opts.path, python: opts.python, release: opts.release, targets: opts.target ? [opts.target] : [] });
  const exe = executables[executables.length - 1];
  if (!exe?.report) {
    throw new OxidizeError('NOTHING_TO_RUN', `target ${opts.target ?? '(default)'} built no executable`, 'name a target whose build returns an executable with --target');
  }
  process.stdout.write(exe.report.licenses);
  return 0;
}
