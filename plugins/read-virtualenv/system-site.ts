/**
 * A virtualenv made with `--system-site-packages` (pyvenv.cfg:
 * `include-system-site-packages = true`) imports from the base
 * interpreter's site-packages too, and pip counts what is there as
 * installed; readVirtualenv packs only the virtualenv's own site-packages.
 * This finds what the virtualenv's distributions require (METADATA
 * `Requires-Dist`, an egg-info's requires.txt; markers evaluated for the
 * distribution, extras left out) that only the system site-packages has,
 * with what they require in turn.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { normalizeProjectName, projectName, providedTopLevel, runProgram, type MetadataListing, type PythonDistribution } from '../../src/plugin-api.js';

/** `key = value` lines of a pyvenv.cfg; keys lower-cased. */
export function parsePyvenvCfg(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** Whether `<venv>/pyvenv.cfg` says the virtualenv also sees the system site-packages. */
export async function includesSystemSite(venv: string): Promise<boolean> {
  const text = await fsp.readFile(path.join(venv, 'pyvenv.cfg'), 'utf8').catch(() => '');
  return /^true$/i.test(parsePyvenvCfg(text)['include-system-site-packages'] ?? '');
}

/** The values of PEP 508 marker variables for the distribution (what the executable runs with). */
export function markerEnvironment(dist: Pick<PythonDistribution, 'version' | 'versionShort' | 'targetTriple'>): Record<string, string> {
  const darwin = dist.targetTriple.includes('darwin');
  const windows = dist.targetTriple.includes('windows');
  return {
    python_version: dist.versionShort,
    python_full_version: dist.version,
    sys_platform: darwin ? 'darwin' : windows ? 'win32' : 'linux',
    platform_system: darwin ? 'Darwin' : windows ? 'Windows' : 'Linux',
    os_name: windows ? 'nt' : 'posix',
    platform_machine: dist.targetTriple.split('-')[0],
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  };
}

const VERSION_KEYS = new Set(['python_version', 'python_full_version']);

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * A PEP 508 marker's value in `env`: true, false, or undefined when it
 * names something unknown (`extra`, a variable not in `env`) or does not parse.
 */
export function markerHolds(marker: string, env: Record<string, string>): boolean | undefined {
  const tokens = marker.match(/\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|[A-Za-z_][A-Za-z0-9_.]*)/g)?.map((t) => t.trim());
  if (!tokens || tokens.join('').replace(/\s/g, '') !== marker.replace(/\s/g, '')) return undefined;
  let at = 0;
  type V = boolean | undefined;
  const value = (t: string | undefined): { text?: string; key?: string } | undefined => {
    if (t === undefined) return undefined;
    if (/^['"]/.test(t)) return { text: t.slice(1, -1) };
    if (Object.hasOwn(env, t)) return { text: env[t], key: t };
    return /^[A-Za-z_]/.test(t) ? {} : undefined;
  };
  const comparison = (): V => {
    if (tokens[at] === '(') {
      at++;
      const v = or();
      if (tokens[at++] !== ')') throw new Error('marker');
      return v;
    }
    const left = value(tokens[at++]);
    const op = tokens[at++];
    const right = value(tokens[at++]);
    if (!left || !right || op === undefined) throw new Error('marker');
    if (left.text === undefined || right.text === undefined) return undefined;
    const key = left.key ?? right.key;
    if (op === 'in') return right.text.includes(left.text);
    if (/^not\s+in$/.test(op)) return !right.text.includes(left.text);
    const c = key && VERSION_KEYS.has(key) ? compareVersions(left.text, right.text) : left.text < right.text ? -1 : left.text > right.text ? 1 : 0;
    switch (op) {
      case '==': case '===': return key && VERSION_KEYS.has(key) && right.text.endsWith('.*') ? left.text.startsWith(right.text.slice(0, -2)) : c === 0;
      case '!=': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
      default: return undefined;
    }
  };
  const and = (): V => {
    let v: V = comparison();
    while (tokens[at] === 'and') {
      at++;
      const w = comparison();
      v = v === false || w === false ? false : v === undefined || w === undefined ? undefined : true;
    }
    return v;
  };
  const or = (): V => {
    let v: V = and();
    while (tokens[at] === 'or') {
      at++;
      const w = and();
      v = v === true || w === true ? true : v === undefined || w === undefined ? undefined : false;
    }
    return v;
  };
  try {
    const v = or();
    return at === tokens.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The names a distribution requires in `env`: Requires-Dist without a marker or with one that holds (extras left out). */
export function requiredNames(requirements: readonly string[], env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const r of requirements) {
    const [spec, marker] = r.split(';', 2);
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1];
    if (!name) continue;
    if (marker === undefined || markerHolds(marker.trim(), env) === true) out.push(name);
  }
  return out;
}

/** requires.txt of an egg-info: the lines before any section, and those of `[:marker]` sections whose marker holds (as Requires-Dist lines). */
export function eggRequirements(text: string): string[] {
  const out: string[] = [];
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const s = /^\[(.*)\]$/.exec(line);
    if (s) {
      section = s[1];
      continue;
    }
    if (section === undefined) out.push(line);
    else if (section.startsWith(':')) out.push(`${line}; ${section.slice(1)}`);
    // `[extra]` and `[extra:marker]`: only with that extra.
  }
  return out;
}

export interface InstalledDistribution {
  /** As its metadata directory names it. */
  readonly name: string;
  /** The site-packages directory it is in. */
  readonly dir: string;
  /** Requires-Dist lines (requirement; marker). */
  readonly requires: readonly string[];
  /** Its top-level modules (top_level.txt, RECORD, ...). */
  readonly topLevel: readonly string[];
}

async function readText(file: string): Promise<string | undefined> {
  return fsp.readFile(file, 'utf8').catch(() => undefined);
}

/** The distributions installed in a site-packages directory (`*.dist-info` and `*.egg-info` directories), by normalized name. */
export async function installedDistributions(dir: string): Promise<Map<string, InstalledDistribution>> {
  const out = new Map<string, InstalledDistribution>();
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!/\.(dist|egg)-info$/.test(e.name)) continue;
    const meta = path.join(dir, e.name);
    const isDir = await fsp.stat(meta).then((s) => s.isDirectory(), () => false);
    const name = projectName(e.name);
    const key = normalizeProjectName(name);
    if (out.has(key)) continue;
    if (!isDir) {
      out.set(key, { name, dir, requires: [], topLevel: [] });
      continue;
    }
    let requires: string[] = [];
    if (e.name.endsWith('.dist-info')) {
      const metadata = (await readText(path.join(meta, 'METADATA'))) ?? '';
      const headers = metadata.split(/\r?\n\r?\n/)[0];
      requires = [...headers.matchAll(/^Requires-Dist:\s*(.+)$/gim)].map((m) => m[1].trim());
    } else {
      requires = eggRequirements((await readText(path.join(meta, 'requires.txt'))) ?? '');
    }
    const listing: MetadataListing = {
      topLevel: await readText(path.join(meta, 'top_level.txt')),
      record: await readText(path.join(meta, 'RECORD')),
      installedFiles: await readText(path.join(meta, 'installed-files.txt')),
    };
    out.set(key, { name, dir, requires, topLevel: providedTopLevel(listing).filter((t) => !t.includes('.') && !t.endsWith('-info')) });
  }
  return out;
}

