/**
 * A packager's `strip` keeps the executable working: the payload lives in an
 * ELF section `strip` copies, and the stub it sits on carries no debug info
 * or static symbols, only the dynamic symbols extension modules link against.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildProject, projectDir, run } from '../helpers/cli.js';

const hasStrip = spawnSync('strip', ['--version']).status === 0;
let exe: string;
let dir: string;

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: 'stripped', config: { runModule: 'stripped' } })
          .addPythonResources(readPackageRoot('.', ['stripped'])),
    },
  },
});
`;

// _decimal and _json are shared libraries on Debian's Python: loading them from memory needs libpython's exported symbols.
const APP = `
import decimal, json, sys, _decimal
print(json.dumps({"sum": str(decimal.Decimal("1.10") + decimal.Decimal("2.20")), "c": decimal.Decimal is _decimal.Decimal}))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
`;

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'stripped/__init__.py': '', 'stripped/__main__.py': APP }, 'oxidize-strip-');
  [exe] = buildProject(dir);
});

function sections(file: string): string {
  const r = spawnSync('readelf', ['-S', '-W', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('the executable carries its payload in an .oxidize section and no debug info or static symbols', { skip: !hasStrip && 'binutils is not installed' }, () => {
  const s = sections(exe);
  assert.match(s, / \.oxidize +PROGBITS/);
  assert.doesNotMatch(s, / \.debug_/);
  assert.doesNotMatch(s, / \.symtab /);
  const dyn = spawnSync('readelf', ['--dyn-syms', '-W', exe], { encoding: 'utf8' }).stdout;
  assert.match(dyn, / PyModule_Create2\b/, 'the C API stays exported for extension modules');
});

for (const mode of [[], ['--strip-debug'], ['--strip-unneeded'], ['--strip-all']]) {
  test(`the executable works after strip ${mode.join(' ') || '(default)'}`, { skip: !hasStrip && 'binutils is not installed' }, () => {
    const copy = path.join(dir, `copy${mode.join('') || '-default'}`);
    copyFileSync(exe, copy);
    const before = readFileSync(copy);
    const s = spawnSync('strip', [...mode, copy], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    assert.ok(!readFileSync(copy).equals(before), 'strip rewrote the file');
    const r = run(copy, ['3']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), '{"sum": "3.30", "c": true}');
    assert.equal(r.code, 3);
  });
}
