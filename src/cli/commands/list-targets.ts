import * as path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { defaultTarget } from '../../config/targets.js';
import { parseVars } from '../vars.js';

export interface ListTargetsOptions {
  path?: string;
  release?: boolean;
  json?: boolean;
  var?: unknown;
  varEnv?: unknown;
}

/** `oxidize list-targets`: the config's targets in registration order, the default marked, with what each depends on. */
export async function listTargetsCommand(o: ListTargetsOptions): Promise<number> {
  const { file, config } = await loadConfig(path.resolve(o.path ?? '.'), { release: Boolean(o.release), vars: parseVars(o.var, o.varEnv) });
  const names = Object.keys(config.targets);
  const def = names.length ? defaultTarget(config.targets) : undefined;
  const targets = names.map((name) => ({ name, default: name === def, depends: [...(config.targets[name].depends ?? [])] }));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ config: file, targets }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const t of targets) {
    const notes = [t.default ? 'default' : '', t.depends.length ? `depends on ${t.depends.join(', ')}` : ''].filter(Boolean).join('; ');
    process.stdout.write(`${notes ? `${t.name.padEnd(width)}  ${notes}` : t.name}\n`);
  }
  return 0;
}
