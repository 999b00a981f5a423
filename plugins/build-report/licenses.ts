/**
 * The licences of what an executable carries: Python's own, the libraries
 * its extension modules link (where the distribution says), and each packed
 * Python distribution's `License` / `License-Expression` metadata, licence
 * classifiers and licence files. Written as COPYING.txt beside the
 * executable and printed by `oxidize licenses`.
 */
import { promises as fsp } from 'node:fs';
import type { Content, PythonDistribution, Resource } from '../../src/plugin-api.js';

export interface PackageLicense {
  /** "Flask" */
  readonly name: string;
  readonly version: string;
  /** The metadata directory ("Flask-2.2.2.dist-info"). */
  readonly directory: string;
  /** `License-Expression`, else `License`, else the licence classifiers; empty when it says nothing. */
  readonly license: string;
  /** Licence files found in the metadata directory: path and text. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

export interface ExtensionLicense {
  readonly module: string;
  readonly libraries: readonly string[];
  /** SPDX identifiers; undefined when the distribution does not say. */
  readonly licenses?: readonly string[];
}

export interface LicenseReport {
  readonly python: { readonly version: string; readonly licenses: readonly string[]; readonly text?: string };
  readonly extensions: readonly ExtensionLicense[];
  readonly packages: readonly PackageLicense[];
}

const LICENSE_FILE = /(^|\/)(licen[cs]e|copying|notice|authors)[^/]*$|^licenses\//i;
const C_RUNTIME = new Set(['c', 'm', 'pthread', 'dl', 'util', 'rt']);

function read(c: Content): Promise<string> {
  return ('bytes' in c ? Promise.resolve(Buffer.from(c.bytes)) : fsp.readFile(c.path)).then((b) => b.toString('utf8'));
}

/** The headers of a METADATA / PKG-INFO file (before its body), repeated ones in order. */
export function metadataHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last)!;
      values[values.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
    if (!m) continue;
    last = m[1].toLowerCase();
    headers.set(last, [...(headers.get(last) ?? []), m[2].trim()]);
  }
  return headers;
}

/** What the metadata says the licence is. */
export function licenseOf(headers: Map<string, string[]>): string {
  const expression = headers.get('license-expression')?.[0];
  if (expression) return expression;
  const license = headers.get('license')?.[0];
  if (license && license !== 'UNKNOWN') return license.split('\n')[0].length < 100 ? license.split('\n')[0] : `${license.split('\n')[0].slice(0, 97)}...`;
  const classifiers = (headers.get('classifier') ?? []).filter((c) => c.startsWith('License ::')).map((c) => c.split(' :: ').pop()!);
  return classifiers.join(', ');
}

export async function collectLicenses(dist: PythonDistribution, resources: readonly Resource[]): Promise<LicenseReport> {
  const text = dist.licensePath ? await fsp.readFile(dist.licensePath, 'utf8').catch(() => undefined) : undefined;

  const infos = new Map((await dist.extensionModules()).map((i) => [i.name, i]));
  const extensions: ExtensionLicense[] = [];
  for (const r of resources) {
    if (r.type !== 'python-extension-module') continue;
    const variant = infos.get(r.name)?.variants[0];
    const libraries = (variant?.links ?? []).filter((l) => !C_RUNTIME.has(l.name)).map((l) => `lib${l.name}`);
    if (libraries.length === 0) continue;
    extensions.push({ module: r.name, libraries, ...(variant?.licenses ? { licenses: variant.licenses } : {}) });
  }
  extensions.sort((a, b) => (a.module < b.module ? -1 : 1));

  const byDir = new Map<string, Array<Extract<Resource, { type: 'python-distribution-resource' }>>>();
  for (const r of resources) if (r.type === 'python-distribution-resource') byDir.set(r.distribution, [...(byDir.get(r.distribution) ?? []), r]);
  const packages: PackageLicense[] = [];
  for (const [directory, files] of [...byDir].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const meta = files.find((f) => f.path === 'METADATA' || f.path === 'PKG-INFO');
    const headers = meta ? metadataHeaders(await read(meta.data)) : new Map<string, string[]>();
    const named = /^(.+?)-([^-]+)\.(dist|egg)-info$/.exec(directory);
    const licenseFiles = await Promise.all(
      files.filter((f) => LICENSE_FILE.test(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1)).map(async (f) => ({ path: f.path, text: await read(f.data) })),
    );
    packages.push({
      name: headers.get('name')?.[0] ?? named?.[1] ?? directory,
      version: headers.get('version')?.[0] ?? named?.[2] ?? '',
      directory,
      license: licenseOf(headers),
      files: licenseFiles,
    });
  }
  return { python: { version: dist.version, licenses: dist.licenses, ...(text ? { text } : {}) }, extensions, packages };
}

/** COPYING.txt's text. */
export function formatLicenses(executable: string, r: LicenseReport): string {
  const rule = (title: string) => `${title}\n${'='.repeat(title.length)}\n`;
  const out: string[] = [`Licences of what ${executable} carries. Each part keeps its own licence.\n`];
  out.push(rule(`Python ${r.python.version}: ${r.python.licenses.join(', ') || 'licence not stated'}`));
  if (r.python.text) out.push(`${r.python.text.trimEnd()}\n`);
  if (r.extensions.length > 0) {
    out.push(rule('Libraries linked by extension modules'));
    for (const e of r.extensions) out.push(`- ${e.module}: ${e.libraries.join(', ')} (${e.licenses ? e.licenses.join(', ') : 'licence not stated by the distribution'})`);
    out.push('');
  }
  if (r.packages.length > 0) {
    out.push(rule('Python packages'));
    for (const p of r.packages) {
      out.push(`${p.name} ${p.version} (${p.directory}): ${p.license || 'licence not stated in its metadata'}`);
      for (const f of p.files) out.push(`\n--- ${p.directory}/${f.path} ---\n${f.text.trimEnd()}\n`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
