/**
 * The host interpreter's extension modules with what they link: the ones
 * compiled into libpython (sys.builtin_module_names) and the shared
 * libraries of lib-dynload. Dynamic libraries come from each shared
 * library's DT_NEEDED entries; libraries linked statically (libmpdec) and
 * those of built-in modules from the build's MODULE_<NAME>_LDFLAGS.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { libraryName, readElfNeeds } from './elf.js';
import type { Probe } from './host.js';
import { libraryLicenses } from './library-licenses.js';
import type { ExtensionModuleInfo, LinkLibrary } from './types.js';

function fromLdflags(flags: readonly string[]): LinkLibrary[] {
  const out: LinkLibrary[] = [];
  for (const f of flags) {
    if (f.startsWith('-l')) out.push({ name: f.slice(2), kind: 'dynamic', system: true });
    else if (f.endsWith('.a')) out.push({ name: libraryName(path.basename(f, '.a')), kind: 'static', system: false });
  }
  return out;
}

/** Licences of what a module links; undefined when any of them is unknown. */
export function licensesOf(links: readonly LinkLibrary[]): string[] | undefined {
  const all = new Set<string>();
  for (const l of links) {
    const known = libraryLicenses(l.name);
    if (!known) return undefined;
    for (const k of known) all.add(k);
  }
  return [...all].sort();
}

function unique(links: LinkLibrary[]): LinkLibrary[] {
  const seen = new Set<string>();
  return links.filter((l) => (seen.has(l.name) ? false : (seen.add(l.name), true)));
}

export async function hostExtensionModules(p: Probe, suffixes: readonly string[]): Promise<ExtensionModuleInfo[]> {
  const modules: ExtensionModuleInfo[] = [];
  // Modules without a MODULE_*_LDFLAGS (the core's own, or Python < 3.11)
  // link only what libpython links.
  const coreLinks = fromLdflags(p.linkArgs);
  for (const name of p.builtinModules) {
    const flags = p.moduleLdflags[name];
    const links = flags ? fromLdflags(flags) : coreLinks;
    modules.push({
      name,
      variants: [{ variant: 'default', builtin: true, links, licenses: licensesOf(links), licensePublicDomain: false }],
    });
  }
  const files = (await fsp.readdir(p.dynloadDir).catch(() => [] as string[])).sort();
  for (const file of files) {
    const suffix = suffixes.find((s) => file.endsWith(s));
    if (!suffix) continue;
    const name = file.slice(0, -suffix.length);
    const full = path.join(p.dynloadDir, file);
    const needs = await readElfNeeds(full);
    const dynamic: LinkLibrary[] = (needs?.libraries ?? []).map((so) => ({ name: libraryName(so), kind: 'dynamic', system: true }));
    const statics = fromLdflags(p.moduleLdflags[name] ?? []).filter((l) => l.kind === 'static');
    const links = unique([...statics, ...dynamic]);
    modules.push({
      name,
      variants: [{ variant: 'default', builtin: false, sharedLibrary: full, links, licenses: needs ? licensesOf(links) : undefined, licensePublicDomain: false }],
    });
  }
  return modules.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
