/** One catalogue of error codes: every code thrown is in it, docs/errors.md is generated from it, usage errors exit 2, --verbose shows the cause chain. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../../src/error-catalogue.js';
import { OxidizeError, pluginError } from '../../src/errors.js';
import { GENERATED } from '../../src/generated-files.js';
import { oxidize, projectDir, repoRoot } from '../helpers/cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every error code thrown in src/ and plugins/ is in the catalogue', () => {
  const used = new Set<string>();
  for (const file of [...sources(path.join(repoRoot, 'src')), ...sources(path.join(repoRoot, 'plugins'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:OxidizeError|oxidizeError)\(\s*'([A-Z0-9_]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\bcode(?: =|:) '([A-Z0-9_]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 40, `found the codes (${used.size})`);
  const missing = [...used].filter((c) => !(c in ERROR_CATALOGUE));
  assert.deepEqual(missing, [], 'add these to src/error-catalogue.ts');
});

test('generated files are current (npm run gen)', () => {
  for (const [rel, render] of Object.entries(GENERATED)) {
    assert.equal(readFileSync(path.join(repoRoot, rel), 'utf8'), render(), `${rel} is stale: run npm run gen`);
  }
  const doc = readFileSync(path.join(repoRoot, 'docs/errors.md'), 'utf8');
  for (const code of Object.keys(ERROR_CATALOGUE)) assert.ok(doc.includes(`| \`${code}\` |`), code);
});

test('errors keep their cause, plugin and hook; a code without a hint gets the catalogue\'s', () => {
  const root = new Error('disk on fire');
  const e = pluginError('boom', 'filter', root);
  assert.equal(e.cause, root);
  assert.equal(e.plugin, 'boom');
  assert.equal(e.hook, 'filter');
  assert.equal(new OxidizeError('STUB_BUILD_FAILED', 'x').hint, ERROR_CATALOGUE.STUB_BUILD_FAILED.hint);
  assert.equal(new OxidizeError('STUB_BUILD_FAILED', 'x', 'specific').hint, 'specific');
});

test('cac usage errors are recognised by type and exit 2 with one line', () => {
  for (const args of [['build', '--python'], ['build', '--no-such-option'], ['init-config-file']]) {
    const r = oxidize(args, { cwd: projectDir({}) });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), /^oxidize: error: .*; run `oxidize --help` for usage$/);
  }
});

test('--verbose prints the cause chain with stacks, the code, plugin and hook', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `export default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x', packagingPolicy: { includeStdlib: false }, plugins: [
  { name: 'boom', apply: (c: any) => c.hooks.collect.tap('boom-tap', () => { throw new Error('inner failure', { cause: new Error('root cause') }); }) },
] }) } } };
`,
  });
  const plain = oxidize(['build', '--quiet'], { cwd: dir });
  assert.equal(plain.code, 1);
  assert.equal(plain.stderr, 'oxidize: error: plugin boom failed in collect: inner failure\n');
  const r = oxidize(['build', '--quiet', '--verbose'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^oxidize: error: plugin boom failed in collect: inner failure\n/);
  assert.match(r.stderr, /\[code PLUGIN_FAILED, plugin boom, hook collect\]/);
  assert.match(r.stderr, /caused by: Error: inner failure\n\s+at /);
  assert.match(r.stderr, /caused by: Error: root cause\n\s+at /);
});
