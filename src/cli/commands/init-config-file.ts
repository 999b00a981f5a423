import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { initConfigTemplate } from '../init-config-template.js';

export async function initConfigFileCommand(dir: string): Promise<number> {
  const target = path.resolve(dir, 'pyoxidizer.config.ts');
  if (await fsp.stat(target).then(() => true, () => false)) {
    throw new OxidizeError('CONFIG_EXISTS', `${target} already exists`, 'remove it or choose another directory');
  }
  const name = path.basename(path.resolve(dir)).replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
  await writeFileAtomic(target, [Buffer.from(initConfigTemplate(name))]);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target) || target}\nbuild it with: npx oxidize build --path ${path.relative(process.cwd(), path.dirname(target)) || '.'}\n`);
  return 0;
}
