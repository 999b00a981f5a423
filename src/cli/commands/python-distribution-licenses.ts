/**
 * Per extension module (its embedded variant): built in or a shared
 * library, then each library it links (static or dynamic, system or
 * shipped) and the licences the distribution states for them; `UNKNOWN`
 * where it states none.
 */
import { libraryLicenses } from '../../distribution/library-licenses.js';
import type { GlobalOptions } from '../main.js';
import { openDistribution } from './open-distribution.js';

export async function pythonDistributionLicensesCommand(which: string, opts: GlobalOptions): Promise<number> {
  const d = await openDistribution(which, opts);
  const out: string[] = [`Python ${d.version} (${d.origin.location}): ${d.licenses.join(', ') || 'UNKNOWN'}`];
  let unknown = 0;
  for (const m of await d.extensionModules()) {
    const v = m.variants[0];
    if (!v) continue;
    const licences = v.licensePublicDomain ? 'public domain' : v.licenses === undefined ? 'UNKNOWN' : v.licenses.length ? v.licenses.join(', ') : 'no libraries beyond Python';
    if (v.licenses === undefined && !v.licensePublicDomain) unknown++;
    out.push(`${m.name}  ${v.builtin ? 'built in' : 'shared library'}  licences: ${licences}`);
    for (const l of v.links) {
      const own = libraryLicenses(l.name);
      out.push(`    ${l.name}  ${l.kind}${l.system ? ' system' : ''}${l.path ? ` ${l.path}` : ''}  ${own ? own.join(', ') : 'UNKNOWN'}`);
    }
  }
  out.push(`${unknown} extension modules with unknown licences`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
