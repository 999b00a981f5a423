/** Finding a stub package: by (runtime digest, distribution digest, target) only, in node_modules walking up or OXIDIZE_STUB_PATH, sha256 checked. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findStubPackage, platformFields, sha256, stubPackageName } from '../../src/link/stub-package.js';

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
});

test('a package in node_modules of a parent directory is found; one of another runtime or distribution is not', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubpkg-'));
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-other'), '@oxidize-py/stub-other', { ...want, runtimeDigest: 'x'.repeat(64) }, 'other');
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-otherdist'), '@oxidize-py/stub-otherdist', { ...want, distributionDigest: 'ffff' }, 'otherdist');
  const project = path.join(root, 'app/sub');
  mkdirSync(project, { recursive: true });
  assert.equal(await findStubPackage(want, project, {}), undefined);
  writePackage(path.join(root, 'node_modules/@oxidize-py/stub-good'), '@oxidize-py/stub-good', want, 'good');
  const found = await findStubPackage(want, project, {});
  assert.equal(found?.name, '@oxidize-py/stub-good');
  assert.equal(found?.version, '1.2.3');
  assert.equal(found?.bytes.toString(), 'good');
});

test('OXIDIZE_STUB_PATH names package directories; an altered stub is refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-stubpath-'));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'oxidize-nothing-'));
  writePackage(path.join(dir, 'pkg'), '@oxidize-py/stub-env', want, 'env');
  assert.equal((await findStubPackage(want, elsewhere, { OXIDIZE_STUB_PATH: dir }))?.name, '@oxidize-py/stub-env');
  assert.equal((await findStubPackage(want, elsewhere, { OXIDIZE_STUB_PATH: path.join(dir, 'pkg') }))?.name, '@oxidize-py/stub-env');
  writePackage(path.join(dir, 'pkg'), '@oxidize-py/stub-env', want, 'env, altered', sha256(Buffer.from('env')));
  await assert.rejects(findStubPackage(want, elsewhere, { OXIDIZE_STUB_PATH: dir }), (e: Error & { code?: string }) => e.code === 'STUB_PACKAGE_ALTERED' && /has sha256 [0-9a-f]{64}, its manifest says/.test(e.message));
});
