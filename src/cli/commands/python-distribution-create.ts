import { createArchiveFromHost } from '../../distribution/create-from-host.js';
import { sha256File } from '../../distribution/archive/fetch.js';
import { resolveHostDistribution } from '../../distribution/host.js';
import { OxidizeError } from '../../errors.js';
import type { GlobalOptions } from '../main.js';

/** Prints the archive's path and the sha256 to give `PythonDistribution`. */
export async function pythonDistributionCreateCommand(opts: GlobalOptions & { fromHost?: string }): Promise<number> {
  if (typeof opts.fromHost !== 'string' || opts.fromHost === '') {
    throw new OxidizeError('USAGE', 'python-distribution-create needs --from-host <out.tar.zst>', 'only the host interpreter can be written as an archive');
  }
  const dist = await resolveHostDistribution(opts.python);
  process.stderr.write(`writing Python ${dist.version} from ${dist.python} to ${opts.fromHost}\n`);
  const created = await createArchiveFromHost(dist, opts.fromHost);
  const sha256 = await sha256File(created.path);
  process.stderr.write(`${created.files} files, ${(created.bytes / 2 ** 20).toFixed(1)} MiB\n`);
  process.stdout.write(`${created.path}\nsha256 ${sha256}\n`);
  return 0;
}
