/** Command lines map to commands; user errors are one line and a non-zero exit. */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createCli, normalizeBooleanFlags } from '../../src/cli/main.js';
import { oxidize, projectDir, repoRoot } from '../helpers/cli.js';

const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;

function assertOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp, code = 1) {
  assert.equal(r.code, code);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^oxidize: /);
  assert.match(lines[0], pattern);
}

test('--version and --help', () => {
  const v = oxidize(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, new RegExp(`oxidize/${version.replace(/\./g, '\\.')}`));
  const h = oxidize(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['build [...targets]', 'run', 'init-config-file <dir>', 'list-targets', 'analyze <file>', 'help [command]', '--verbose']) {
    assert.ok(h.stdout.includes(c), `help mentions ${c}`);
  }
  // Options of some commands only are listed with those commands.
  const b = oxidize(['build', '--help']);
  for (const c of ['--path <dir>', '--release', '--python <interpreter>', '--output <dir>', '--json']) {
    assert.ok(b.stdout.includes(c), `build help mentions ${c}`);
  }
});

test('a boolean option in kebab case never takes the next argument as its value; after -- nothing is rewritten', () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': "export default { targets: { t: { build: () => 'value' } } };\n" });
  // `--strict-imports nosuch` once took nosuch as the option's value and built the default target.
  assertOneLineError(oxidize(['build', '--strict-imports', 'nosuch'], { cwd: dir }), /unknown target nosuch/);
  const cli = createCli(() => undefined);
  assert.deepEqual(normalizeBooleanFlags(cli, ['build', '--strict-imports', 'a', '--release', '--no-trim']), ['build', '--strictImports', 'a', '--release', '--no-trim']);
  assert.deepEqual(normalizeBooleanFlags(cli, ['run', '--', '--strict-imports', 'x']), ['run', '--', '--strict-imports', 'x']);
});

test('an unknown command is one line with exit 2', () => {
  assertOneLineError(oxidize(['frobnicate']), /unknown command frobnicate/, 2);
});

test('a missing config is one line', () => {
  const dir = projectDir({ 'x/.keep': '' });
  assertOneLineError(oxidize(['build'], { cwd: path.join(dir, 'x') }), /no pyoxidizer\.config\.ts in .* or its parent directories; create one with/);
});

test('--path points at the config directory or file', () => {
  const dir = projectDir({ 'conf/pyoxidizer.config.ts': "export default { targets: { t: { build: () => 'value' } } };\n" });
  assert.equal(oxidize(['build', '--path', path.join(dir, 'conf')]).code, 0);
  assert.equal(oxidize(['build', '--path', path.join(dir, 'conf/pyoxidizer.config.ts')]).code, 0);
  assertOneLineError(oxidize(['build', '--path', path.join(dir, 'nowhere')]), /does not exist/);
});

test('an unknown target is one line listing the known targets', () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': "export default { targets: { exe: { build: () => 1 }, install: { build: () => 2 } } };\n" });
  assertOneLineError(oxidize(['build', 'nope'], { cwd: dir }), /unknown target nope; known targets: exe, install$/);
});

test('a config or target that throws is one line; --verbose adds the stack', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': "export default { targets: { bad: { build: () => { throw new Error('target exploded'); } } } };\n",
  });
  assertOneLineError(oxidize(['build'], { cwd: dir }), /target bad threw: target exploded/);
  const verbose = oxidize(['build', '--verbose'], { cwd: dir });
  assert.equal(verbose.code, 1);
  assert.match(verbose.stderr, /target exploded\n[\s\S]*at /);
  const broken = projectDir({ 'pyoxidizer.config.ts': 'export default {{ syntax error\n' });
  assertOneLineError(oxidize(['build'], { cwd: broken }), /pyoxidizer\.config\.ts.*loading the config failed/);
});

test('targets are resolved in dependency order, each once', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `const seen: string[] = [];
const t = (name: string, depends: string[] = []) => ({ depends, build: (ctx: { depends: Record<string, unknown> }) => { seen.push(name); process.stdout.write(name + ':' + JSON.stringify(ctx.depends) + '\\n'); return name.toUpperCase(); } });
export default { targets: { a: t('a'), b: t('b', ['a']), c: t('c', ['a', 'b']) } };
`,
  });
  const r = oxidize(['build', 'c', 'a'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['a:{}', 'b:{"a":"A"}', 'c:{"a":"A","b":"B"}']);
});

test('a named interpreter that does not exist is one line', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': "export default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x' }) } } };\n",
  });
  assertOneLineError(oxidize(['build', '--python', '/nonexistent/python9'], { cwd: dir }), /no Python interpreter found: cannot run \/nonexistent\/python9/);
});

test('an interpreter without a static libpython names the package to install', () => {
  // Stands in for a Python without python3.X-dev: runs the real probe, then drops the static library.
  const dir = projectDir({
    fakepython: `#!/usr/bin/env python3
import contextlib, io, json, sys
out = io.StringIO()
with contextlib.redirect_stdout(out):
    exec(compile(open(sys.argv[-1]).read(), sys.argv[-1], "exec"), {"__name__": "__main__"})
d = json.loads(out.getvalue())
d["staticLibraries"] = []
print(json.dumps(d))
`,
    'pyoxidizer.config.ts': "export default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x' }) } } };\n",
  });
  const fake = path.join(dir, 'fakepython');
  chmodSync(fake, 0o755);
  assertOneLineError(oxidize(['build', '--python', fake], { cwd: dir }), /has no static libpython; install the static library and headers with `apt-get install python3\.\d+-dev`/);
});

test('a plugin failing during a phase is printed once, named by its plugin and hook', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `export default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x', plugins: [
  { name: 'boom', apply: (c: any) => c.hooks.filter.tap('boom-tap', () => { throw new Error('kaboom'); }) },
] }) } } };
`,
  });
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.match(/kaboom/g)?.length, 1, r.stderr);
  assert.match(r.stderr, /^oxidize: error: plugin boom failed in filter: kaboom$/m);
  assert.match(r.stderr, /x: collected \d+ resources/, 'progress was shown up to the failure');
});
