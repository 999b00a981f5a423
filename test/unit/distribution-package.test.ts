/**
 * A distribution named by version: `PythonDistribution({ version })` is
 * checked when the config calls it; the installed distribution package is
 * chosen by target, version (3.11 matches 3.11.x, not 3.1), sha256 when
 * given and runtime, its archive verified; none is one line naming the
 * package to install; with no cargo, a package whose stub is of another
 * runtime is named (at this oxidize's version) as the way out.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageVersion } from '../../src/cli/version.js';
import { distributionSpecOf, PythonDistribution } from '../../src/distribution/handle.js';
import { findDistributionPackage, versionMatches } from '../../src/distribution/package.js';
import type { PythonDistribution as PythonDistributionType } from '../../src/distribution/types.js';
import { preflightStub } from '../../src/link/stub.js';
import { sha256 } from '../../src/link/stub-package.js';

const triple = 'x86_64-unknown-linux-gnu';
const runtime = 'r'.repeat(64);

function writeDistributionPackage(dir: string, name: string, o: { pythonVersion: string; archive: string; runtimeDigest?: string; targetTriple?: string; archiveName?: string; archiveSha?: string }): string {
  mkdirSync(dir, { recursive: true });
  const digest = sha256(Buffer.from(o.archive));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  writeFileSync(path.join(dir, 'oxidize-stub'), 'stub');
  writeFileSync(path.join(dir, 'distribution.tar.zst'), o.archive);
  writeFileSync(
    path.join(dir, 'oxidize-stub.json'),
    JSON.stringify({
      format: 1,
      runtimeDigest: o.runtimeDigest ?? runtime,
      distributionDigest: digest,
      pythonVersion: o.pythonVersion,
      targetTriple: o.targetTriple ?? triple,
      stubSha256: sha256(Buffer.from('stub')),
      distributionArchive: o.archiveName ?? 'distribution.tar.zst',
      distributionSha256: o.archiveSha ?? digest,
    }),
  );
  return digest;
}

const code = (c: string, re?: RegExp) => (e: Error & { code?: string }) => e.code === c && (!re || re.test(e.message) || re.test((e as { hint?: string }).hint ?? ''));

test('PythonDistribution({ version }) is checked when the config calls it', () => {
  assert.deepEqual(distributionSpecOf(PythonDistribution({ version: '3.11' }).toPythonExecutable({ name: 'x' })), { kind: 'package', version: '3.11' });
  const sha = 'A'.repeat(64);
  assert.deepEqual(distributionSpecOf(PythonDistribution({ version: '3.12.1', sha256: sha }).toPythonExecutable({ name: 'x' })), { kind: 'package', version: '3.12.1', sha256: 'a'.repeat(64) });
  assert.throws(() => PythonDistribution({ version: 'latest' }), code('BAD_DISTRIBUTION', /not a Python version/));
  assert.throws(() => PythonDistribution({ version: '3.10' }), code('UNSUPPORTED_PYTHON', /3\.11 and 3\.12/));
  assert.throws(() => PythonDistribution({ version: '3.11', localPath: 'x.tar.zst' } as never), code('BAD_DISTRIBUTION', /two ways/));
  assert.throws(() => PythonDistribution({ version: '3.11', sha256: 'abc' }), code('BAD_SHA256'));
  assert.throws(() => PythonDistribution({} as never), code('BAD_DISTRIBUTION', /needs `sha256` \(or `version`\)/));
});

test('versions match by component: 3.11 is any 3.11.x, not 3.1', () => {
  assert.ok(versionMatches('3.11', '3.11.7'));
  assert.ok(versionMatches('3.11.7', '3.11.7'));
  assert.ok(!versionMatches('3.1', '3.11.7'));
  assert.ok(!versionMatches('3.11.7', '3.11.70'));
  assert.ok(!versionMatches('3.12', '3.11.7'));
});

test('the distribution package is chosen by target, version, sha256 and runtime; its archive is verified', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oxidize-distpkg-'));
  const project = path.join(root, 'app');
  const nm = path.join(project, 'node_modules/@oxidize-py');
  mkdirSync(project, { recursive: true });
  const want = { targetTriple: triple, runtimeDigest: runtime };
  const search = { fromDir: project, env: {} };

  // None: one line naming the package of this version and target, with this oxidize's version.
  await assert.rejects(
    findDistributionPackage({ version: '3.11' }, search, want),
    (e: Error & { code?: string; hint?: string }) =>
      e.code === 'NO_DISTRIBUTION_PACKAGE' &&
      e.message === `no installed package holds a Python 3.11 distribution for ${triple}` &&
      e.hint!.includes(`npm install -D @oxidize-py/python-${triple}-cp311@${packageVersion()}`) &&
      !e.message.includes('\n'),
  );

  writeDistributionPackage(path.join(nm, 'python-arm'), '@oxidize-py/python-arm', { pythonVersion: '3.11.7', archive: 'arm', targetTriple: 'aarch64-unknown-linux-gnu' });
  writeDistributionPackage(path.join(nm, 'python-312'), '@oxidize-py/python-312', { pythonVersion: '3.12.1', archive: '312' });
  const oldRuntime = writeDistributionPackage(path.join(nm, 'python-a-old'), '@oxidize-py/python-a-old', { pythonVersion: '3.11.2', archive: 'old', runtimeDigest: 'o'.repeat(64) });
  await assert.rejects(findDistributionPackage({ version: '3.1' }, search, want), code('NO_DISTRIBUTION_PACKAGE'));
  // Only one of another runtime: it still provides the distribution (its stub is then built with cargo).
  assert.equal((await findDistributionPackage({ version: '3.11' }, search, want)).name, '@oxidize-py/python-a-old');
  // One of this runtime wins; the config's stubPath is searched too.
  const current = writeDistributionPackage(path.join(root, 'shared/python-b'), '@oxidize-py/python-b', { pythonVersion: '3.11.9', archive: 'current' });
  const found = await findDistributionPackage({ version: '3.11' }, { ...search, dirs: ['../shared'] }, want);
  assert.equal(found.name, '@oxidize-py/python-b');
  assert.equal(found.archive, path.join(root, 'shared/python-b/distribution.tar.zst'));
  assert.equal(found.manifest.distributionSha256, current);
  // A sha256 given selects by it, and names the packages holding another.
  assert.equal((await findDistributionPackage({ version: '3.11', sha256: oldRuntime }, { ...search, dirs: ['../shared'] }, want)).name, '@oxidize-py/python-a-old');
  await assert.rejects(findDistributionPackage({ version: '3.11', sha256: 'f'.repeat(64) }, search, want), code('NO_DISTRIBUTION_PACKAGE', /with sha256 f{64} \(@oxidize-py\/python-a-old@1\.0\.0 holds another\)/));

  // An altered archive, and a manifest naming a file outside the package, are refused.
  writeFileSync(path.join(root, 'shared/python-b/distribution.tar.zst'), 'current, altered');
  await assert.rejects(findDistributionPackage({ version: '3.11.9' }, { ...search, dirs: ['../shared'] }, want), code('STUB_PACKAGE_ALTERED', /distribution package @oxidize-py\/python-b .*distribution\.tar\.zst has sha256 [0-9a-f]{64}, its manifest says [0-9a-f]{64}$/));
  writeDistributionPackage(path.join(root, 'evil/python-c'), '@oxidize-py/python-c', { pythonVersion: '3.12.4', archive: 'x', archiveName: '../../secret' });
  await assert.rejects(findDistributionPackage({ version: '3.12.4' }, { ...search, dirs: ['../evil'] }, want), code('STUB_PACKAGE_ALTERED', /names "\.\.\/\.\.\/secret" as the archive/));
});

test('a distribution from a package whose stub is of another runtime, with no cargo: the error names that package at this version', async () => {
  const dist = {
    id: 'd'.repeat(64),
    version: '3.11.7',
    versionShort: '3.11',
    targetTriple: triple,
    origin: { kind: 'archive', location: '/x/distribution.tar.zst', sha256: 'd'.repeat(64), package: `@oxidize-py/python-${triple}-cp311@0.0.1` },
    // What the stub's key reads of how it is linked.
    includeDir: '/x/include',
    link: { staticLibrary: '/x/libpython3.11.a', objects: [], args: [] },
  } as unknown as PythonDistributionType;
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-preflight-'));
  const saved = process.env.PATH;
  process.env.PATH = cache;
  try {
    await assert.rejects(
      preflightStub(dist, { cacheDir: cache, packages: { fromDir: cache, env: {} } }),
      (e: Error & { code?: string; hint?: string }) => e.code === 'NO_STUB_TOOLS' && e.hint!.includes(`npm install -D @oxidize-py/python-${triple}-cp311@${packageVersion()}\``),
    );
  } finally {
    process.env.PATH = saved;
  }
});
