/**
 * `oxidize stub pack`: the optimized runtime stub for a distribution as an
 * npm package directory (see src/link/stub-package.ts for the name scheme
 * and the manifest), so machines without cargo or cc can build. With
 * `--with-distribution` the package also holds the archive and is a
 * distribution package, which a config names by Python version.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { OxidizeError } from '../../errors.js';
import { ensureStub, stubIdentity } from '../../link/stub.js';
import { distributionPackageName, platformFields, sha256, STUB_FILE, STUB_MANIFEST, stubPackageName, type StubManifest } from '../../link/stub-package.js';
import { temporaryPath } from '../../util/fs.js';
import { cacheDir } from '../../util/paths.js';
import type { GlobalOptions } from '../main.js';
import { packageVersion } from '../version.js';
import { openDistribution } from './open-distribution.js';

export interface StubPackOptions extends GlobalOptions {
  distribution?: string;
  out?: string;
  withDistribution?: boolean;
}

export const DISTRIBUTION_ARCHIVE = 'distribution.tar.zst';

export async function stubCommand(action: string, opts: StubPackOptions): Promise<number> {
  if (action !== 'pack') throw new OxidizeError('USAGE', `unknown stub action '${action}': the action is pack`);
  if (!opts.distribution) throw new OxidizeError('USAGE', 'stub pack needs --distribution <archive|host>');
  const dist = await openDistribution(opts.distribution, opts);
  if (opts.withDistribution && dist.origin.kind !== 'archive') {
    throw new OxidizeError('USAGE', '--with-distribution needs an archive', 'make one from the host with `oxidize python-distribution-create --from-host <out.tar.zst>`');
  }
  const stub = await ensureStub(dist, {
    cacheDir: cacheDir(),
    onBuild: () => process.stderr.write('building the runtime stub with cargo\n'),
    onOutput: opts.verbose ? (c) => process.stderr.write(c) : undefined,
    warn: (m) => process.stderr.write(`oxidize: warning: ${m}\n`),
  });
  const id = await stubIdentity(dist);
  const name = opts.withDistribution ? distributionPackageName(dist.targetTriple, dist.versionShort) : stubPackageName(dist);
  const version = packageVersion();
  const manifest: StubManifest = {
    format: 1,
    ...id,
    pythonVersion: dist.version,
    stubSha256: sha256(stub.bytes),
    ...(opts.withDistribution ? { distributionArchive: DISTRIBUTION_ARCHIVE, distributionSha256: dist.origin.sha256 } : {}),
  };
  const files = [STUB_FILE, STUB_MANIFEST, ...(opts.withDistribution ? [DISTRIBUTION_ARCHIVE] : [])];
  const pkg = {
    name,
    version,
    description: opts.withDistribution
      ? `Python ${dist.version} distribution for ${dist.targetTriple} (sha256 ${dist.id.slice(0, 8)}) with its oxidize runtime stub`
      : `oxidize runtime stub for Python ${dist.version} on ${dist.targetTriple} (distribution ${dist.id.slice(0, 8)})`,
    ...platformFields(dist.targetTriple),
    files,
    oxidize: { manifest: STUB_MANIFEST },
  };
  const outDir = path.resolve(opts.out ?? '.');
  await fsp.mkdir(outDir, { recursive: true });
  const target = path.join(outDir, name.split('/').pop()!);
  // Written beside the target and renamed: never a half-written package.
  const tmp = temporaryPath(target);
  await fsp.mkdir(tmp);
  try {
    await fsp.writeFile(path.join(tmp, STUB_FILE), stub.bytes, { mode: 0o755 });
    await fsp.writeFile(path.join(tmp, STUB_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsp.writeFile(path.join(tmp, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    if (opts.withDistribution) await fsp.copyFile(dist.origin.location, path.join(tmp, DISTRIBUTION_ARCHIVE));
    await fsp.rm(target, { recursive: true, force: true });
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  process.stderr.write(`packed ${name}@${version} (stub sha256 ${manifest.stubSha256})\n`);
  process.stdout.write(`${path.relative(process.cwd(), target) || target}\n`);
  return 0;
}
