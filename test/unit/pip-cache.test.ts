/** The pipInstall cache: what its key covers, and the tree archive it stores. */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pipCacheKey, type PipKeyInput } from '../../plugins/pip-install/cache-key.js';
import { packTree, unpackTree } from '../../plugins/pip-install/tree-archive.js';
import type { PythonDistribution } from '../../src/plugin-api.js';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'oxidize-pip-key-'));
const dist = { id: 'dist-a', python: '/usr/bin/python3' } as PythonDistribution;

function input(cwd: string, over: Partial<PipKeyInput> = {}): PipKeyInput {
  return { distribution: dist, args: ['--no-index', '--find-links', 'wheels', 'pkg'], extraEnv: {}, cwd, env: {}, ...over };
}

test('the key is stable, and changes with the arguments, environment, distribution and local files', async () => {
  const cwd = scratch();
  mkdirSync(path.join(cwd, 'wheels'));
  writeFileSync(path.join(cwd, 'wheels/pkg-1.0-py3-none-any.whl'), 'one');
  const base = await pipCacheKey(input(cwd));
  assert.equal(await pipCacheKey(input(cwd)), base);
  assert.equal(await pipCacheKey(input(cwd, { env: { HOME: '/elsewhere' } })), base, 'unrelated variables do not count');

  assert.notEqual(await pipCacheKey(input(cwd, { args: ['--no-index', '--find-links', 'wheels', 'pkg==1.0'] })), base);
  assert.notEqual(await pipCacheKey(input(cwd, { extraEnv: { PIP_PRE: '1' } })), base);
  assert.notEqual(await pipCacheKey(input(cwd, { env: { PIP_INDEX_URL: 'file:///x' } })), base);
  assert.notEqual(await pipCacheKey(input(cwd, { distribution: { ...dist, id: 'dist-b' } as PythonDistribution })), base);

  writeFileSync(path.join(cwd, 'wheels/pkg-1.0-py3-none-any.whl'), 'two');
  const changed = await pipCacheKey(input(cwd));
  assert.notEqual(changed, base, 'a wheel with other bytes');
  writeFileSync(path.join(cwd, 'wheels/other-1.0-py3-none-any.whl'), 'x');
  assert.notEqual(await pipCacheKey(input(cwd)), changed, 'a wheel added to --find-links');
});

test('--option=value, requirements files and the local paths inside them are covered', async () => {
  const cwd = scratch();
  mkdirSync(path.join(cwd, 'reqs'));
  writeFileSync(path.join(cwd, 'reqs/local.whl'), 'A');
  writeFileSync(path.join(cwd, 'reqs/requirements.txt'), '# pinned\n./local.whl  # a comment\n-r more.txt\n');
  writeFileSync(path.join(cwd, 'reqs/more.txt'), 'other @ file://' + path.join(cwd, 'deep.whl') + '\n');
  writeFileSync(path.join(cwd, 'deep.whl'), 'D');
  writeFileSync(path.join(cwd, 'direct.whl'), 'W');
  const args = ['--requirement=reqs/requirements.txt', '-c', 'reqs/more.txt', 'direct.whl'];
  const key = () => pipCacheKey(input(cwd, { args }));
  const base = await key();
  for (const file of ['reqs/local.whl', 'deep.whl', 'direct.whl', 'reqs/more.txt']) {
    const before = await key();
    writeFileSync(path.join(cwd, file), readFileSync(path.join(cwd, file), 'utf8') + '\n#');
    assert.notEqual(await key(), before, file);
  }
  assert.notEqual(await key(), base);
});

test('a project directory counts by content, without its build output or hidden directories', async () => {
  const cwd = scratch();
  mkdirSync(path.join(cwd, 'proj/src'), { recursive: true });
  mkdirSync(path.join(cwd, 'proj/build'));
  mkdirSync(path.join(cwd, 'proj/.git'));
  writeFileSync(path.join(cwd, 'proj/src/m.py'), 'x = 1\n');
  const key = () => pipCacheKey(input(cwd, { args: ['./proj'] }));
  const base = await key();
  writeFileSync(path.join(cwd, 'proj/build/out'), 'anything');
  writeFileSync(path.join(cwd, 'proj/.git/HEAD'), 'ref');
  assert.equal(await key(), base);
  writeFileSync(path.join(cwd, 'proj/src/m.py'), 'x = 2\n');
  assert.notEqual(await key(), base);
});

test('a tree survives the archive: files, modes, empty directories and links', async () => {
  const from = scratch();
  mkdirSync(path.join(from, 'pkg/sub'), { recursive: true });
  mkdirSync(path.join(from, 'empty'));
  writeFileSync(path.join(from, 'pkg/__init__.py'), 'print("hi")\n');
  writeFileSync(path.join(from, 'pkg/sub/data.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(path.join(from, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(path.join(from, 'zero'), '');
  symlinkSync('pkg/__init__.py', path.join(from, 'link.py'));
  const archive = Buffer.concat(await packTree(from));
  const to = scratch();
  await unpackTree(archive, to);
  assert.equal(readFileSync(path.join(to, 'pkg/__init__.py'), 'utf8'), 'print("hi")\n');
  assert.deepEqual([...readFileSync(path.join(to, 'pkg/sub/data.bin'))], [0, 1, 2, 255]);
  assert.ok(statSync(path.join(to, 'tool')).mode & 0o100);
  assert.equal(statSync(path.join(to, 'pkg/__init__.py')).mode & 0o111, 0);
  assert.equal(readFileSync(path.join(to, 'zero'), 'utf8'), '');
  assert.ok(statSync(path.join(to, 'empty')).isDirectory());
  assert.ok(lstatSync(path.join(to, 'link.py')).isSymbolicLink());
  assert.equal(readlinkSync(path.join(to, 'link.py')), 'pkg/__init__.py');
});

test('an archive naming a path outside its directory is refused', async () => {
  const header = Buffer.from(JSON.stringify([{ p: '../escape', t: 'f', s: 1 }]));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  await assert.rejects(unpackTree(Buffer.concat([length, header, Buffer.from('x')]), scratch()), /leaves its directory/);
});
