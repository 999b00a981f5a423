/** The build report's pure parts: size tally, licence metadata, extension module filters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extensionExclusion, isGplLicense } from '../../plugins/packaging-filters/extension-filter.js';
import { licenseOf, metadataHeaders } from '../../plugins/build-report/licenses.js';
import { formatSizeReport, tallyEntries } from '../../plugins/build-report/sizes.js';
import { EntryFlag, EntryKind } from '../../src/payload/format.js';
import type { ExtensionModuleInfo } from '../../src/distribution/types.js';

const b = (n: number) => new Uint8Array(n);

test('payload entries are tallied by kind; files on the filesystem are not payload', () => {
  const rows = tallyEntries(
    [
      { kind: EntryKind.Module, name: 'json', flags: EntryFlag.Package, slots: [b(10), b(100), undefined, undefined] },
      { kind: EntryKind.Module, name: 'app.cli', flags: 0, slots: [b(5), b(50), b(40), undefined] },
      { kind: EntryKind.Module, name: 'app.fs', flags: EntryFlag.Filesystem, slots: [b(7), b(7), undefined, undefined] },
      { kind: EntryKind.Extension, name: '_ssl', flags: EntryFlag.Lz4, slots: [b(1000)] },
      { kind: EntryKind.SharedLibrary, name: 'x.libs/liby.so', flags: 0, slots: [b(300)] },
      { kind: EntryKind.PackageResource, name: 'app\0data.txt', flags: 0, slots: [b(20)] },
      { kind: EntryKind.DistributionResource, name: 'app-1.dist-info\0METADATA', flags: 0, slots: [b(30)] },
    ],
    (m) => !m.startsWith('app'),
  );
  assert.deepEqual(rows, {
    'stdlib bytecode': { count: 1, bytes: 100 },
    sources: { count: 2, bytes: 15 },
    'application modules': { count: 1, bytes: 90 },
    'extension modules': { count: 1, bytes: 1000 },
    'shared libraries': { count: 1, bytes: 300 },
    'package resources': { count: 1, bytes: 20 },
    'distribution metadata': { count: 1, bytes: 30 },
  });
  const lines = formatSizeReport({
    executable: 'app',
    kinds: rows,
    stub: 2 * 1048576,
    payload: 1600,
    total: 2 * 1048576 + 1600,
    besideExecutable: { count: 0, bytes: 0 },
    removed: { count: 10, bytes: 3 * 1048576, modules: 4 },
    trimmed: { count: 8, bytes: 2 * 1048576, modules: 3 },
  });
  assert.equal(lines[0], 'app: 2.0 MiB');
  assert.ok(lines.includes('  stdlib bytecode               1     0.0 MiB'));
  assert.match(lines[lines.length - 1], /filters removed 10 resources of 4 modules \(3\.0 MiB as collected\); module-trace dropped 3 modules \(2\.0 MiB\)/);
});

test('licence metadata: License-Expression first, then License, then classifiers', () => {
  const h = metadataHeaders('Metadata-Version: 2.1\nName: x\nLicense: MIT\nClassifier: License :: OSI Approved :: BSD License\nLicense-File: LICENSE\n\nLicense: in the body\n');
  assert.equal(licenseOf(h), 'MIT');
  assert.equal(licenseOf(metadataHeaders('Name: x\nLicense-Expression: Apache-2.0 OR MIT\nLicense: ignored\n')), 'Apache-2.0 OR MIT');
  assert.equal(licenseOf(metadataHeaders('Name: x\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n')), 'BSD License');
  assert.equal(licenseOf(metadataHeaders('Name: x\n')), '');
});

test('extension module filters decide from links and licences; an unknown licence is not allowed under no-gpl', () => {
  const info = (links: string[], licenses?: string[]): ExtensionModuleInfo => ({
    name: 'm',
    variants: [{ variant: 'default', builtin: false, links: links.map((name) => ({ name, kind: 'dynamic', system: true })), ...(licenses ? { licenses } : {}), licensePublicDomain: false }],
  });
  const startup = new Set(['_io']);
  assert.equal(isGplLicense('GPL-3.0-or-later'), true);
  assert.equal(isGplLicense('LGPL-2.1-or-later'), false);
  assert.equal(isGplLicense('AGPL-3.0-only'), true);
  assert.equal(extensionExclusion('no-gpl', info(['readline', 'c'], ['GPL-3.0-or-later', 'LGPL-2.1-or-later']), 'readline', startup), 'links libreadline (GPL-3.0-or-later)');
  assert.equal(extensionExclusion('no-gpl', info(['ssl', 'c'], ['Apache-2.0', 'LGPL-2.1-or-later']), '_ssl', startup), undefined);
  assert.match(extensionExclusion('no-gpl', info(['foo']), '_foo', startup)!, /libfoo under a licence the distribution does not state/);
  assert.match(extensionExclusion('no-gpl', undefined, '_bar', startup)!, /does not say/);
  assert.equal(extensionExclusion('no-libraries', info(['c', 'm']), 'math', startup), undefined);
  assert.equal(extensionExclusion('no-libraries', info(['sqlite3', 'c']), '_sqlite3', startup), 'links libsqlite3');
  assert.equal(extensionExclusion('minimal', info([]), '_io', startup), undefined);
  assert.equal(extensionExclusion('minimal', info([]), 'array', startup), 'not needed to start the interpreter');
  assert.equal(extensionExclusion('all', info(['readline'], ['GPL-3.0-only']), 'readline', startup), undefined);
});
