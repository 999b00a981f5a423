/** The import scanner reads imports from bytecode with the distribution's interpreter; the report finds what nothing packed satisfies. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { scanImports, scanModules } from '../../src/analysis/import-scan.js';
import { interpreterModules } from '../../src/analysis/interpreter-modules.js';
import { absoluteName, firstMissing, formatMissing, formatMissingMetadata, isOtherPlatformModule, isTestModule, missingImports, missingMetadata } from '../../src/analysis/unresolved.js';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { packageRoot } from '../../src/util/paths.js';

const SOURCE = `
import sys
try:
    import yaml
except ImportError:
    yaml = None
try:
    from foo import bar
except (KeyError, ModuleNotFoundError):
    pass
try:
    import zzz
except KeyError:
    pass
from . import sib
from ..up import thing
try:
    with open('x') as f:
        import inwith
except Exception:
    pass
try:
    try:
        import nested
    except KeyError:
        pass
except ImportError:
    pass
try:
    import bare
except:
    pass
def f():
    import lazy
class C:
    import inclass
`;

test('imports come with level, fromlist, whether an ImportError handler guards them and whether they run at import', async () => {
  const dist = await resolveHostDistribution();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
  // Marshalled code made by the same interpreter, as the bytecode compiler makes it.
  const code = execFileSync(dist.python, ['-I', '-S', '-c', 'import marshal, sys; sys.stdout.buffer.write(marshal.dumps(compile("import a.b as c\\nfrom d import (e)", "m.py", "exec")))']);
  const inputs = [{ source: Buffer.from(SOURCE), filename: 'pkg/mod.py' }, { code }];
  const [mod, compiled] = await scanImports(dist, cache, inputs);
  const row = (name: string) => mod.find((r) => r.name === name);
  assert.deepEqual(row('sys'), { name: 'sys', level: 0, fromlist: null, optional: false, toplevel: true });
  assert.equal(row('yaml')!.optional, true);
  assert.deepEqual(row('foo'), { name: 'foo', level: 0, fromlist: ['bar'], optional: true, toplevel: true });
  assert.equal(row('zzz')!.optional, false, 'except KeyError does not make an import optional');
  assert.deepEqual(row(''), { name: '', level: 1, fromlist: ['sib'], optional: false, toplevel: true });
  assert.equal(row('up')!.level, 2);
  assert.equal(row('inwith')!.optional, true, 'a with block inside the try');
  assert.equal(row('nested')!.optional, true, 'an outer try catching ImportError');
  assert.equal(row('bare')!.optional, true, 'a bare except');
  assert.deepEqual([row('lazy')!.toplevel, row('inclass')!.toplevel], [false, true]);
  assert.deepEqual(compiled.map((r) => [r.name, r.fromlist]), [['a.b', null], ['d', ['e']]]);

  // A second scan of the same contents comes from the cache: no interpreter is started.
  const again = await scanImports({ ...dist, python: '/nonexistent/python3' }, cache, inputs);
  assert.deepEqual(again, [mod, compiled]);
});

// Every import named dead_* is in code that never runs when the program does; every live_* import may run.
const BRANCHES = `
import sys, os, six, typing as t
from typing import TYPE_CHECKING
from sys import version_info as vi
PY2 = sys.version_info[0] == 2
if t.TYPE_CHECKING:
    import dead_a1
if TYPE_CHECKING:
    import dead_a2
else:
    import live_b2
if not TYPE_CHECKING:
    import live_b3
if sys.version_info < (3,):
    import dead_a4
if sys.version_info[0] == 2:
    import dead_a5
if sys.platform == "win32":
    import dead_a6
elif sys.platform.startswith("linux"):
    import live_linux
else:
    import dead_a6b
for x in y:
    if TYPE_CHECKING:
        import dead_a7
if (3, 8) <= sys.version_info[:2]:
    import live_a8
else:
    import dead_a8
if os.name == "nt": import dead_a9
if six.PY2: import dead_a10
if vi >= (3, 9): import live_a11
if PY2:
    import dead_a12
    def f():
        import dead_a13
else:
    import live_a12
if TYPE_CHECKING or something:
    import live_maybe
def g(sys):
    if sys.platform == "win32":
        import live_param
def h():
    import sys
    if sys.platform == "win32":
        import dead_a14
    try:
        import live_tryimp
    except ImportError:
        if sys.version_info < (3,):
            import dead_a15
        import live_fallback
class C:
    if TYPE_CHECKING:
        import dead_a16
    import live_class
def k():
    if t.TYPE_CHECKING:
        from dead_typing_extensions import Literal
    import live_k
while True:
    if sys.version_info >= (3,):
        break
    import dead_a17
import live_end
`;

test('imports in branches that never run are not reported: TYPE_CHECKING, version and platform checks, code after them', async () => {
  const host = await resolveHostDistribution();
  // The host's interpreter, and the other CPython versions this machine has (each with its own opcodes).
  const others = ['3.10.13', '3.12.1', '3.13.0'].map((v) => `/root/.pyenv/versions/${v}/bin/python`).filter((p) => existsSync(p));
  for (const python of [host.python, ...others]) {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
    const [mod] = await scanImports({ ...host, python, magic: `test-${path.basename(path.dirname(path.dirname(python)))}` }, cache, [{ source: Buffer.from(BRANCHES), filename: 'm.py' }]);
    const names = mod.map((r) => r.name);
    assert.deepEqual(names.filter((n) => n.startsWith('dead')), [], `${python}: nothing dead is reported`);
    const live = [...BRANCHES.matchAll(/import (live_\w+)/g)].map((m) => m[1]);
    assert.deepEqual(live.filter((n) => !names.includes(n)), [], `${python}: every import that may run is reported`);
  }
});

test("the cache index belongs to the scanner's own version: an index an older import_scan.py left is never read", async () => {
  const dist = await resolveHostDistribution();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
  const inputs = [{ source: Buffer.from('import json\n'), filename: 'm.py' }];
  await scanImports(dist, cache, inputs);
  const digest = createHash('sha256').update(readFileSync(path.join(packageRoot, 'src/analysis/import_scan.py'))).digest('hex').slice(0, 16);
  const written = readdirSync(path.join(cache, 'imports'));
  assert.deepEqual(written, [`${dist.magic}-${digest}.index`]);
  // The same answers under another scanner's name, in a new cache: the scan must run the interpreter again.
  const other = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
  mkdirSync(path.join(other, 'imports'));
  copyFileSync(path.join(cache, 'imports', written[0]), path.join(other, 'imports', `${dist.magic}-0123456789abcdef.index`));
  await assert.rejects(scanImports({ ...dist, python: '/nonexistent/python3' }, other, inputs));
  // Under its own name it answers without an interpreter.
  const third = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
  mkdirSync(path.join(third, 'imports'));
  copyFileSync(path.join(cache, 'imports', written[0]), path.join(third, 'imports', written[0]));
  assert.equal((await scanImports({ ...dist, python: '/nonexistent/python3' }, third, inputs))[0][0].name, 'json');
});

test('the interpreter lists its builtin, frozen and start-up modules', async () => {
  const m = await interpreterModules(await resolveHostDistribution());
  assert.ok(m.builtin.has('sys') && m.builtin.has('posix'));
  assert.ok(m.startup.includes('encodings') && m.startup.includes('codecs'));
  assert.ok(!m.startup.includes('json'), 'nothing beyond start-up is imported by the probe');
  assert.ok(m.stdlib.has('json') && m.stdlib.has('os'));
});

test('relative names resolve against the importing package', () => {
  assert.equal(absoluteName('a.b.c', false, { name: 'd', level: 1 }), 'a.b.d');
  assert.equal(absoluteName('a.b', true, { name: 'd', level: 1 }), 'a.b.d');
  assert.equal(absoluteName('a.b.c', false, { name: '', level: 2 }), 'a');
  assert.equal(absoluteName('a', false, { name: 'x', level: 1 }), undefined);
  assert.equal(absoluteName('a', false, { name: 'x.y', level: 0 }), 'x.y');
});

test('the first missing part of a name; nothing below a plain module', () => {
  const has = (n: string) => ['app', 'app.cli', 'os'].includes(n);
  const pkg = (n: string) => n === 'app';
  assert.equal(firstMissing('yaml.loader', has, pkg), 'yaml');
  assert.equal(firstMissing('app.missing.x', has, pkg), 'app.missing');
  assert.equal(firstMissing('app.cli', has, pkg), undefined);
  assert.equal(firstMissing('os.path', has, pkg), undefined, 'os provides os.path itself');
});

test('missing imports are grouped by module, required apart from optional, and capped', () => {
  const imp = (name: string, optional = false) => ({ name, level: 0, fromlist: null, optional, toplevel: true });
  const modules = [
    { name: 'app.cli', isPackage: false, imports: [imp('yaml'), imp('json'), imp('ujson', true)] },
    { name: 'app.config', isPackage: false, imports: [imp('yaml', true), { name: 'json', level: 0, fromlist: ['loads'], optional: false, toplevel: false }] },
    { name: 'app', isPackage: true, imports: [{ name: 'gone', level: 1, fromlist: null, optional: false, toplevel: true }] },
  ];
  const has = (n: string) => ['app', 'app.cli', 'app.config', 'json'].includes(n);
  const missing = missingImports(modules, has, (n) => n === 'app');
  assert.deepEqual(missing, [
    { missing: 'yaml', importers: ['app.cli', 'app.config'], optional: false, atImport: true, testsOnly: false },
    { missing: 'app.gone', importers: ['app'], optional: false, atImport: true, testsOnly: false },
    { missing: 'ujson', importers: ['app.cli'], optional: true, atImport: false, testsOnly: false },
  ]);
  assert.deepEqual(formatMissing(missing), [
    '2 imports cannot be satisfied by what is packed:',
    '  app.cli, app.config import yaml, which is not packed',
    '  app imports app.gone, which is not packed',
    '1 optional import (inside try/except ImportError) not packed:',
    '  app.cli imports ujson, which is not packed',
  ]);
  const many = Array.from({ length: 14 }, (_, i) => ({ missing: `m${String(i).padStart(2, '0')}`, importers: ['a', 'b', 'c', 'd', 'e'], optional: false, atImport: true, testsOnly: false }));
  const lines = formatMissing(many, 10, 3);
  assert.equal(lines.length, 12);
  assert.equal(lines[1], '  a, b, c and 2 more import m00, which is not packed');
  assert.equal(lines[11], '  ... and 4 more (--verbose lists them all)');
});

test('the import that breaks the program comes first, not the alphabet: at import time, by more modules', () => {
  // urllib3 packed without six: 22 modules import six unconditionally at top level; Python 2 and
  // Windows names come from single modules, inside functions, or under try/except ImportError.
  const imp = (name: string, optional = false, toplevel = true) => ({ name, level: 0, fromlist: null, optional, toplevel });
  const modules = [
    ...Array.from({ length: 22 }, (_, i) => ({ name: `urllib3.m${String(i).padStart(2, '0')}`, isPackage: false, imports: [imp('six')] })),
    { name: 'urllib3.contrib.pyopenssl', isPackage: false, imports: [imp('OpenSSL'), imp('OpenSSL.SSL')] },
    { name: 'urllib3.util.queue', isPackage: false, imports: [imp('Queue', false, false)] },
    { name: 'urllib3.util.wait', isPackage: false, imports: [imp('dummy_threading'), imp('htmlentitydefs', false, false), imp('sets', false, false)] },
    { name: 'urllib3.contrib.ntlm', isPackage: false, imports: [imp('msvcrt', false, false), imp('ntlm'), imp('brotli', true)] },
    { name: 'urllib3.contrib.socks', isPackage: false, imports: [imp('socks'), imp('brotli', true)] },
    { name: 'urllib3.a', isPackage: false, imports: [imp('aaa', false, false), imp('abc_missing'), imp('ab2')] },
    { name: 'urllib3.b', isPackage: false, imports: [imp('ab3'), imp('ab4'), imp('ab5')] },
  ];
  const has = (n: string) => n === 'urllib3' || n.startsWith('urllib3.');
  const missing = missingImports(modules, has, (n) => n === 'urllib3');
  assert.equal(missing.length, 16);
  assert.deepEqual(missing[0], { missing: 'six', importers: modules.slice(0, 22).map((m) => m.name), optional: false, atImport: true, testsOnly: false });
  // At import time before inside functions; optional last.
  assert.deepEqual(missing.map((m) => m.missing), [
    'six', 'OpenSSL', 'ab2', 'ab3', 'ab4', 'ab5', 'abc_missing', 'dummy_threading', 'ntlm', 'socks',
    'Queue', 'aaa', 'htmlentitydefs', 'msvcrt', 'sets', 'brotli',
  ]);
  const lines = formatMissing([...missing].reverse(), 10, 3);
  assert.equal(lines[0], '15 imports cannot be satisfied by what is packed:');
  assert.equal(lines[1], '  urllib3.m00, urllib3.m01, urllib3.m02 and 19 more import six, which is not packed', 'six is not hidden by the cap');
  assert.equal(lines[11], '  ... and 5 more (--verbose lists them all)');
  assert.deepEqual(formatMissing(missing, Infinity).filter((l) => l.includes('(in a function)')), [
    '  urllib3.util.queue imports Queue (in a function), which is not packed',
    '  urllib3.a imports aaa (in a function), which is not packed',
    '  urllib3.util.wait imports htmlentitydefs (in a function), which is not packed',
    '  urllib3.contrib.ntlm imports msvcrt (in a function), which is not packed',
    '  urllib3.util.wait imports sets (in a function), which is not packed',
  ]);
  // A pair the caller drops counts for nothing: neither as importer nor for severity.
  const kept = missingImports(modules, has, (n) => n === 'urllib3', (importer, m) => !(m === 'six' && importer !== 'urllib3.m00'));
  assert.deepEqual(kept.find((m) => m.missing === 'six')!.importers, ['urllib3.m00']);
});

test('what the program imports as it starts comes first, is marked, and is never hidden by the cap; other platforms are counted', () => {
  // A virtualenv build: pip's and setuptools' modules need 40 things, the program needs yaml.
  const imp = (name: string, toplevel = true) => ({ name, level: 0, fromlist: null, optional: false, toplevel });
  const modules = [
    ...Array.from({ length: 40 }, (_, i) => ({ name: `pip._vendor.m${String(i).padStart(2, '0')}`, isPackage: false, imports: [imp(`dep${i}`), imp('six')] })),
    { name: 'tabapp', isPackage: true, imports: [imp('tabapp.cli')] },
    { name: 'tabapp.cli', isPackage: false, imports: [imp('yaml'), imp('rich', false)] },
    { name: 'tabapp.unused', isPackage: false, imports: [imp('toml')] },
  ];
  const has = (n: string) => n === 'pip' || n === 'pip._vendor' || n.startsWith('pip._vendor.m') || n.startsWith('tabapp');
  const reached = new Set(['tabapp', 'tabapp.cli']);
  const missing = missingImports(modules, has, (n) => n === 'tabapp' || n === 'pip' || n === 'pip._vendor', { reached });
  assert.deepEqual(missing.slice(0, 3).map((m) => [m.missing, m.reached, m.atStart]), [['yaml', true, true], ['rich', true, undefined], ['six', undefined, undefined]]);
  const lines = formatMissing([...missing].reverse(), 1, 3);
  assert.deepEqual(lines.slice(0, 4), [
    '44 imports cannot be satisfied by what is packed:',
    '  tabapp.cli imports yaml, which is not packed: the program stops with ModuleNotFoundError as it starts',
    '  tabapp.cli imports rich (in a function of a module the program loads as it starts), which is not packed',
    '  ... and 42 more (--verbose lists them all)',
  ]);
  // Other platforms' modules: one line, and only a count of what they are.
  const other = missingImports([{ name: 'app', isPackage: false, imports: [imp('winreg'), imp('_scproxy', false)] }], () => false, () => false);
  assert.ok(other.every((m) => isOtherPlatformModule(m.missing)) && !isOtherPlatformModule('yaml'));
  assert.deepEqual(formatMissing([], 10, 3, other), ['2 modules of Windows or macOS only (_scproxy, winreg) imported and not needed here: not reported']);
});

test("a package's own module it imports under try/except ImportError somewhere is optional to it everywhere", () => {
  // sqlalchemy 1.4 without its C extensions: row.py tries the import; result.py imports under a flag row.py set.
  const imp = (name: string, optional = false) => ({ name, level: 0, fromlist: ['x'], optional, toplevel: true });
  const modules = [
    { name: 'sqlalchemy.engine.row', isPackage: false, imports: [imp('sqlalchemy.cresultproxy', true)] },
    { name: 'sqlalchemy.engine.result', isPackage: false, imports: [imp('sqlalchemy.cresultproxy'), imp('sqlalchemy.cother')] },
    { name: 'app', isPackage: false, imports: [imp('sqlalchemy.cexternal')] },
    { name: 'sqlalchemy.util', isPackage: false, imports: [imp('sqlalchemy.cexternal', true)] },
  ];
  const has = (n: string) => n === 'sqlalchemy' || n === 'sqlalchemy.engine' || n.startsWith('sqlalchemy.engine.') || n === 'sqlalchemy.util' || n === 'app';
  const missing = missingImports(modules, has, (n) => n === 'sqlalchemy' || n === 'sqlalchemy.engine', { reached: new Set(['app', 'sqlalchemy.engine.result']) });
  assert.deepEqual(missing.map((m) => [m.missing, m.optional, m.atStart]), [
    ['sqlalchemy.cexternal', false, true], ['sqlalchemy.cother', false, true], ['sqlalchemy.cresultproxy', true, undefined],
  ], 'required by a module outside the package, or never tried: still required');
});

const FALLBACKS = `
try:
    import importlib.metadata as importlib_metadata
except ImportError:
    import importlib_metadata
__version__ = importlib_metadata.version("wadllib")
try:
    from importlib.metadata import version, PackageNotFoundError
    v1 = version("guarded-pkg")
except PackageNotFoundError:
    v1 = None
try:
    import queue
except KeyError:
    import in_keyerror_handler
except (OSError, ImportError) as e:
    import Queue as queue
except:
    import in_bare_handler
import importlib.metadata as m
import pkg_resources
m.Distribution.from_name("q")
pkg_resources.require("Flask>=1.0")
from importlib import metadata
def f():
    return metadata.metadata("in-function")["Version"], importlib.metadata.version("via_importlib"), other.version("not-metadata")
`;

test('an import in the handler of an except ImportError is a fallback, reported as optional; metadata read by a literal name is found', async () => {
  const dist = await resolveHostDistribution();
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-scan-'));
  const [scan] = await scanModules(dist, cache, [{ source: Buffer.from(FALLBACKS), filename: 'pkg/mod.py' }]);
  const flags = (name: string) => {
    const r = scan.imports.find((i) => i.name === name)!;
    return [r.optional, r.fallback === true];
  };
  assert.deepEqual(flags('importlib_metadata'), [false, true], 'the Python 2 / backport fallback');
  assert.deepEqual(flags('Queue'), [false, true], 'a clause catching ImportError among others');
  assert.deepEqual(flags('in_bare_handler'), [false, true]);
  assert.deepEqual(flags('in_keyerror_handler'), [false, false]);
  assert.deepEqual(flags('queue'), [true, false]);
  // The report counts a fallback as optional.
  const missing = missingImports([{ name: 'pkg.mod', isPackage: false, imports: scan.imports }], (n) => n !== 'Queue' && n !== 'importlib_metadata', () => true);
  assert.deepEqual(missing.map((m) => [m.missing, m.optional]), [['Queue', true], ['importlib_metadata', true]]);
  assert.deepEqual(scan.metadataLookups.map((l) => [l.name, l.function, l.optional, l.toplevel]), [
    ['wadllib', 'importlib_metadata.version', false, true],
    ['guarded-pkg', 'importlib.metadata.version', true, true],
    ['q', 'importlib.metadata.Distribution.from_name', false, true],
    ['Flask', 'pkg_resources.require', false, true],
    ['in-function', 'importlib.metadata.metadata', false, false],
    ['via_importlib', 'importlib.metadata.version', false, false],
  ]);
});

test('metadata read by name and not packed, by normalized project name; guarded reads left out', () => {
  const lookup = (name: string, optional = false, toplevel = true) => ({ name, function: 'importlib.metadata.version', optional, toplevel });
  const modules = [
    { name: 'wadllib', metadataLookups: [lookup('wadllib'), lookup('maybe', true)] },
    { name: 'app.cli', metadataLookups: [lookup('Flask'), lookup('My.App', false, false)] },
    { name: 'app.web', metadataLookups: [lookup('flask')] },
  ];
  const missing = missingMetadata(modules, new Set(['my_app']));
  assert.deepEqual(missing, [
    { distribution: 'Flask', readers: ['app.cli', 'app.web'], functions: ['importlib.metadata.version'], atImport: true },
    { distribution: 'wadllib', readers: ['wadllib'], functions: ['importlib.metadata.version'], atImport: true },
  ]);
  assert.deepEqual(formatMissingMetadata(missing), [
    '2 distributions read by name with no metadata packed (PackageNotFoundError at run time):',
    '  app.cli, app.web read importlib.metadata.version("Flask"), which has no *.dist-info or *.egg-info packed',
    '  wadllib reads importlib.metadata.version("wadllib"), which has no *.dist-info or *.egg-info packed',
  ]);
  assert.deepEqual(formatMissingMetadata([]), []);
});

test("imports made only by a package's own test modules come after the application's", () => {
  const imp = (name: string) => ({ name, level: 0, fromlist: null, optional: false, toplevel: true });
  const modules = [
    { name: 'lazr.restfulclient.tests.test_docs', isPackage: false, imports: [imp('testtools'), imp('wsgi_intercept'), imp('httplib2')] },
    { name: 'lazr.restfulclient.tests.test_oauth', isPackage: false, imports: [imp('testtools'), imp('fixtures')] },
    { name: 'pkg.conftest', isPackage: false, imports: [imp('pytest')] },
    { name: 'pkg.util_test', isPackage: false, imports: [imp('hypothesis')] },
    { name: 'lazr.restfulclient._browser', isPackage: false, imports: [imp('httplib2')] },
    { name: 'lazr.restfulclient.authorize.oauth', isPackage: false, imports: [imp('oauthlib')] },
  ];
  const missing = missingImports(modules, (n) => n === 'lazr' || n.startsWith('lazr.') || n === 'pkg' || n.startsWith('pkg.'), () => true);
  assert.deepEqual(missing.map((m) => [m.missing, m.testsOnly]), [
    ['httplib2', false], ['oauthlib', false], ['testtools', true], ['fixtures', true], ['hypothesis', true], ['pytest', true], ['wsgi_intercept', true],
  ]);
  assert.equal(formatMissing(missing)[3], '  lazr.restfulclient.tests.test_docs, lazr.restfulclient.tests.test_oauth import testtools (tests only), which is not packed');
  assert.ok(isTestModule('a.tests') && isTestModule('a.test_x') && isTestModule('x_test') && isTestModule('conftest') && isTestModule('pkg.testing.util'));
  assert.ok(!isTestModule('attest') && !isTestModule('pytest_plugin.core') && !isTestModule('latest'));
});
