/**
 * `readVirtualenv(path)`: everything installed in a virtualenv's
 * site-packages, as PyOxidizer's `read_virtualenv`.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { checkString, findResourcesInPath, OxidizeError, sourcePlugin, type PluginContext, type OxidizePlugin, type ResourceSource } from '../../src/plugin-api.js';

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

export function readVirtualenvPlugin(): OxidizePlugin {
  return sourcePlugin<VirtualenvSource>('oxidize:read-virtualenv', 'read-virtualenv', async (ctx, source) => {
    const site = await sitePackagesOf(ctx, path.resolve(ctx.options.configDir, source.path));
    return findResourcesInPath(site, { extensionSuffixes: ctx.distribution.extensionSuffixes });
  });
}
