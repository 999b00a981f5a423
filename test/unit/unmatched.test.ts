/** Names and patterns of the config that match nothing: what is found unmatched and the name suggested. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { suggestName } from '../../src/config/unmatched.js';
import { globFiles, globSuggestion } from '../../src/install/glob.js';
import { unmatchedLocationKeys } from '../../plugins/packaging-policy/index.js';
import { unsearchedSysPaths } from '../../plugins/interpreter-checks/index.js';
import type { PlacedResource, Resource } from '../../src/resources/types.js';
import { scratchDir } from '../helpers/tiny-app.js';

const mod = (name: string, location = 'in-memory'): PlacedResource =>
  ({ type: 'python-module-source', name, isPackage: false, source: { bytes: new Uint8Array() }, location }) as unknown as PlacedResource;
const dist = (distribution: string): Resource =>
  ({ type: 'python-distribution-resource', distribution, path: 'METADATA', data: { bytes: new Uint8Array() } }) as unknown as Resource;

test('suggestName: a near module name, for names and pkg.* patterns; nothing for other patterns or far names', () => {
  const names = ['tkinter', 'json', 'json.decoder', 'myapp', 'myapp.cli', 'io'];
  assert.equal(suggestName('tkinterr', names), 'tkinter');
  assert.equal(suggestName('myap.cli', names), 'myapp.cli');
  assert.equal(suggestName('jsn.*', names), 'json.*');
  assert.equal(suggestName('xm*', names), undefined);
  assert.equal(suggestName('foo', names), undefined, 'short names get one edit: foo is not io');
  assert.equal(suggestName('nosuchmodule_zz', names), undefined);
});

test('unmatchedLocationKeys: keys matching a packed module, a package above one or a metadata directory are matched', () => {
  const resources = [mod('myapp.cli'), mod('myapp.data.x'), dist('black-22.12.0.dist-info')];
  const out = unmatchedLocationKeys(['myapp', 'myapp.data', 'myapp.cli', 'black-22.12.0.dist-info', 'myap', 'myapp.cl', 'zzzq'], resources);
  assert.deepEqual(out, [
    { key: 'myap', suggestion: 'myapp' },
    { key: 'myapp.cl', suggestion: 'myapp.cli' },
    { key: 'zzzq', suggestion: undefined },
  ]);
  assert.deepEqual(unmatchedLocationKeys([], resources), []);
});

test("unsearchedSysPaths: without filesystemImporter only the executable's own directories and installed packages' are searched", () => {
  const resources = [mod('a'), mod('pkg.mod', 'filesystem-relative:lib')];
  const entries = ['$ORIGIN/app', '$ORIGIN/app/vendor/', '$ORIGIN/lib', '$ORIGIN/lib/pkg', '$ORIGIN/./app/x', '$ORIGIN/plugins', '/opt/x', 'rel', '$ORIGIN/app2'];
  assert.deepEqual(unsearchedSysPaths('app', entries, resources), [
    { index: 5, entry: '$ORIGIN/plugins' },
    { index: 6, entry: '/opt/x' },
    { index: 7, entry: 'rel' },
    { index: 8, entry: '$ORIGIN/app2' },
  ]);
});

test('globFiles reports the patterns that match no file; globSuggestion names the directory meant', async () => {
  const dir = scratchDir('oxidize-unmatched-');
  mkdirSync(path.join(dir, 'static/css'), { recursive: true });
  writeFileSync(path.join(dir, 'static/css/a.css'), '');
  writeFileSync(path.join(dir, 'static/b.map'), '');
  const unmatched: string[] = [];
  const files = await globFiles(dir, ['static/**', 'statc/**', 'static/*.js', 'static/*.map'], ['**/*.map'], unmatched);
  assert.deepEqual(files, ['static/css/a.css']);
  // static/*.map matched a file (then excluded): not reported.
  assert.deepEqual(unmatched, ['statc/**', 'static/*.js']);
  assert.equal(await globSuggestion(dir, 'statc/**'), 'static/**');
  assert.equal(await globSuggestion(dir, 'static/cs/*.css'), 'static/css/*.css');
  assert.equal(await globSuggestion(dir, 'static/*.js'), undefined);
  assert.equal(await globSuggestion(dir, 'zzzzzz/**'), undefined);
});

test('did-you-mean counts a swap of two neighbouring letters as one edit', async () => {
  const { didYouMean } = await import('../../src/config/shape.js');
  assert.equal(didYouMean('scr', ['src', 'lib'], 1), 'src');
  assert.equal(didYouMean('pakcagingPolicy', ['packagingPolicy', 'plugins']), 'packagingPolicy');
  assert.equal(suggestName('jsno', ['json', 'io']), 'json');
});
