/** The module-trace plugin's choices, as pure functions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  importClosure, importedModules, keepsResource, keptModules, libraryOwner, parentsOf, patternMatcher, providedModules, subtreeMatcher,
} from '../../plugins/module-trace/select.js';
import type { ImportRecord } from '../../src/analysis/import-scan.js';
import type { Resource } from '../../src/resources/types.js';

const imp = (name: string, more: Partial<ImportRecord> = {}): ImportRecord => ({ name, level: 0, fromlist: null, optional: false, toplevel: true, ...more });

test('include patterns: a name alone, pkg.* below it, * inside a name', () => {
  const m = patternMatcher(['pkg', 'other.*', 'encodings.cp*']);
  assert.ok(m('pkg'));
  assert.ok(!m('pkg.sub'), "'pkg' is the package only");
  assert.ok(m('other.a') && m('other.a.b'));
  assert.ok(!m('other'), "'other.*' is what is below other");
  assert.ok(m('encodings.cp1252') && !m('encodings.utf_8'));
  assert.ok(!patternMatcher([])('anything'));
  assert.ok(!patternMatcher(['a.b'])('aXb'), 'dots are literal');
});

test('exclude patterns take the whole subtree', () => {
  const m = subtreeMatcher(['tkinter', 'idlelib.*']);
  assert.ok(m('tkinter') && m('tkinter.ttk'));
  assert.ok(!m('tkinterx'));
  assert.ok(m('idlelib.config') && !m('idlelib'));
});

test('parents of a dotted name', () => {
  assert.deepEqual(parentsOf('a.b.c'), ['a', 'a.b']);
  assert.deepEqual(parentsOf('a'), []);
});

test('an import statement brings in the target, its parents and submodules named in fromlist', () => {
  const exists = (n: string) => ['email', 'email.mime', 'email.mime.text', 'pkg', 'pkg.sub', 'pkg.helper'].includes(n);
  assert.deepEqual(importedModules('x', false, imp('email.mime.text'), exists), ['email', 'email.mime', 'email.mime.text']);
  assert.deepEqual(importedModules('pkg.sub', false, imp('', { level: 1, fromlist: ['helper', 'CONST'] }), exists), ['pkg', 'pkg.helper']);
  assert.deepEqual(importedModules('pkg', true, imp('helper', { level: 1 }), exists), ['pkg', 'pkg.helper']);
  assert.deepEqual(importedModules('top', false, imp('x', { level: 2 }), exists), [], 'climbing above the top package imports nothing');
});

test('the import closure follows import-time imports that exist, guarded ones and their fallbacks too, never lazy ones', async () => {
  const graph: Record<string, ImportRecord[]> = {
    app: [imp('app.cli', { fromlist: null })],
    'app.cli': [
      imp('json'),
      imp('yaml', { optional: true }),
      imp('ujson', { optional: true }),
      imp('pyyaml_compat', { fallback: true }),
      imp('csv', { toplevel: false }),
    ],
    json: [imp('json.decoder')],
    'json.decoder': [imp('re')],
    re: [],
    csv: [],
    yaml: [],
    pyyaml_compat: [],
  };
  const asked: string[][] = [];
  const scan = async (names: string[]) => {
    asked.push(names);
    return new Map(names.map((n) => [n, graph[n] ?? []] as const));
  };
  const exists = (n: string) => n in graph || n === 'app';
  const isPackage = (n: string) => n === 'app' || n === 'json';
  const closure = await importClosure(['app', 'absent'], scan, exists, isPackage);
  assert.deepEqual([...closure].sort(), ['app', 'app.cli', 'json', 'json.decoder', 'pyyaml_compat', 're', 'yaml']);
  assert.ok(asked.every((batch) => batch.every(exists)), 'only existing modules are scanned');
  assert.equal(new Set(asked.flat()).size, asked.flat().length, 'each module is scanned once');
});

test('kept modules: traces, start-up and roots, minus exclude, plus include, with parents', () => {
  const available = ['a', 'a.b', 'a.b.c', 'a.d', 'big', 'big.x', 'enc', 'enc.utf8', 'enc.cp1', 'only_included', 'unused', 'tk', 'tk.ttk'];
  const kept = keptModules(available, {
    traced: ['a.b.c', 'tk.ttk', 'not_available'],
    startup: ['enc.utf8'],
    roots: ['big.x'],
    include: ['only_included', 'enc.*'],
    exclude: ['tk'],
  });
  assert.deepEqual([...kept].sort(), ['a', 'a.b', 'a.b.c', 'big', 'big.x', 'enc', 'enc.cp1', 'enc.utf8', 'only_included']);
  const keepStartup = keptModules(['enc', 'enc.utf8'], { traced: [], startup: ['enc.utf8'], roots: [], include: [], exclude: ['enc'] });
  assert.deepEqual([...keepStartup].sort(), ['enc', 'enc.utf8'], 'what the interpreter needs to start is never excluded');
});

test('resources follow their modules', () => {
  const kept = new Set(['flask', 'flask.app', 'numpy', '_ssl']);
  const provides = (d: string) => ({ 'Flask-2.2.dist-info': ['flask'], 'PyYAML-6.dist-info': ['yaml', '_yaml'] } as Record<string, string[]>)[d];
  const exists = (m: string) => ['flask', 'numpy', 'scipy', 'yaml'].includes(m);
  const keeps = (r: Resource) => keepsResource(r, kept, provides, exists);
  const data = { bytes: new Uint8Array() };
  assert.ok(keeps({ type: 'python-module-source', name: 'flask.app', isPackage: false, source: data }));
  assert.ok(!keeps({ type: 'python-module-source', name: 'flask.cli', isPackage: false, source: data }));
  assert.ok(!keeps({ type: 'python-module-bytecode', name: 'yaml', isPackage: true, optimizeLevel: 0, bytecode: data }));
  assert.ok(keeps({ type: 'python-package-resource', package: 'flask', path: 'py.typed', data }));
  assert.ok(!keeps({ type: 'python-package-resource', package: 'flask.templates', path: 'x.html', data }));
  assert.ok(keeps({ type: 'python-extension-module', name: '_ssl', builtin: false, file: data }));
  assert.ok(!keeps({ type: 'python-extension-module', name: '_sqlite3', builtin: false, file: data }));
  assert.ok(keeps({ type: 'python-extension-module', name: '_thread', builtin: true }), 'builtin extension modules cost nothing');
  assert.ok(keeps({ type: 'python-distribution-resource', distribution: 'Flask-2.2.dist-info', path: 'METADATA', data }));
  assert.ok(!keeps({ type: 'python-distribution-resource', distribution: 'PyYAML-6.dist-info', path: 'METADATA', data }));
  assert.ok(keeps({ type: 'python-distribution-resource', distribution: 'Unknown-1.dist-info', path: 'METADATA', data }), 'unknown providers stay');
  assert.ok(keeps({ type: 'shared-library', name: 'numpy.libs/libopenblas.so', file: data }));
  assert.ok(!keeps({ type: 'shared-library', name: 'scipy.libs/libgfortran.so', file: data }));
  assert.ok(keeps({ type: 'shared-library', name: 'Pillow.libs/libjpeg.so', file: data }), 'a .libs directory naming no module stays');
  assert.ok(keeps({ type: 'file', path: 'README', data, executable: false }));
  assert.equal(libraryOwner('libfoo.so'), undefined);
});

test('the modules a distribution provides come from top_level.txt or RECORD', () => {
  assert.deepEqual(providedModules('markupsafe\n', undefined), ['markupsafe']);
  const record = ['six.py,sha256=x,1', 'six-1.16.dist-info/METADATA,,', 'werkzeug/__init__.py,,', 'werkzeug/serving.py,,', '_cffi_backend.cpython-311-x86_64-linux-gnu.so,,', '../../bin/tool,,', ''].join('\n');
  assert.deepEqual(providedModules(undefined, record), ['_cffi_backend', 'six', 'werkzeug']);
  assert.deepEqual(providedModules(undefined, undefined), []);
});
