import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { resolveHostDistribution } from '../../distribution/host.js';
import { OxidizeError } from '../../errors.js';
import { findResourcesInPath } from '../../resources/scan.js';
import type { Resource } from '../../resources/types.js';

/** The name a resource is known by: module name, package/path, metadata directory/path, file path. */
function resourceName(r: Resource): string {
  switch (r.type) {
    case 'python-package-resource':
      return `${r.package}/${r.path}`;
    case 'python-distribution-resource':
      return `${r.distribution}/${r.path}`;
    case 'file':
      return r.path;
    case 'python-module-source':
    case 'python-module-bytecode':
      return r.isPackage ? `${r.name} (package)` : r.name;
    default:
      return r.name;
  }
}

/** `oxidize find-resources <dir>`: what the scanner classifies in a directory, one line per resource with its type. */
export async function findResourcesCommand(dir: string, o: { python?: string; json?: boolean }): Promise<number> {
  if (!(await fsp.stat(dir).then((s) => s.isDirectory(), () => false))) {
    throw new OxidizeError('NOT_A_DIRECTORY', `${dir} is not a directory`, 'give a directory of Python code, such as a site-packages directory or a source root');
  }
  // Extension module suffixes (.cpython-311-x86_64-linux-gnu.so, ...) come from the distribution.
  const dist = await resolveHostDistribution(o.python);
  const found = await findResourcesInPath(path.resolve(dir), { extensionSuffixes: dist.extensionSuffixes });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(found.map((r) => ({ type: r.type, name: resourceName(r) })), null, 2)}\n`);
    return 0;
  }
  const width = Math.max(0, ...found.map((r) => r.type.length));
  for (const r of found) process.stdout.write(`${r.type.padEnd(width)}  ${resourceName(r)}\n`);
  return 0;
}
