import * as path from 'node:path';
import { buildTargets } from '../../build-targets.js';
import { buildOutput } from '../build-output.js';
import type { GlobalOptions } from '../main.js';

/** Prints each executable built, then each install directory written, one path a line. */
export async function buildCommand(targets: readonly string[], opts: GlobalOptions): Promise<number> {
  const { executables, manifests } = await buildTargets({ ...opts, targets, ...buildOutput(opts) });
  const shown = (p: string) => path.relative(process.cwd(), p) || p;
  for (const e of executables) process.stdout.write(`${shown(e.path)}\n`);
  for (const m of manifests) process.stdout.write(`${shown(m.directory)}\n`);
  return 0;
}
