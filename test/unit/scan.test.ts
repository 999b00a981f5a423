import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findResourcesInPath } from '../../src/resources/scan.js';
import type { Resource } from '../../src/resources/types.js';
import { projectDir } from '../helpers/cli.js';

const SUFFIXES = ['.cpython-311-x86_64-linux-gnu.so', '.abi3.so', '.so'];

function describe(r: Resource): string {
  switch (r.type) {
    case 'python-module-source':
      return `module ${r.name}${r.isPackage ? ' (package)' : ''}`;
    case 'python-package-resource':
      return `resource ${r.package} ${r.path}`;
    case 'python-distribution-resource':
      return `distribution ${r.distribution} ${r.path}`;
    case 'python-extension-module':
      return `extension ${r.name}`;
    case 'shared-library':
      return `library ${r.name}`;
    default:
      return r.type;
  }
}

test('classifies modules, packages, data, metadata, extensions and libraries', async () => {
  const root = projectDir({
    'single.py': '',
    'pkg/__init__.py': '',
    'pkg/mod.py': '',
    'pkg/sub/__init__.py': '',
    'pkg/sub/deep.py': '',
    'pkg/data/words.txt': 'x',
    'pkg/data/nested/more.json': '{}',
    'pkg/_speed.cpython-311-x86_64-linux-gnu.so': '',
    'pkg/_limited.abi3.so': '',
    'pkg/__pycache__/mod.cpython-311.pyc': '',
    'pkg/templates/page.py': '',
    'pkg.libs/libfoo-1a2b.so.1': '',
    'pkg-1.0.dist-info/METADATA': 'Name: pkg',
    'pkg-1.0.dist-info/entry_points.txt': '',
    '_sysconfigdata__linux_x86_64-linux-gnu.py': '',
    'README.txt': 'not in a package',
    'not-a-package/mod.py': '',
  });
  const found = (await findResourcesInPath(root, { extensionSuffixes: SUFFIXES })).map(describe).sort();
  assert.deepEqual(found, [
    'distribution pkg-1.0.dist-info METADATA',
    'distribution pkg-1.0.dist-info entry_points.txt',
    'extension pkg._limited',
    'extension pkg._speed',
    'library pkg.libs/libfoo-1a2b.so.1',
    'module _sysconfigdata__linux_x86_64-linux-gnu',
    'module pkg (package)',
    'module pkg.mod',
    'module pkg.sub (package)',
    'module pkg.sub.deep',
    // A .py file in a plain directory inside a package is data of the package,
    // and python3 imports it too (the directory is a namespace portion).
    'module pkg.templates.page',
    'module single',
    'resource pkg data/nested/more.json',
    'resource pkg data/words.txt',
    'resource pkg templates/page.py',
  ]);
});

test('skipDirectory keeps directories out', async () => {
  const root = projectDir({ 'keep.py': '', 'site-packages/x.py': '', 'pkg/__init__.py': '', 'pkg/skipme/__init__.py': '' });
  const found = await findResourcesInPath(root, {
    extensionSuffixes: SUFFIXES,
    skipDirectory: (rel) => rel === 'site-packages' || rel === 'pkg/skipme',
  });
  assert.deepEqual(found.map(describe).sort(), ['module keep', 'module pkg (package)']);
});

test('topLevel picks entries of the root by name', async () => {
  const root = projectDir({ 'a/__init__.py': '', 'a/x.py': '', 'b.py': '', 'c/__init__.py': '', 'd.cpython-311-x86_64-linux-gnu.so': '', 'a-1.0.dist-info/METADATA': '' });
  const found = await findResourcesInPath(root, { extensionSuffixes: SUFFIXES, topLevel: (n) => n === 'a' || n === 'd' || n === 'a-1.0.dist-info' });
  assert.deepEqual(found.map(describe).sort(), ['distribution a-1.0.dist-info METADATA', 'extension d', 'module a (package)', 'module a.x']);
});

test('paths point at the files found', async () => {
  const root = projectDir({ 'pkg/__init__.py': 'x = 1\n' });
  const [r] = await findResourcesInPath(root, { extensionSuffixes: SUFFIXES });
  assert.equal(r.type, 'python-module-source');
  assert.deepEqual(r.type === 'python-module-source' && r.source, { path: path.join(root, 'pkg/__init__.py') });
});

