/** The payload format's constants come from one table: the generated files are current, and the table holds only what the writer writes. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { generatedFiles } from '../../scripts/format-codegen/index.js';
import { loadTable, publishedConstants } from '../../scripts/format-codegen/table.js';
import { interpreterRecords } from '../../src/link/interpreter-records.js';
import { repoRoot } from '../helpers/cli.js';

test('every generated file is what schemas/payload-format.json gives (run `npm run generate:format`)', () => {
  for (const [rel, content] of generatedFiles(repoRoot)) {
    assert.equal(readFileSync(path.join(repoRoot, rel), 'utf8'), content, `${rel} is stale`);
  }
});

test('every setting of the table is written by the writer for some interpreter config', () => {
  const written = new Set<number>();
  const strings = new Set<number>();
  const r = interpreterRecords({
    siteImport: true, userSiteDirectory: true, ignoreEnvironment: true, isolated: true, optimizeLevel: 1,
    bytesWarning: 1, unbufferedStdio: true, writeBytecode: true, useHashSeed: true, hashSeed: 3, quiet: true,
    inspect: true, interactive: true, parserDebug: true, verbose: 1, fastExit: true, filesystemImporter: true, sysFrozen: true,
    sysMeipass: true, inMemoryModuleFile: true, inMemoryFileView: true, terminfoResolution: 'static', terminfoDirs: '/t',
    stdioEncoding: 'utf-8:strict', writeModulesDirectoryEnv: 'X',
  });
  for (const [id] of r.settings) written.add(id);
  for (const [id] of r.stringSettings) strings.add(id);
  const t = loadTable(repoRoot);
  assert.deepEqual([...written].sort((a, b) => a - b), t.settings.map((s) => s.id));
  assert.deepEqual([...strings].sort((a, b) => a - b), t.stringSettings.map((s) => s.id));
});

test('the importer reads format constants from _oxidize, all of which the runtime publishes', () => {
  const dir = path.join(repoRoot, 'runtime-rust/python');
  const importer = readdirSync(dir)
    .filter((f) => f.startsWith('_oxidize_') && f.endsWith('.py') && f !== '_oxidize_format.py')
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  const published = new Set(publishedConstants(loadTable(repoRoot)).map(([n]) => n));
  const used = [...importer.matchAll(/_oxidize\.([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]);
  assert.ok(used.length > 10);
  for (const name of used) assert.ok(published.has(name), `_oxidize.${name} is not published`);
  // No numeric copies of kinds or settings left in the importer.
  assert.doesNotMatch(importer, /^(MODULE|EXTENSION|SETTING_\w+|STRING_\w+)\s*=\s*\d+/m);
});
