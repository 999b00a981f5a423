import { spawn } from 'node:child_process';
import { buildTargets } from '../../build-targets.js';
import { OxidizeError } from '../../errors.js';
import { buildOutput } from '../build-output.js';
import type { GlobalOptions } from '../main.js';

export async function runCommand(target: string | undefined, args: readonly string[], opts: GlobalOptions): Promise<number> {
  const { executables } = await buildTargets({ ...opts, targets: target ? [target] : [], ...buildOutput(opts) });
  const exe = executables[executables.length - 1];
  if (!exe) {
    throw new OxidizeError('NOTHING_TO_RUN', `target ${target ?? '(default)'} built no executable`, 'name a target whose build returns an executable with --target');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(exe.path, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}