test('a link inside the tree is packed as what it points to, once; a loop adds nothing', async () => {
  const root = projectDir({ 'pkg/__init__.py': '', 'pkg/mod.py': 'x = 1\n', 'pkg/data/words.txt': 'x' });
  symlinkSync('..', path.join(root, 'pkg/loop'));
  symlinkSync('mod.py', path.join(root, 'pkg/alias.py'));
  symlinkSync('data', path.join(root, 'pkg/more'));
  symlinkSync('nowhere', path.join(root, 'pkg/dangling.txt'));
  const found = await findResourcesInPath(root, { extensionSuffixes: SUFFIXES });
  assert.deepEqual(found.map(describe).sort(), ['module pkg (package)', 'module pkg.alias', 'module pkg.mod', 'resource pkg data/words.txt']);
  const alias = found.find((r) => r.type === 'python-module-source' && r.name === 'pkg.alias');
  assert.ok(alias && alias.type === 'python-module-source' && 'path' in alias.source && readFileSync(alias.source.path, 'utf8') === 'x = 1\n');
});

test('a link out of the tree is refused, or packed when asked for', async () => {
  const outside = projectDir({ 'secret.txt': 'outside' });
  const root = projectDir({ 'pkg/__init__.py': '' });
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'pkg/secret.txt'));
  await assert.rejects(findResourcesInPath(root, { extensionSuffixes: SUFFIXES }), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, 'SYMLINK_OUTSIDE_SOURCE');
    assert.match(e.message, /pkg\/secret\.txt is a symbolic link to .*secret\.txt, outside the source directory/);
    assert.match(e.hint!, /followSymlinksOutside: true/);
    return true;
  });
  const found = await findResourcesInPath(root, { extensionSuffixes: SUFFIXES, followSymlinksOutside: true });
  assert.deepEqual(found.map(describe).sort(), ['module pkg (package)', 'resource pkg secret.txt']);
  // A link to a directory out of the tree (`up -> ../..`) is refused too: it is how a tree leaks whole.
  const root2 = projectDir({ 'pkg/__init__.py': '' });
  symlinkSync('../..', path.join(root2, 'pkg/up'));
  await assert.rejects(findResourcesInPath(root2, { extensionSuffixes: SUFFIXES }), /pkg\/up is a symbolic link to/);
});

test('a directory without __init__.py is a namespace package: what it holds is named under it, never promoted', async () => {
  // Debian ships tkinter/test/ without tkinter/__init__.py (that one comes with python3-tk).
  const root = projectDir({
    'test/__init__.py': '',
    'test/support.py': '',
    'tkinter/test/__init__.py': '',
    'tkinter/test/support.py': '',
    'tkinter/README': 'not data of any package',
    'ns/mod.py': '',
    'ns/deeper/leaf.py': '',
    'ns/_fast.cpython-311-x86_64-linux-gnu.so': '',
    'pkg/__init__.py': '',
    'pkg/plain/sub/__init__.py': '',
    'odd-name/inner/__init__.py': '',
    'odd-name/libx.so': '',
  });
  const found = (await findResourcesInPath(root, { extensionSuffixes: SUFFIXES })).map(describe).sort();
  assert.deepEqual(found, [
    'extension ns._fast',
    'library odd-name/libx.so',
    'module ns.deeper.leaf',
    'module ns.mod',
    'module pkg (package)',
    // Inside a regular package, a plain directory stays data; what python3 imports from it is a module too.
    'module pkg.plain.sub (package)',
    'module test (package)',
    'module test.support',
    'module tkinter.test (package)',
    'module tkinter.test.support',
    'resource pkg plain/sub/__init__.py',
  ]);
});

test('a plain directory inside a package is data, and what python3 imports from it (PEP 420 portions) is a module too', async () => {
  const root = projectDir({
    'pkg/__init__.py': '',
    'pkg/data/mod.py': '',
    'pkg/data/notes.txt': 'x',
    'pkg/data/deeper/leaf.py': '',
    'pkg/data/regular/__init__.py': '',
    'pkg/data/regular/inner.py': '',
    'pkg/data/regular/more/leaf.py': '',
    'pkg/data/both.py': '',
    'pkg/data/both/__init__.py': '',
    'pkg/data/odd-name/hidden.py': '',
    'pkg/data/libhelper.so': '',
  });
  const found = (await findResourcesInPath(root, { extensionSuffixes: SUFFIXES })).map(describe).sort();
  assert.deepEqual(found, [
    'library pkg/data/libhelper.so',
    // A regular package wins over a module of the same name, as in python3's FileFinder.
    'module pkg (package)',
    'module pkg.data.both (package)',
    'module pkg.data.deeper.leaf',
    'module pkg.data.mod',
    'module pkg.data.regular (package)',
    'module pkg.data.regular.inner',
    'module pkg.data.regular.more.leaf',
    'resource pkg data/both.py',
    'resource pkg data/both/__init__.py',
    'resource pkg data/deeper/leaf.py',
    'resource pkg data/mod.py',
    'resource pkg data/notes.txt',
    // Not reachable by import (not an identifier): data only.
    'resource pkg data/odd-name/hidden.py',
    'resource pkg data/regular/__init__.py',
    'resource pkg data/regular/inner.py',
    'resource pkg data/regular/more/leaf.py',
  ]);
});
