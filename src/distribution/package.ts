/**
 * A distribution named by version (`PythonDistribution({ version })`),
 * taken from an installed distribution package: one made by `oxidize stub
 * pack --with-distribution`, holding the distribution archive and the stub
 * built for it, so one installed package is everything a build needs.
 *
 * Packages are looked for where stub packages are (src/link/stub-package.ts:
 * node_modules walking up, the config's `stubPath`, OXIDIZE_STUB_PATH). A
 * package matches when its manifest names an archive, this machine's target
 * and the version (`3.11` matches any 3.11.x), and the config's sha256 when
 * it gives one; among matches, the first whose stub was built from this
 * oxidize's runtime sources wins (its stub is then used too), else the first.
 * The archive's sha256 must be the manifest's before anything reads it.
 */
import * as path from 'node:path';
import { packageVersion } from '../cli/version.js';
import { OxidizeError } from '../errors.js';
import { candidatePackageDirs, distributionPackageName, readPackage, type PackageSearch, type StubManifest } from '../link/stub-package.js';
import { distributionFromVerifiedArchive } from './archive.js';
import { sha256File } from './archive/fetch.js';
import type { PythonDistribution } from './types.js';

export interface PackagedDistributionSpec {
  readonly version: string;
  readonly sha256?: string;
}

export interface FoundDistributionPackage {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly manifest: StubManifest;
  /** The verified archive (absolute path). */
  readonly archive: string;
}

/** Whether Python `have` ("3.11.7") is the version asked for ("3.11" or "3.11.7"). */
export function versionMatches(want: string, have: string): boolean {
  return have === want || have.startsWith(`${want}.`);
}

const minorOf = (version: string) => version.split('.').slice(0, 2).join('.');

/**
 * The installed package holding a distribution of `spec.version` for
 * `targetTriple`, its archive verified; a one-line error naming the package
 * to install when none matches.
 */
export async function findDistributionPackage(
  spec: PackagedDistributionSpec,
  search: PackageSearch,
  want: { targetTriple: string; runtimeDigest: string },
): Promise<FoundDistributionPackage> {
  const matching: Array<{ dir: string; name: string; version: string; manifest: StubManifest }> = [];
  const otherDigest: string[] = [];
  for (const dir of await candidatePackageDirs(search)) {
    const pkg = await readPackage(dir);
    if (!pkg || !pkg.manifest.distributionArchive || !pkg.manifest.distributionSha256) continue;
    if (pkg.manifest.targetTriple !== want.targetTriple || !versionMatches(spec.version, pkg.manifest.pythonVersion)) continue;
    if (spec.sha256 !== undefined && pkg.manifest.distributionSha256 !== spec.sha256) {
      otherDigest.push(`${pkg.name}@${pkg.version}`);
      continue;
    }
    matching.push({ dir, ...pkg });
  }
  const chosen = matching.find((p) => p.manifest.runtimeDigest === want.runtimeDigest) ?? matching[0];
  if (!chosen) {
    const name = `${distributionPackageName(want.targetTriple, minorOf(spec.version))}@${packageVersion()}`;
    const others = otherDigest.length > 0 ? ` with sha256 ${spec.sha256} (${otherDigest.join(', ')} ${otherDigest.length > 1 ? 'hold' : 'holds'} another)` : '';
    throw new OxidizeError(
      'NO_DISTRIBUTION_PACKAGE',
      `no installed package holds a Python ${spec.version} distribution for ${want.targetTriple}${others}`,
      `install it with \`npm install -D ${name}\` (or a tarball of one made by \`oxidize stub pack --with-distribution\`), or name the archive by \`url\` or \`localPath\` with its sha256`,
    );
  }
  const file = chosen.manifest.distributionArchive!;
  const altered = (what: string) =>
    new OxidizeError('STUB_PACKAGE_ALTERED', `distribution package ${chosen.name} (${chosen.dir}): ${what}`, 'reinstall the package (`npm ci`) or remove it');
  // The manifest is read from disk like any input: it names a file of the package, nothing else.
  if (file !== path.basename(file) || file === '.' || file === '..') throw altered(`its manifest names ${JSON.stringify(file)} as the archive, not a file of the package`);
  const archive = path.join(chosen.dir, file);
  const actual = await sha256File(archive).catch((e: NodeJS.ErrnoException) => `unreadable (${e.code ?? e.message})`);
  if (actual !== chosen.manifest.distributionSha256) throw altered(`${file} has sha256 ${actual}, its manifest says ${chosen.manifest.distributionSha256}`);
  return { ...chosen, archive };
}

/** Resolves `PythonDistribution({ version })`: the installed package's archive, extracted into the cache on first use. */
export async function resolvePackagedDistribution(
  spec: PackagedDistributionSpec,
  search: PackageSearch,
  want: { targetTriple: string; runtimeDigest: string },
  cacheDir: string,
): Promise<PythonDistribution> {
  const found = await findDistributionPackage(spec, search, want);
  const dist = await distributionFromVerifiedArchive(found.archive, found.manifest.distributionSha256!, { location: found.archive, package: `${found.name}@${found.version}` }, cacheDir);
  if (!versionMatches(spec.version, dist.version) || dist.targetTriple !== want.targetTriple) {
    throw new OxidizeError(
      'STUB_PACKAGE_ALTERED',
      `distribution package ${found.name} (${found.dir}): its manifest says Python ${found.manifest.pythonVersion} for ${found.manifest.targetTriple}, its archive holds Python ${dist.version} for ${dist.targetTriple}`,
      'reinstall the package (`npm ci`) or remove it',
    );
  }
  return dist;
}

