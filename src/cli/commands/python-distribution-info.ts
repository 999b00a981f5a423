import { SUPPORTED_PYTHON_VERSIONS } from '../../distribution/supported.js';
import type { GlobalOptions } from '../main.js';
import { openDistribution } from './open-distribution.js';

export async function pythonDistributionInfoCommand(which: string, opts: GlobalOptions): Promise<number> {
  const d = await openDistribution(which, opts);
  const modules = await d.extensionModules();
  const builtin = modules.filter((m) => m.variants[0]?.builtin).length;
  const supported = (SUPPORTED_PYTHON_VERSIONS as readonly string[]).includes(d.versionShort);
  const rows: Array<[string, string]> = [
    ['source', `${d.origin.kind} ${d.origin.location}`],
    ...(d.origin.sha256 ? [['sha256', d.origin.sha256] as [string, string]] : []),
    ...(d.origin.extractedDir ? [['extracted', d.origin.extractedDir] as [string, string]] : []),
    ['python', `${d.version} (${d.cacheTag}, bytecode magic ${d.magic})`],
    ['target', d.targetTriple],
    ['interpreter', d.python],
    ['stdlib', d.stdlibDir],
    ['include', d.includeDir],
    ['core', d.link.staticLibrary ? `static library ${d.link.staticLibrary}` : `${d.link.objects.length} object files`],
    ['link args', d.link.args.join(' ') || '(none)'],
    ['extensions', `${modules.length} (${builtin} built in, ${modules.length - builtin} shared libraries)`],
    ['licences', d.licenses.join(', ') || 'unknown'],
    ['supported', supported ? 'yes' : `no (oxidize embeds Python ${SUPPORTED_PYTHON_VERSIONS.join(' and ')})`],
  ];
  for (const [k, v] of rows) process.stdout.write(`${`${k}:`.padEnd(13)}${v}\n`);
  return 0;
}
