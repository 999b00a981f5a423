/** Finding a stub package: by (runtime digest, distribution digest, target) only, in node_modules walking up, the config's stubPath or OXIDIZE_STUB_PATH, sha256 checked. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { candidatePackageDirs, distributionPackageName, findStubPackage, platformFields, sha256, stubPackageName } from '../../src/link/stub-package.js';

const want = { runtimeDigest: 'r'.repeat(64), distributionDigest: 'abcdef0123456789', targetTriple: 'x86_64-unknown-linux-gnu' };

function writePackage(dir: string, name: string, identity: typeof want, stub: string, stubSha = sha256(Buffer.from(stub))): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3' }));
  writeFileSync(path.join(dir, 'oxidize-stub'), stub);
  writeFileSync(path.join(dir, 'oxidize-stub.json'), JSON.stringify({ format: 1, ...identity, pythonVersion: '3.11.7', stubSha256: stubSha }));
}

test('the name encodes target, Python version and distribution digest; npm platform fields follow the triple', () => {
  assert.equal(stubPackageName({ targetTriple: 'x86_64-unknown-linux-gnu', versionShort: '3.11', id: 'abcdef0123456789' }), '@oxidize-py/stub-x86_64-unknown-linux-gnu-cp311-abcdef01');
  assert.deepEqual(platformFields('aarch64-unknown-linux-musl'), { os: ['linux'], cpu: ['arm64'], libc: ['musl'] });
  assert.equal(distributionPackageName('x86_64-unknown-linux-gnu', '3.12'), '@oxidize-py/python-x86_64-unknown-linux-gnu-cp312');
});

test('a package in node_modules of a parent directory is found; one of another runtime or distribution is not', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubpkg-'));
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-other'), '@oxidize-py/stub-other', { ...want, runtimeDigest: 'x'.repeat(64) }, 'other');
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-otherdist'), '@oxidize-py/stub-otherdist', { ...want, distributionDigest: 'ffff' }, 'otherdist');
  const project = path.join(root, 'app/sub');
  mkdirSync(project, { recursive: true });
  assert.equal(await findStubPackage(want, { fromDir: project, env: {} }), undefined);
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-good'), '@oxidize-py/stub-good', want, 'good');
  const found = await findStubPackage(want, { fromDir: project, env: {} });
  assert.equal(found?.name, '@oxidize-py/stub-good');
  assert.equal(found?.version, '1.2.3');
  assert.equal(found?.bytes.toString(), 'good');
});

test('OXIDIZE_STUB_PATH names package directories; an altered stub is refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubpath-'));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'oxidize-nothing-'));
  writePackage(path.join(dir, 'pkg'), '@oxidize-py/stub-env', want, 'env');
  assert.equal((await findStubPackage(want, { fromDir: elsewhere, env: { OXIDIZE_STUB_PATH: dir } }))?.name, '@oxidize-py/stub-env');
  assert.equal((await findStubPackage(want, { fromDir: elsewhere, env: { OXIDIZE_STUB_PATH: path.join(dir, 'pkg') } }))?.name, '@oxidize-py/stub-env');
  writePackage(path.join(dir, 'pkg'), '@oxidize-py/stub-env', want, 'env, altered', sha256(Buffer.from('env')));
  await assert.rejects(findStubPackage(want, { fromDir: elsewhere, env: { OXIDIZE_STUB_PATH: dir } }), (e: Error & { code?: string }) => e.code === 'STUB_PACKAGE_ALTERED' && /has sha256 [0-9a-f]{64}, its manifest says/.test(e.message));
});

test("the config's stubPath is searched after node_modules and before OXIDIZE_STUB_PATH, relative to the config's directory; missing directories are skipped", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubdirs-'));
  const project = path.join(root, 'app');
  writePackage(path.join(project, 'node_modules/@oxidize-py/stub-nm'), '@oxidize-py/stub-nm', { ...want, runtimeDigest: 'other' }, 'nm');
  writePackage(path.join(root, 'shared/stubs/stub-cfg'), '@oxidize-py/stub-cfg', want, 'cfg');
  writePackage(path.join(root, 'env/stub-env'), '@oxidize-py/stub-env', want, 'env');
  const search = { fromDir: project, dirs: ['../shared/stubs', 'missing'], env: { OXIDIZE_STUB_PATH: path.join(root, 'env') } };
  const dirs = await candidatePackageDirs(search);
  const order = ['node_modules/@oxidize-py/stub-nm', '../shared/stubs/stub-cfg', '../env/stub-env'].map((d) => dirs.indexOf(path.join(project, d)));
  assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])), `order ${order} in ${dirs.join(' ')}`);
  // The node_modules package is of another runtime: the config's directory wins over the environment's.
  assert.equal((await findStubPackage(want, search))?.name, '@oxidize-py/stub-cfg');
  assert.equal((await findStubPackage(want, { ...search, dirs: [] }))?.name, '@oxidize-py/stub-env');
  // An absolute directory, and a directory holding node_modules/@oxidize-py/.
  writePackage(path.join(root, 'proj2/node_modules/@oxidize-py/stub-p2'), '@oxidize-py/stub-p2', want, 'p2');
  assert.equal((await findStubPackage(want, { fromDir: path.join(root, 'nowhere'), dirs: [path.join(root, 'proj2')], env: {} }))?.name, '@oxidize-py/stub-p2');
});
