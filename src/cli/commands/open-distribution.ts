/** The distribution a python-distribution-* command names: `host`, or an archive file. */
import { openArchiveFile } from '../../distribution/archive.js';
import { resolveHostDistribution } from '../../distribution/host.js';
import type { PythonDistribution } from '../../distribution/types.js';
import { cacheDir } from '../../util/paths.js';
import type { GlobalOptions } from '../main.js';

export async function openDistribution(which: string, opts: GlobalOptions): Promise<PythonDistribution> {
  if (which === 'host') return resolveHostDistribution(opts.python);
  return openArchiveFile(which, { cacheDir: cacheDir(), log: (l) => process.stderr.write(`${l}\n`), progress: Boolean(process.stderr.isTTY) });
}
