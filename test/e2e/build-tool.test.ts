/**
 * Build-tool mode: no config file, two first-party wheels (one depending on
 * the other) and an entry point, as Pants calls it; and --var reaching a
 * templated config's function form.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { oxidize, projectDir, run } from '../helpers/cli.js';
import { buildFixtureWheels } from '../helpers/wheels.js';

// Any attempt to reach an index fails the build: the wheels must come from the files given.
const NO_INDEX_ENV = { PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_FIND_LINKS: '' };

test('wheels and an entry point, no config: the install directory holds an executable that runs it', () => {
  const dir = projectDir({ '.keep': '' });
  mkdirSync(path.join(dir, 'wheels'));
  const wheels = buildFixtureWheels(path.join(dir, 'wheels'));
  assert.deepEqual(wheels.map((w) => path.basename(w)), ['greetapp-1.0-py3-none-any.whl', 'greetlib-1.0-py3-none-any.whl']);

  const args = ['build', '--verbose', '--name', 'greet', '--entry-point', 'greetapp.cli:main', ...wheels.flatMap((w) => ['--wheel', path.relative(dir, w)]), '--output', 'out'];
  const r = oxidize(args, { cwd: dir, env: NO_INDEX_ENV });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pip: .* install .*--no-index/);
  assert.deepEqual(r.stdout.trim().split('\n'), ['out/exe/greet', 'out/install']);
  const exe = path.join(dir, 'out/install/greet');
  const ok = run(exe, ['pants']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'Greetings, pants!\ngreetlib from memory\n');
  assert.equal(run(exe, ['fail']).code, 3, 'the function\'s return value is the exit status');

  // --filesystem-resource puts the package in files under lib/; a module entry point runs like python -m.
  const fs = oxidize(['build', '--name', 'greet2', '--entry-point', 'greetapp.cli', ...wheels.flatMap((w) => ['--wheel', w]), '--filesystem-resource', 'greetlib', '--output', 'out2'], { cwd: dir, env: NO_INDEX_ENV });
  assert.equal(fs.code, 0, fs.stderr);
  const installed = readFileSync(path.join(dir, 'out2/install/.oxidize-installed'), 'utf8');
  assert.match(installed, /^lib\/greetlib\/words\.txt$/m);
  const r2 = run(path.join(dir, 'out2/install/greet2'), ['files']);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(r2.stdout, 'Greetings, files!\ngreetlib from lib\n');
});

test('build-tool mode refuses what does not fit, in one line', () => {
  const dir = projectDir({ '.keep': '' });
  const noName = oxidize(['build', '--wheel', 'a.whl'], { cwd: dir });
  assert.equal(noName.code, 2);
  assert.match(noName.stderr, /^oxidize: error: build-tool mode .* needs --name.*\n$/);
  const bad = oxidize(['build', '--name', 'x', '--entry-point', 'a b:c'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not module or module:function/);
  const notWheel = oxidize(['build', '--name', 'x', '--wheel', 'a.tar.gz'], { cwd: dir });
  assert.match(notWheel.stderr, /is not a \.whl file/);
});

test('--var and --var-env reach a config exported as a function, as typed values', () => {
  const dir = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize-py';
export default defineConfig(({ vars }) => ({
  targets: {
    show: { build: () => { process.stdout.write(JSON.stringify(vars) + '\\n'); return 'shown'; } },
  },
}));
`,
  });
  const r = oxidize(['build', '--var', 'NAME=greet', '--var', 'COUNT=3', '--var', 'DEBUG=true', '--var', 'WHEELS=["a.whl","b.whl"]', '--var-env', 'HOME_DIR=OXIDIZE_TEST_HOME'], {
    cwd: dir,
    env: { OXIDIZE_TEST_HOME: '/home/tester' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n')[0]), { NAME: 'greet', COUNT: 3, DEBUG: true, WHEELS: ['a.whl', 'b.whl'], HOME_DIR: '/home/tester' });
  const unset = oxidize(['build', '--var-env', 'X=OXIDIZE_SURELY_UNSET'], { cwd: dir });
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /OXIDIZE_SURELY_UNSET is not set/);
  const badKey = oxidize(['build', '--var', 'no-equals'], { cwd: dir });
  assert.equal(badKey.code, 2);
  assert.match(badKey.stderr, /is not KEY=VALUE/);
});