/** The system site-packages directories a virtualenv sees, asked of its own interpreter (of the distribution's, when it has none that runs). */
export async function systemSitePackages(venv: string, dist: PythonDistribution): Promise<string[]> {
  const code = 'import json, site, sys; print(json.dumps(site.getsitepackages([sys.base_prefix])))';
  for (const python of [path.join(venv, 'bin', 'python'), dist.python]) {
    const r = await runProgram(python, ['-I', '-S', '-c', code]).catch(() => undefined);
    if (r?.code === 0) {
      try {
        const dirs = JSON.parse(r.stdout) as unknown;
        if (Array.isArray(dirs)) return dirs.filter((d): d is string => typeof d === 'string');
      } catch {
        // Not this interpreter: try the next one.
      }
    }
  }
  return [];
}

/**
 * What the virtualenv's distributions require, directly or through others,
 * that is installed only in the system site-packages: in the order found.
 */
export function requiredFromSystem(
  venv: ReadonlyMap<string, InstalledDistribution>,
  system: ReadonlyMap<string, InstalledDistribution>,
  env: Record<string, string>,
): Array<{ distribution: InstalledDistribution; requiredBy: string }> {
  const found: Array<{ distribution: InstalledDistribution; requiredBy: string }> = [];
  const seen = new Set<string>(venv.keys());
  const queue = [...venv.values()];
  while (queue.length > 0) {
    const d = queue.shift()!;
    for (const name of requiredNames(d.requires, env)) {
      const key = normalizeProjectName(name);
      if (seen.has(key)) continue;
      seen.add(key);
      const there = system.get(key);
      if (there) {
        found.push({ distribution: there, requiredBy: d.name });
        queue.push(there);
      }
    }
  }
  return found;
}

/** The top-level modules a site-packages directory holds: packages, `x.py`, extension modules (`x.cpython-311-x86_64-linux-gnu.so`). */
export async function topLevelModules(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory() && /^[A-Za-z_]\w*$/.test(e.name)) out.add(e.name);
    else if (/^[A-Za-z_]\w*\.(py|so|pyc)$|^[A-Za-z_]\w*\.[^.]+\.so$/.test(e.name)) out.add(e.name.split('.')[0]);
  }
  return out;
}
