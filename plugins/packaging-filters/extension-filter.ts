/**
 * PyOxidizer's extension module filters, decided from what the distribution
 * says each module links and under which licences.
 */
import type { ExtensionModuleInfo } from '../../src/distribution/types.js';
import type { ExtensionModuleFilter } from '../../src/config/policy.js';

/** The C runtime: every program links these, so they do not count as libraries. */
const C_RUNTIME = new Set(['c', 'm', 'pthread', 'dl', 'util', 'rt']);

/** GPL, AGPL (any version, `-only`/`-or-later`/`+`); LGPL is not GPL here. */
export function isGplLicense(spdx: string): boolean {
  return /(^|[\s(])A?GPL-/.test(spdx);
}

/** Why a module is left out under `filter`, or undefined when it stays. `startup`: modules the interpreter imports to start. */
export function extensionExclusion(filter: ExtensionModuleFilter, info: ExtensionModuleInfo | undefined, name: string, startup: ReadonlySet<string>): string | undefined {
  if (filter === 'all') return undefined;
  if (filter === 'minimal') return startup.has(name) ? undefined : 'not needed to start the interpreter';
  const variant = info?.variants[0];
  if (!variant) return filter === 'no-gpl' ? 'the distribution does not say what it links' : undefined;
  const libraries = variant.links.filter((l) => !C_RUNTIME.has(l.name));
  if (filter === 'no-libraries') {
    return libraries.length > 0 ? `links ${libraries.map((l) => `lib${l.name}`).join(', ')}` : undefined;
  }
  // no-gpl: an unknown licence is not allowed.
  if (variant.licensePublicDomain) return undefined;
  if (variant.licenses === undefined) return libraries.length > 0 ? `links ${libraries.map((l) => `lib${l.name}`).join(', ')} under a licence the distribution does not state` : undefined;
  const gpl = variant.licenses.filter(isGplLicense);
  if (gpl.length === 0) return undefined;
  const what = libraries.length > 0 ? `links ${libraries.map((l) => `lib${l.name}`).join(', ')}` : 'links';
  return `${what} (${gpl.join(', ')})`;
}
