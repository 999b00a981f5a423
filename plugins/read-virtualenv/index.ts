/**
 * `readVirtualenv(path)`: everything installed in a virtualenv's
 * site-packages, as PyOxidizer's `read_virtualenv`. A virtualenv that also
 * sees the system site-packages gets a warning naming what it lacks
 * (system-site.ts).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  checkString, createHooksRegistry, findResourcesInPath, OxidizeError, sourcePlugin, SyncHook, type PluginContext, type OxidizePlugin, type ResourceSource,
} from '../../src/plugin-api.js';
import { includesSystemSite, installedDistributions, markerEnvironment, requiredFromSystem, systemSitePackages, type InstalledDistribution } from './system-site.js';

export interface VirtualenvSource extends ResourceSource {
  readonly kind: 'read-virtualenv';
  /** The virtualenv's directory; relative paths resolve against the config file's directory. */
  readonly path: string;
}

export function readVirtualenv(venv: string): VirtualenvSource {
  checkString('readVirtualenv(path)', 'path', venv, "give the virtualenv's directory, for example readVirtualenv('venv')");
  return { kind: 'read-virtualenv', path: venv };
}

/** `<venv>/lib/python3.X/site-packages` for the distribution's version. */
export async function sitePackagesOf(ctx: PluginContext, venv: string): Promise<string> {
  const site = path.join(venv, 'lib', `python${ctx.distribution.versionShort}`, 'site-packages');
  if (await fsp.stat(site).then((s) => s.isDirectory(), () => false)) return site;
  const lib = await fsp.readdir(path.join(venv, 'lib')).catch(() => [] as string[]);
  const other = lib.find((d) => /^python3\.\d+$/.test(d));
  throw new OxidizeError(
    'NOT_A_VIRTUALENV',
    other
      ? `virtualenv ${venv} is for ${other}, but the distribution is Python ${ctx.distribution.versionShort}`
      : `${venv} is not a virtualenv (no lib/python${ctx.distribution.versionShort}/site-packages)`,
    'create it with the same interpreter oxidize uses (`python3 -m venv`), or point readVirtualenv at another one',
  );
}

export interface SystemSite {
  /** The path given to readVirtualenv. */
  readonly virtualenv: string;
  /** The system site-packages directories it sees and readVirtualenv does not pack. */
  readonly dirs: readonly string[];
}

const registry = createHooksRegistry('oxidize:read-virtualenv', () => ({
  /** A virtualenv that also sees the system site-packages (the build report names what is missing from there). */
  systemSite: new SyncHook<[SystemSite]>(['site']),
}));

/** readVirtualenv's hooks, for other plugins to tap. */
export const getVirtualenvHooks = (ctx: PluginContext) => registry.of(ctx);

export function readVirtualenvPlugin(): OxidizePlugin {
  return sourcePlugin<VirtualenvSource>('oxidize:read-virtualenv', 'read-virtualenv', async (ctx, source) => {
    const venv = path.resolve(ctx.options.configDir, source.path);
    const site = await sitePackagesOf(ctx, venv);
    if (await includesSystemSite(venv)) {
      const dirs = await systemSitePackages(venv, ctx.distribution);
      ctx.warn(await systemSiteWarning(ctx, source.path, venv, site, dirs));
      registry.owned(ctx).systemSite.call({ virtualenv: source.path, dirs });
    }
    return findResourcesInPath(site, { extensionSuffixes: ctx.distribution.extensionSuffixes });
  });
}

/**
 * One line for a virtualenv that sees the system site-packages: only its
 * own site-packages is packed. Names the system-only distributions its
 * packages require, and the two ways to pack them.
 */
async function systemSiteWarning(ctx: PluginContext, given: string, venv: string, site: string, dirs: readonly string[]): Promise<string> {
  const head = `readVirtualenv('${given}'): its pyvenv.cfg has include-system-site-packages = true, but only the virtualenv's own site-packages is packed`;
  const system = new Map<string, InstalledDistribution>();
  for (const dir of dirs) for (const [k, d] of await installedDistributions(dir)) if (!system.has(k)) system.set(k, d);
  const needed = requiredFromSystem(await installedDistributions(site), system, markerEnvironment(ctx.distribution));
  const pip = path.join(given, 'bin', 'pip');
  if (needed.length === 0) {
    const where = dirs.length > 0 ? ` (${dirs.join(', ')})` : '';
    return `${head}: what the program imports from the system site-packages${where} is not in the executable; install it into the virtualenv (${pip} install ...), or add readPackageRoot(<system site-packages>, [<its packages>]) for it`;
  }
  const names = needed.map((n) => n.distribution.name);
  const what = needed.map((n) => `${n.distribution.name} (required by ${n.requiredBy})`).join(', ');
  const byDir = new Map<string, string[]>();
  for (const { distribution: d } of needed) byDir.set(d.dir, [...(byDir.get(d.dir) ?? []), ...d.topLevel]);
  const roots = [...byDir].map(([dir, tops]) => `readPackageRoot('${dir}', [${[...new Set(tops)].map((t) => `'${t}'`).join(', ')}])`).join(' and ');
  return `${head}: ${what} ${needed.length === 1 ? 'is' : 'are'} only in the system site-packages and not packed; install ${needed.length === 1 ? 'it' : 'them'} into the virtualenv (${pip} install ${names.join(' ')}), or add ${roots}`;
}
