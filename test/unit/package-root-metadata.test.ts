/**
 * readPackageRoot takes the distribution metadata that belongs to the named
 * packages (top_level.txt, RECORD, installed-files.txt, SOURCES.txt, the
 * project's name), as a package reading its own version at import needs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { collectPackageRoot, readPackageRoot, type PackageRootOptions } from '../../plugins/read-package-root/index.js';
import type { PluginContext } from '../../src/pipeline/context.js';
import { metadataBelongsTo, normalizeProjectName, projectName, providedTopLevel } from '../../src/resources/distribution-metadata.js';
import { providedModules } from '../../plugins/module-trace/select.js';
import type { Resource } from '../../src/resources/types.js';
import { projectDir } from '../helpers/cli.js';

test('what a distribution provides, from the best listing it has', () => {
  assert.deepEqual(providedTopLevel({ topLevel: 'lazr\n\n', record: 'other/x.py,,\n' }), ['lazr'], 'top_level.txt wins');
  const record = ['black/__init__.py,sha256=x,1', '"odd,name/__init__.py",sha256=y,2', '_black_version.py,,', 'black-23.1.0.dist-info/METADATA,,', '../../../bin/black,,', 'blackd/__pycache__/x.pyc,,', ''].join('\n');
  assert.deepEqual(providedTopLevel({ record }), ['_black_version', 'black', 'blackd', 'odd,name']);
  assert.deepEqual(providedTopLevel({ installedFiles: '../six.py\n../__pycache__/six.cpython-311.pyc\nPKG-INFO\n../../../bin/x\n../perf.cpython-311-x86_64-linux-gnu.so\n' }), ['perf', 'six']);
  assert.deepEqual(providedTopLevel({ sources: 'setup.py\nREADME\nsrc/srcpkg/__init__.py\nsrc/srcpkg/mod.py\nflat.py\ntests/test_x.py\ndocs/conf.py\nsrcpkg.egg-info/PKG-INFO\n' }), ['flat', 'srcpkg']);
  assert.deepEqual(providedTopLevel({}), []);
  // module-trace reads the same listings.
  assert.deepEqual(providedModules(undefined, record), ['_black_version', 'black', 'blackd', 'odd,name']);
});

test('metadata belongs to a package it lists, or whose name its project has', () => {
  assert.equal(projectName('Foo_Bar-1.0.dist-info'), 'Foo_Bar');
  assert.equal(projectName('mercurial-6.3.2-py3.11.egg-info'), 'mercurial');
  assert.equal(projectName('cryptography.egg-info'), 'cryptography');
  assert.equal(normalizeProjectName('Zope.Interface-x'), 'zope_interface_x');
  assert.ok(metadataBelongsTo('lazr.uri-1.0.6.egg-info', { topLevel: 'lazr\n' }, 'lazr'));
  assert.ok(metadataBelongsTo('PyYAML-6.0.dist-info', { topLevel: '_yaml\nyaml\n' }, 'yaml'));
  assert.ok(metadataBelongsTo('typing_extensions-4.4.0.dist-info', {}, 'typing_extensions'), 'by project name');
  assert.ok(metadataBelongsTo('google_pkg-1.0.dist-info', { topLevel: 'google/pkg\n' }, 'google'), 'a namespace portion');
  assert.ok(!metadataBelongsTo('unrelated-1.0.dist-info', { topLevel: 'unrelated\n' }, 'wadllib'));
  assert.ok(!metadataBelongsTo('attrs-22.2.0.dist-info', { record: 'attrs/__init__.py,,\n' }, 'attr'), 'no prefix match on names');
});

const ROOT_FILES: Record<string, string> = {
  'wadllib/__init__.py': 'import importlib.metadata\n__version__ = importlib.metadata.version("wadllib")\n',
  'wadllib-1.3.6.egg-info/PKG-INFO': 'Metadata-Version: 1.1\nName: wadllib\nVersion: 1.3.6\n',
  'wadllib-1.3.6.egg-info/top_level.txt': 'wadllib\n',
  'lazr/uri/__init__.py': '',
  'lazr/restfulclient/__init__.py': '',
  'lazr.uri-1.0.6.egg-info/PKG-INFO': 'Name: lazr.uri\n',
  'lazr.uri-1.0.6.egg-info/top_level.txt': 'lazr\n',
  'lazr.restfulclient-0.14.5.egg-info/PKG-INFO': 'Name: lazr.restfulclient\n',
  'lazr.restfulclient-0.14.5.egg-info/top_level.txt': 'lazr\n',
  'black/__init__.py': '',
  '_black_version.py': 'version = "23.1.0"\n',
  'black-23.1.0.dist-info/METADATA': 'Name: black\n',
  'black-23.1.0.dist-info/RECORD': 'black/__init__.py,,\n_black_version.py,,\n',
  'six.py': '',
  'six-1.16.0.egg-info/PKG-INFO': 'Name: six\n',
  'six-1.16.0.egg-info/installed-files.txt': '../six.py\nPKG-INFO\n',
  'srcpkg/__init__.py': '',
  'from_sources-2.0.egg-info/PKG-INFO': 'Name: from-sources\n',
  'from_sources-2.0.egg-info/SOURCES.txt': 'setup.py\nsrc/srcpkg/__init__.py\n',
  'typing_extensions.py': '',
  'typing_extensions-4.4.0.dist-info/METADATA': 'Name: typing_extensions\n',
  'mercurial/__init__.py': '',
  'mercurial-6.3.2-py3.11.egg-info': 'Metadata-Version: 1.1\nName: mercurial\nVersion: 6.3.2\n',
  'unrelated/__init__.py': '',
  'unrelated-1.0.dist-info/METADATA': 'Name: unrelated\n',
  'unrelated-1.0.dist-info/top_level.txt': 'unrelated\n',
};

function fakeContext(configDir: string, warnings: string[] = []): PluginContext {
  return {
    options: { configDir },
    distribution: { extensionSuffixes: ['.cpython-311-x86_64-linux-gnu.so', '.abi3.so', '.so'] },
    warn: (m: string) => warnings.push(m),
  } as unknown as PluginContext;
}

async function metadataCollected(root: string, packages: string[], options: PackageRootOptions = {}, warnings: string[] = []): Promise<string[]> {
  const found: Resource[] = await collectPackageRoot(fakeContext(root, warnings), readPackageRoot('.', packages, options));
  return [...new Set(found.flatMap((r) => (r.type === 'python-distribution-resource' ? [`${r.distribution}/${r.path}`] : [])))].sort();
}

test('readPackageRoot takes the metadata of the packages it takes, and only theirs', async () => {
  const root = projectDir(ROOT_FILES);
  assert.deepEqual(await metadataCollected(root, ['wadllib', 'lazr']), [
    'lazr.restfulclient-0.14.5.egg-info/PKG-INFO', 'lazr.restfulclient-0.14.5.egg-info/top_level.txt',
    'lazr.uri-1.0.6.egg-info/PKG-INFO', 'lazr.uri-1.0.6.egg-info/top_level.txt',
    'wadllib-1.3.6.egg-info/PKG-INFO', 'wadllib-1.3.6.egg-info/top_level.txt',
  ]);
  assert.deepEqual(await metadataCollected(root, ['black']), ['black-23.1.0.dist-info/METADATA', 'black-23.1.0.dist-info/RECORD'], 'from RECORD');
  assert.deepEqual(await metadataCollected(root, ['six']), ['six-1.16.0.egg-info/PKG-INFO', 'six-1.16.0.egg-info/installed-files.txt'], 'from installed-files.txt');
  assert.deepEqual(await metadataCollected(root, ['srcpkg']), ['from_sources-2.0.egg-info/PKG-INFO', 'from_sources-2.0.egg-info/SOURCES.txt'], 'from SOURCES.txt');
  assert.deepEqual(await metadataCollected(root, ['typing_extensions']), ['typing_extensions-4.4.0.dist-info/METADATA'], 'by project name');
  // An egg-info file is its PKG-INFO, as importlib.metadata reads it.
  assert.deepEqual(await metadataCollected(root, ['mercurial']), ['mercurial-6.3.2-py3.11.egg-info/PKG-INFO']);
  // Named explicitly, as before; nothing added twice.
  assert.deepEqual(await metadataCollected(root, ['wadllib', 'wadllib-1.3.6.egg-info']), ['wadllib-1.3.6.egg-info/PKG-INFO', 'wadllib-1.3.6.egg-info/top_level.txt']);
  assert.deepEqual(await metadataCollected(root, ['unrelated-1.0.dist-info']), ['unrelated-1.0.dist-info/METADATA', 'unrelated-1.0.dist-info/top_level.txt']);
  assert.deepEqual(await metadataCollected(root, ['wadllib'], { distributionMetadata: false }), [], 'switched off');
});

test('metadata nobody named that links out of the root is left out with a warning, or packed when links are followed', async () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'oxidize-outside-'));
  writeFileSync(path.join(outside, 'LICENSE'), 'MIT\n');
  const root = projectDir({ 'linked/__init__.py': '', 'linked-1.0.dist-info/METADATA': 'Name: linked\n' });
  symlinkSync(path.join(outside, 'LICENSE'), path.join(root, 'linked-1.0.dist-info/LICENSE'));
  const warnings: string[] = [];
  assert.deepEqual(await metadataCollected(root, ['linked'], {}, warnings), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^linked-1\.0\.dist-info in .* left out: .*LICENSE is a symbolic link to .*followSymlinksOutside: true/);
  assert.deepEqual(await metadataCollected(root, ['linked'], { followSymlinksOutside: true }), ['linked-1.0.dist-info/LICENSE', 'linked-1.0.dist-info/METADATA']);
  // Named explicitly, the link is the error it always was.
  await assert.rejects(collectPackageRoot(fakeContext(root), readPackageRoot('.', ['linked', 'linked-1.0.dist-info'])), { code: 'SYMLINK_OUTSIDE_SOURCE' });
});
