/** Interpreter settings from the config, observed from inside the executables. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

let exes: Map<string, string>;

before(() => {
  ({ exes } = buildFixture('settings', ['defaults', 'flags', 'isolated', 'site', 'modules', 'inspect', 'frozen-spawn']));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function probe(name: string, env: NodeJS.ProcessEnv = {}): any {
  // PYTHON* variables of the machine (PYTHONUNBUFFERED, ...) would change what defaults show.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PYTHON') && k !== 'TERMINFO_DIRS'));
  const r = run(exes.get(name)!, [], { env: { ...clean, ...env } });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!);
}

test('defaults: no site, no user site, no bytecode writing, environment honoured, random hashes', () => {
  const p = probe('defaults');
  assert.equal(p.site, false);
  assert.equal(p.flags.no_site, 1);
  assert.equal(p.flags.no_user_site, 1);
  assert.equal(p.flags.dont_write_bytecode, 1);
  assert.equal(p.flags.ignore_environment, 0);
  assert.equal(p.flags.hash_randomization, 1);
  assert.equal(p.frozen, null);
  assert.equal(p.meipass, null);
  assert.equal(p.docstring, 'Docstring kept unless optimizing at level 2.');
  assert.equal(p.write_through, false);
  assert.equal(probe('defaults', { PYTHONOPTIMIZE: '1' }).flags.optimize, 1, 'PYTHON* variables apply by default');
});

test('optimize, bytes warning, quiet, parser debug, hash seed, frozen and meipass', () => {
  const p = probe('flags', { PYTHONOPTIMIZE: '0' });
  assert.equal(p.flags.optimize, 2);
  assert.equal(p.docstring, null, 'level-2 bytecode was used');
  assert.equal(p.assert, false);
  assert.equal(p.flags.bytes_warning, 1);
  assert.equal(p.flags.ignore_environment, 1);
  assert.equal(p.flags.quiet, 1);
  assert.equal(p.flags.debug, 1);
  assert.equal(p.hash, probe('flags').hash, 'the hash seed is fixed');
  assert.equal(p.write_through, true, 'unbuffered stdio');
  assert.equal(p.frozen, true);
  assert.equal(p.meipass, p.origin);
  assert.deepEqual(p.stdout, ['iso8859-1', 'backslashreplace'], 'Python normalizes latin-1');
  assert.equal(p.terminfo, '/opt/terminfo:/usr/share/terminfo');
});

test('isolated mode', () => {
  const p = probe('isolated');
  assert.equal(p.flags.isolated, 1);
  assert.equal(p.flags.ignore_environment, 1);
  assert.equal(p.terminfo, null, "terminfoResolution 'none' leaves TERMINFO_DIRS alone");
});

test('site import', () => {
  const p = probe('site');
  assert.equal(p.site, true);
  assert.equal(p.flags.no_site, 0);
});

test('terminfo: dynamic picks the distribution\'s directories and never overrides TERMINFO_DIRS', () => {
  const release = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const p = probe('defaults');
  if (/^ID(_LIKE)?=.*\b(debian|ubuntu)\b/m.test(release)) assert.equal(p.terminfo, '/etc/terminfo:/lib/terminfo:/usr/share/terminfo');
  else assert.ok(p.terminfo === null || typeof p.terminfo === 'string');
  assert.equal(probe('defaults', { TERMINFO_DIRS: '/mine' }).terminfo, '/mine');
  assert.equal(probe('flags', { TERMINFO_DIRS: '/mine' }).terminfo, '/mine');
});

test('writeModulesDirectoryEnv writes the loaded modules at exit', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-modules-'));
  probe('modules', { OXIDIZE_TEST_MODULES_DIR: dir });
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  assert.match(files[0], /^modules-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const names = readFileSync(path.join(dir, files[0]), 'utf8').trim().split('\n');
  for (const m of ['json', 'settings_probe', 'encodings', 'sys']) assert.ok(names.includes(m), m);
  assert.deepEqual(names, [...names].sort());
  probe('modules');
  assert.equal(readdirSync(dir).length, 1, 'nothing written without the variable');
});

test('inspect with interactive enters the REPL after the module', () => {
  const r = run(exes.get('inspect')!, [], { input: 'print("after the module", 6 * 7)\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\{.*\}\n/);
  assert.match(r.stdout, /after the module 42/);
});

test('a frozen executable runs multiprocessing spawn children through --multiprocessing-fork', () => {
  const r = run(exes.get('frozen-spawn')!, [], { env: { ...process.env } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '[0, 1, 4, 9, 16, 25] True True\n');
  assert.doesNotMatch(r.stderr, /Traceback|leaked/);
});
