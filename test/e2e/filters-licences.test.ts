/**
 * The packaging filters (extensionModuleFilter, exclude), the licence file
 * and `oxidize licenses`, the size report as JSON, and the import analysis
 * with --strict-imports, on one project built target by target.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, run, type CliResult } from '../helpers/cli.js';

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';
const PROJECTS = ['Flask', 'Werkzeug', 'Jinja2', 'MarkupSafe'];
const metadata = existsSync(DIST_PACKAGES) ? readdirSync(DIST_PACKAGES).filter((n) => PROJECTS.some((p) => n.startsWith(`${p}-`) && /\.(egg|dist)-info$/.test(n))) : [];
const skipFlask = metadata.length < PROJECTS.length && "needs Debian's python3-flask (Flask, Werkzeug, Jinja2, MarkupSafe metadata)";

// Prints "name result" lines (not JSON: one target leaves json out).
const PROBE = `import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        print(name, True)
    except ImportError as e:
        print(name, type(e).__name__)`;

function probed(r: CliResult): Record<string, string | boolean> {
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ')).map(([n, v]) => [n, v === 'True' ? true : v]));
}

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
const probe = (ctx, name, packagingPolicy = {}) =>
  ctx.defaultPythonDistribution().toPythonExecutable({ name, config: { runModule: 'probe' }, packagingPolicy }).addPythonResources(readPackageRoot('.', ['probe']));
export default defineConfig({
  targets: {
    flask: {
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'flask-app', config: { runCommand: 'import flask, importlib.metadata as m; print(m.version("Flask"))' } })
          .addPythonResources(readPackageRoot('${DIST_PACKAGES}', ['flask', 'werkzeug', 'jinja2', 'markupsafe', 'itsdangerous', 'click', ${metadata.map((m) => `'${m}'`).join(', ')}], { followSymlinksOutside: true })),
    },
    nogpl: { build: (ctx) => probe(ctx, 'nogpl', { extensionModuleFilter: 'no-gpl' }) },
    minimal: { build: (ctx) => probe(ctx, 'minimal', { extensionModuleFilter: 'minimal' }) },
    excluded: { build: (ctx) => probe(ctx, 'excluded', { exclude: ['json', 'xml*'], licensesFile: 'LICENSES.txt' }) },
    strict: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: 'strict', config: { runModule: 'strictapp' } }).addPythonResources(readPackageRoot('.', ['strictapp'])),
    },
  },
});
`;

const STRICT = `import json
try:
    import not_installed_optional
except ImportError:
    not_installed_optional = None

def later():
    import not_installed_anywhere
`;

let dir: string;

function built(r: CliResult): string {
  assert.equal(r.code, 0, r.stderr);
  return path.join(dir, r.stdout.trim().split('\n')[0]);
}

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'probe/__init__.py': '', 'probe/__main__.py': PROBE, 'strictapp/__init__.py': '', 'strictapp/__main__.py': STRICT }, 'oxidize-filters-');
});

test('the licence file names Python and every packed distribution with its licence; oxidize licenses prints it', { skip: skipFlask }, () => {
  const exe = built(oxidize(['build', 'flask'], { cwd: dir }));
  const r = run(exe);
  assert.equal(r.code, 0, r.stderr);
  const copying = readFileSync(path.join(path.dirname(exe), 'COPYING.txt'), 'utf8');
  assert.match(copying, /^Python 3\.\d+\.\d+: Python-2\.0$/m);
  assert.match(copying, /PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2/, "Python's licence text");
  for (const p of PROJECTS) assert.match(copying, new RegExp(`^${p} [\\d.]+ \\(${p}-[\\d.]+\\.(egg|dist)-info\\): BSD-3-Clause$`, 'm'), p);
  const printed = oxidize(['licenses', '--target', 'flask'], { cwd: dir });
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout, copying);
});

test("no-gpl leaves out extension modules linking GPL libraries and names them; others stay", () => {
  const b = oxidize(['build', 'nogpl'], { cwd: dir });
  const exe = built(b);
  assert.match(b.stderr, /extensionModuleFilter 'no-gpl' left out .*readline \(links libreadline \(GPL-[^)]*\)\)/);
  assert.deepEqual(probed(run(exe, ['readline', '_decimal', 'json'])), { readline: 'ModuleNotFoundError', _decimal: true, json: true });
  assert.doesNotMatch(readFileSync(path.join(path.dirname(exe), 'COPYING.txt'), 'utf8'), /libreadline/);
});

test('minimal keeps only the extension modules start-up needs', () => {
  const b = oxidize(['build', 'minimal'], { cwd: dir });
  const exe = built(b);
  assert.match(b.stderr, /extensionModuleFilter 'minimal' left out \d+ modules not needed to start the interpreter/);
  assert.deepEqual(probed(run(exe, ['_decimal', 'zlib', 'json'])), { _decimal: 'ModuleNotFoundError', zlib: 'ModuleNotFoundError', json: true });
});

test('exclude drops packages with what is below them; the size report says what filters removed; --json carries it', () => {
  const b = oxidize(['build', '--json', 'excluded'], { cwd: dir });
  assert.equal(b.code, 0, b.stderr);
  const json = JSON.parse(b.stdout) as { executables: Array<{ path: string; report: { sizes: Record<string, any>; licensesFile: string } }> };
  const { path: exe, report } = json.executables[0];
  assert.deepEqual(probed(run(exe, ['json', 'json.decoder', 'xml.dom', 'csv'])), { json: 'ModuleNotFoundError', 'json.decoder': 'ModuleNotFoundError', 'xml.dom': 'ModuleNotFoundError', csv: true });
  const s = report.sizes;
  assert.ok(s.kinds['stdlib bytecode'].count > 100 && s.kinds['stdlib bytecode'].bytes > 1e6);
  assert.ok(s.kinds.sources.count > 100);
  assert.equal(s.kinds['application modules'].count, 2);
  assert.ok(s.stub > 1e6 && s.total > s.stub + s.payload - 1 && s.total < s.stub + s.payload + 65536);
  assert.ok(s.removed.count > 0 && s.removed.bytes > 0);
  assert.equal(report.licensesFile, 'LICENSES.txt');
  assert.ok(existsSync(path.join(path.dirname(exe), 'LICENSES.txt')));
  // The table on stderr.
  assert.match(b.stderr, /^ {2}stdlib bytecode +\d+ +[\d.]+ MiB$/m);
  assert.match(b.stderr, /^ {2}runtime stub +[\d.]+ MiB$/m);
  assert.match(b.stderr, /filters removed \d+ resources/);
});

test('imports nothing packed satisfies are reported, optional ones apart; --strict-imports stops the build', () => {
  const warned = oxidize(['build'], { cwd: dir });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /1 import cannot be satisfied by what is packed:\n {2}strictapp\.__main__ imports not_installed_anywhere \(in a function of a module the program loads as it starts\), which is not packed/);
  assert.match(warned.stderr, /1 optional import \(inside try\/except ImportError\) not packed:\n {2}strictapp\.__main__ imports not_installed_optional, which is not packed/);
  const strict = oxidize(['build', '--strict-imports'], { cwd: dir });
  assert.notEqual(strict.code, 0);
  assert.match(strict.stderr, /strictapp\.__main__ imports not_installed_anywhere \(in a function of a module the program loads as it starts\), which is not packed/);
  assert.match(strict.stderr, /drop --strict-imports/);
});
