/**
 * `readPackageRoot(path, packages)`: the named packages (a package directory
 * or a single module file) from a directory, as PyOxidizer's
 * `read_package_root`. A name ending in `.dist-info` or `.egg-info` takes
 * that metadata directory, for code that reads its own version or entry
 * points with importlib.metadata.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { findResourcesInPath, OxidizeError, sourcePlugin, type PluginContext, type OxidizePlugin, type Resource, type ResourceSource } from '../../src/plugin-api.js';

export interface PackageRootSource extends ResourceSource {
  readonly kind: 'read-package-root';
  /** Directory holding the packages; relative paths resolve against the config file's directory. */
  readonly path: string;
  /** Top-level package or module names, or metadata directory names, to take. */
  readonly packages: readonly string[];
  /** Pack what symbolic links pointing out of `path` point to (else such a link is an error). */
  readonly followSymlinksOutside: boolean;
}

export interface PackageRootOptions {
  /**
   * Symbolic links inside the packages that point out of `path` (Debian's
   * packages link some data files to /usr/share) are an error unless this is
   * set; then what they point to is packed.
   */
  followSymlinksOutside?: boolean;
}

export function readPackageRoot(root: string, packages: readonly string[], options: PackageRootOptions = {}): PackageRootSource {
  return { kind: 'read-package-root', path: root, packages: [...packages], followSymlinksOutside: options.followSymlinksOutside ?? false };
}

function topLevel(r: Resource): string | undefined {
  switch (r.type) {
    case 'python-distribution-resource':
      return r.distribution;
    case 'shared-library':
      return r.name.split('/')[0].replace(/\.libs$/, '');
    case 'python-module-source':
    case 'python-module-bytecode':
    case 'python-extension-module':
      return r.name.split('.')[0];
    case 'python-package-resource':
      return r.package.split('.')[0];
    default:
      return undefined;
  }
}

/** The named packages of one source, with their `.libs` directories and metadata directories asked for. */
export async function collectPackageRoot(ctx: PluginContext, source: PackageRootSource): Promise<Resource[]> {
  const root = path.resolve(ctx.options.configDir, source.path);
  const st = await fsp.stat(root).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new OxidizeError('PACKAGE_ROOT_MISSING', `readPackageRoot: ${root} is not a directory`, 'check the path given to readPackageRoot in the config');
  }
  const wanted = new Set(source.packages);
  // `pkg.libs/` holds the shared libraries of pkg's extension modules (auditwheel's layout).
  const take = (name: string) => wanted.has(name) || (name.endsWith('.libs') && wanted.has(name.slice(0, -5)));
  const found = (await findResourcesInPath(root, { extensionSuffixes: ctx.distribution.extensionSuffixes, topLevel: take, followSymlinksOutside: source.followSymlinksOutside })).filter((r) => {
    const top = topLevel(r);
    return top !== undefined && wanted.has(top);
  });
  for (const name of wanted) {
    if (!found.some((r) => topLevel(r) === name)) {
      throw new OxidizeError('PACKAGE_NOT_FOUND', `readPackageRoot: no package, module or metadata directory named '${name}' in ${root}`, `expected ${name}/__init__.py or ${name}.py there`);
    }
  }
  return found;
}

export function readPackageRootPlugin(): OxidizePlugin {
  return sourcePlugin<PackageRootSource>('oxidize:read-package-root', 'read-package-root', collectPackageRoot);
}
