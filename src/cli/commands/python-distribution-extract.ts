import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { extractArchiveAtomically } from '../../distribution/archive.js';
import { OxidizeError } from '../../errors.js';

export async function pythonDistributionExtractCommand(archive: string, dir: string): Promise<number> {
  const target = path.resolve(dir);
  const entries = await fsp.readdir(target).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : undefined));
  if (entries === undefined || entries.length > 0) {
    throw new OxidizeError('TARGET_EXISTS', `${target} exists and is not an empty directory`, 'give a new directory to extract into');
  }
  await fsp.access(archive).catch(() => {
    throw new OxidizeError('NO_ARCHIVE', `cannot read ${archive}`, 'give the path of a .tar.zst distribution archive');
  });
  await fsp.mkdir(path.dirname(target), { recursive: true });
  await extractArchiveAtomically(archive, target);
  process.stdout.write(`${target}\n`);
  return 0;
}
