import * as path from 'node:path';
import { buildTargets } from '../../build-targets.js';
import { buildOutput } from '../build-output.js';
import type { GlobalOptions } from '../main.js';

export async function buildCommand(targets: readonly string[], opts: GlobalOptions): Promise<number> {
  const { executables } = await buildTargets({ ...opts, targets, ...buildOutput(opts) });
  for (const e of executables) process.stdout.write(`${path.relative(process.cwd(), e.path) || e.path}\n`);
  return 0;
}
