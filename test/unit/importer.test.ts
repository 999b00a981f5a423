/**
 * The importer, run under the plain interpreter against payloads the
 * TypeScript writer wrote (test/helpers/importer-harness.ts): its split by
 * job, tracebacks and warnings during import, resources and metadata through
 * payload modules. Seconds, no executable built.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { projectDir, repoRoot } from '../helpers/cli.js';
import { hostDistribution, runHarness, runHarnessModule, writeHarnessPayload, type Harness } from '../helpers/importer-harness.js';

const APP = {
  'src/app/__init__.py': 'VALUE = "app"\n',
  'src/app/bad.py': 'x = 1\n\n\ndef f():\n    raise ValueError("boom")\n\n\nf()\n',
  'src/app/imports_bad.py': 'import app.bad\n',
  'src/app/warner.py': 'import warnings\n\nwarnings.warn("careful", stacklevel=2)\n',
  'src/app/uses_warner.py': 'X = 1\nimport app.warner\n',
  'src/app/main.py': 'def fail():\n    raise KeyError("main")\n\n\nfail()\n',
  'src/app/data/words.txt': 'alpha beta\n',
  'src/app-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: app\nVersion: 1.0\n',
};

let dir: string;
let h: Harness;

before(async () => {
  dir = projectDir(APP, 'oxidize-importer-');
  h = await writeHarnessPayload(path.join(dir, 'src'));
});

/** Runs `code` with python3 straight from the source tree, for comparison. */
async function plain(code: string) {
  const dist = await hostDistribution();
  return spawnSync(dist.python, ['-c', code], { cwd: path.join(dir, 'src'), encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

test('the bootstrap finder imports only builtin modules; the rest are payload modules', async () => {
  const dist = await hostDistribution();
  const check = `
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
top = [a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names] + [n.module for n in tree.body if isinstance(n, ast.ImportFrom)]
builtin = set(sys.builtin_module_names) | {"_oxidize"}  # the runtime's own builtin module
payload = set(sys.argv[2].split(","))
print("bad-top", [m for m in top if m not in builtin])
print("bad-any", [m for m in names if m not in builtin and m not in payload])
`;
  const payloadModules = '_oxidize_resources,_oxidize_metadata,_oxidize_startup,_oxidize_pkg_resources,_oxidize_ctypes,_oxidize_files,_oxidize_ssl';
  const r = spawnSync(dist.python, ['-c', check, path.join(repoRoot, 'runtime-rust/python/_oxidize_importer.py'), payloadModules], { encoding: 'utf8' });
  assert.equal(r.stdout, 'bad-top []\nbad-any []\n', r.stderr);
  // At run time too: what the bootstrap brought in is builtin, and its helpers come through the finder.
  const probe = runHarness(h, `
import sys, importlib.resources, importlib.metadata
import _oxidize_importer as b
importlib.resources.files("app").joinpath("data/words.txt").read_text()
importlib.metadata.version("app")
for name in ("_oxidize_resources", "_oxidize_metadata", "_oxidize_startup"):
    assert sys.modules[name].__spec__.loader is b.FINDER, name
print("ok")
`);
  assert.equal(probe.stdout, 'ok\n', probe.stderr);
});

test('an exception raised while a module is imported shows the frames python3 shows', async () => {
  const code = 'import app.imports_bad';
  const mine = runHarness(h, code);
  const theirs = await plain(code);
  assert.equal(mine.code, 1);
  // From the code's own frame on, the tracebacks are equal apart from the
  // root of file names (the source tree's, the executable's path).
  const tail = (s: string, root: string) => s.slice(s.indexOf('  File "<string>"')).split(`${root}/`).join('');
  assert.equal(tail(mine.stderr, h.exe), tail(theirs.stderr, path.join(dir, 'src')));
  assert.ok(mine.stderr.includes(`File "${h.exe}/app/bad.py", line 5, in f\n    raise ValueError("boom")`), mine.stderr);
  assert.doesNotMatch(mine.stderr, /_oxidize_importer|importlib\._bootstrap/);
});

test('an ImportError from a module in the payload carries no importer frames', () => {
  const r = runHarness(h, 'import app.bad_name_that_is_missing');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ModuleNotFoundError: No module named 'app\.bad_name_that_is_missing'/);
  assert.doesNotMatch(r.stderr, /_oxidize_importer|importlib\._bootstrap/);
});

test('a warning with stacklevel=2 raised during an import points at the importing line', async () => {
  const code = 'import app.uses_warner';
  const mine = runHarness(h, code);
  const theirs = await plain(code);
  assert.equal(mine.code, 0, mine.stderr);
  assert.match(theirs.stderr, /app\/uses_warner\.py:2: UserWarning: careful/);
  assert.ok(mine.stderr.startsWith(`${h.exe}/app/uses_warner.py:2: UserWarning: careful`), mine.stderr);
});

test('importlib.resources and importlib.metadata answer from the payload', async () => {
  const r = runHarness(h, `
import importlib.resources, importlib.metadata, app, _oxidize
print(importlib.resources.files("app").joinpath("data/words.txt").read_text().strip())
print(importlib.metadata.version("app"))
print(type(app.__spec__.loader).__name__, app.__spec__.origin == app.__file__ == _oxidize.exe + "/app/__init__.py")
`);
  assert.equal(r.stdout, "alpha beta\n1.0\nOxidizedFinder True\n", r.stderr);
  // files() lists what python3's lists: the package's data and its modules' sources, which read as their files do.
  const listing = `
import importlib.resources, importlib.util
root = importlib.resources.files("app")
names = sorted(p.name for p in root.iterdir() if p.name != "__pycache__")
import pkgutil
assert pkgutil.get_data("app", "main.py") == (root / "main.py").read_bytes(), "get_data of a module's source"
assert pkgutil.get_data("app", "__init__.py") == (root / "__init__.py").read_bytes()
print(names, all((root / n).is_file() for n in names if n.endswith(".py")), (root / "main.py").read_text() == importlib.util.find_spec("app.main").loader.get_source("app.main"))
`;
  const mine = runHarness(h, listing);
  const theirs = await plain(listing);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.match(theirs.stdout, /'__init__\.py'.*'data'.*'main\.py'.* True True/);
  assert.equal(mine.stdout, theirs.stdout, mine.stderr);
});

test('the traceback of the run module shows its source lines', () => {
  const r = runHarnessModule(h, 'app.main');
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`File "${h.exe}/app/main.py", line 5, in <module>\n    fail()\n`), r.stderr);
  assert.ok(r.stderr.includes(`File "${h.exe}/app/main.py", line 2, in fail\n    raise KeyError("main")\n`), r.stderr);
});

test('__cached__ of in-memory modules is what importlib makes of their __file__, with -O and a pycache prefix too', () => {
  const code = `
import importlib.util, sys, warnings
from importlib._bootstrap_external import cache_from_source
warnings.simplefilter("ignore")
import app, app.warner
for spec in (app.__spec__, app.warner.__spec__, importlib.util.find_spec("app.uses_warner")):
    print(spec.cached == cache_from_source(spec.origin), spec.cached.endswith(".pyc"))
print(app.__cached__ == app.__spec__.cached, app.warner.__cached__ == app.warner.__spec__.cached)
`;
  const expected = 'True True\n'.repeat(3) + 'True True\n';
  for (const env of [{}, { PYTHONOPTIMIZE: '1' }, { PYTHONPYCACHEPREFIX: path.join(dir, 'pycache') }]) {
    const r = runHarness(h, code, [], env);
    assert.equal(r.stdout, expected, `${JSON.stringify(env)}: ${r.stderr}`);
  }
});

test('inMemoryModuleFile: false leaves in-memory modules without __file__', async () => {
  const off = await writeHarnessPayload(path.join(projectDir(APP, 'oxidize-importer-nofile-'), 'src'), { config: { inMemoryModuleFile: false } });
  const r = runHarness(off, `
import app
print(hasattr(app, "__file__"), app.__spec__.origin)
try:
    app.__spec__.loader.get_filename("app")
except ImportError as e:
    print("ImportError")
`);
  assert.equal(r.stdout, 'False None\nImportError\n', r.stderr);
});

test('the payload is readable as files under the executable path, read-only', () => {
  const r = runHarness(h, `
import errno, glob, io, linecache, os, pathlib, app
root = os.path.dirname(app.__file__)
print(open(os.path.join(root, "data", "words.txt")).read().strip())
with io.open(os.path.join(root, "data", "words.txt"), "rb") as f:
    print(f.read())
print(sorted(os.listdir(root))[:3], os.path.isdir(root), os.path.isfile(app.__file__), os.path.exists(root + "/nope"))
print(sorted(e.name for e in os.scandir(root) if e.is_dir()), os.path.getsize(os.path.join(root, "data", "words.txt")))
print([sorted(files) for d, dirs, files in os.walk(root) if d.endswith("data")])
print(sorted(os.path.basename(p) for p in glob.glob(root + "/*.py"))[:2])
p = pathlib.Path(root)
print(p.is_dir(), (p / "data" / "words.txt").read_text().strip(), sorted(x.name for x in (p / "data").iterdir()), [x.name for x in p.glob("data/*.txt")])
print(os.access(app.__file__, os.R_OK), os.access(app.__file__, os.W_OK))
print(linecache.getline(app.__file__, 1).strip())
for attempt in (lambda: open(app.__file__, "w"), lambda: open(root + "/new.txt", "a"), lambda: open(app.__file__, "r+b")):
    try:
        attempt()
    except OSError as e:
        print(e.errno == errno.EROFS, e.filename == app.__file__ or e.filename.endswith("new.txt"))
print(os.path.isdir(os.path.dirname(root)), os.path.isfile(os.path.dirname(root)))
`);
  assert.equal(
    r.stdout,
    [
      'alpha beta',
      "b'alpha beta\\n'",
      "['__init__.py', 'bad.py', 'data'] True True False",
      "['data'] 11",
      "[['words.txt']]",
      "['__init__.py', 'bad.py']",
      "True alpha beta ['words.txt'] ['words.txt']",
      'True False',
      'VALUE = "app"',
      'True True',
      'True True',
      'True True',
      // The executable itself stays the file it is.
      'False True',
      '',
    ].join('\n'),
    r.stderr,
  );
});

test('directories of the file view that only resources create are listed in their parents', async () => {
  const deep = await writeHarnessPayload(path.join(projectDir({ 'src/pkg/__init__.py': '', 'src/pkg/a/b/c.txt': 'c\n' }, 'oxidize-importer-deep-'), 'src'));
  const r = runHarness(deep, 'import os, pkg; d = os.path.dirname(pkg.__file__); print(os.listdir(d), os.listdir(d + "/a"), [x for x in os.walk(d)][-1][2])');
  assert.equal(r.stdout, "['__init__.py', 'a'] ['b'] ['c.txt']\n", r.stderr);
});

test('a namespace package over two distributions, in memory and on the filesystem', async () => {
  const files = {
    'src/oxns/one.py': 'WHO = "one"\n',
    'src/oxns/inner/deep.py': 'WHO = "deep"\n',
    'src/oxns/two.py': 'WHO = "two"\n',
    'src/oxns_one-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: oxns-one\nVersion: 1.0\n',
    'src/oxns_two-2.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: oxns-two\nVersion: 2.0\n',
  };
  const root = projectDir(files, 'oxidize-importer-ns-');
  const ns = await writeHarnessPayload(path.join(root, 'src'), { locations: { 'oxns.two': 'filesystem-relative:lib' } });
  const r = runHarness(ns, `
import importlib.metadata, importlib.resources, pkgutil, oxns, oxns.one, oxns.two, oxns.inner.deep
print(oxns.__file__, oxns.one.WHO, oxns.two.WHO, oxns.inner.deep.WHO)
print(sorted(m.name for m in pkgutil.iter_modules(oxns.__path__)))
print(sorted(p.name for p in importlib.resources.files("oxns").iterdir() if p.name.endswith(".py")))
print(importlib.metadata.version("oxns-one"), importlib.metadata.version("oxns-two"))
print(oxns.two.__file__.startswith(${JSON.stringify(root)}), len(list(oxns.__path__)))
`);
  // As python3's: pkgutil lists no namespace package (oxns.inner) among modules.
  assert.equal(r.stdout, "None one two deep\n['one', 'two']\n['one.py', 'two.py']\n1.0 2.0\nTrue 2\n", r.stderr);
});

test('with the filesystem importer, a namespace directory on disk inside a packed package is found', async () => {
  const root = projectDir({ 'src/diskpkg/__init__.py': 'X = 1\n' }, 'oxidize-importer-disk-ns-');
  const disk = await writeHarnessPayload(path.join(root, 'src'), { locations: { diskpkg: 'filesystem-relative:lib' } });
  // Not packed: put on disk next to the executable after the build.
  mkdirSync(path.join(root, 'lib/diskpkg/plugins'), { recursive: true });
  writeFileSync(path.join(root, 'lib/diskpkg/plugins/extra.py'), 'Y = 2\n');
  const r = runHarness(disk, 'import diskpkg.plugins.extra as e, diskpkg; print(e.Y, diskpkg.X, type(diskpkg.__spec__.loader).__name__)');
  assert.equal(r.stdout, '2 1 OxidizedFinder\n', r.stderr);
});

test('plain directories inside a package import as namespace portions, data-only ones too, in memory and on the filesystem', async () => {
  const files = {
    'src/nspkg/__init__.py': '',
    'src/nspkg/data/mod.py': 'WHO = "mod"\n',
    'src/nspkg/data/deeper/leaf.py': 'WHO = "leaf"\n',
    'src/nspkg/data/regular/__init__.py': 'WHO = "regular"\n',
    'src/nspkg/blobs/only.txt': 'only data\n',
    'src/nspkg/tree/portion/foo/one.py': 'WHO = "one"\n',
  };
  const code = `
import importlib.resources, os, sys, nspkg
import nspkg.data.mod as m, nspkg.data.deeper.leaf as l, nspkg.data.regular as r, nspkg.blobs as b
root = os.path.dirname(nspkg.__file__)
print(m.WHO, l.WHO, r.WHO, os.path.relpath(m.__file__, root), [os.path.relpath(p, root) for p in nspkg.data.__path__])
print([os.path.relpath(p, root) for p in b.__path__], importlib.resources.files(b).joinpath("only.txt").read_text().strip())
if len(sys.argv) > 1:
    # A directory of the package put on sys.path (searched with the filesystem importer): its contents import by their own names.
    sys.path.insert(0, os.path.join(root, "tree", "portion"))
    import foo.one
    print(foo.one.WHO, [os.path.relpath(p, root) for p in foo.__path__], os.path.relpath(foo.one.__file__, root))
`;
  const expected = "mod leaf regular data/mod.py ['data']\n['blobs'] only data\n";
  const onPath = "one ['tree/portion/foo'] tree/portion/foo/one.py\n";
  for (const [label, options, args] of [
    ['in memory', {}, ['sys.path']],
    ['in memory, no filesystem importer', { config: { filesystemImporter: false } }, []],
    ['on the filesystem', { location: 'filesystem-relative:lib' }, ['sys.path']],
  ] as const) {
    const h = await writeHarnessPayload(path.join(projectDir(files, 'oxidize-importer-nested-ns-'), 'src'), options);
    const r = runHarness(h, code, args);
    assert.equal(r.stdout, expected + (args.length ? onPath : ''), `${label}: ${r.stderr}`);
  }
});

test('a zip file in memory put on sys.path imports through zipimport (io.open_code reads the file view)', async () => {
  const root = projectDir({ 'src/zpkg/__init__.py': '' }, 'oxidize-importer-zip-');
  const dist = await hostDistribution();
  const made = spawnSync(dist.python, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("zmod.py", "WHO = \'zipped\'\\n")', path.join(root, 'src/zpkg/lib.zip')], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const h = await writeHarnessPayload(path.join(root, 'src'));
  const r = runHarness(h, `
import io, os, sys, zpkg
archive = os.path.join(os.path.dirname(zpkg.__file__), "lib.zip")
sys.path.insert(0, archive)
import zmod
print(zmod.WHO, zmod.__file__ == os.path.join(archive, "zmod.py"), io.open_code(archive).read(2))
`);
  assert.equal(r.stdout, "zipped True b'PK'\n", r.stderr);
});

test('a directory of the payload put on sys.path (a vendored one) imports without the filesystem importer, as python3 does', async () => {
  const files = {
    'src/app/__init__.py': 'import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "vendor"))\n',
    'src/app/vendor/vmod.py': 'X = "vmod"\n',
    'src/app/vendor/vpkg/__init__.py': '',
    'src/app/vendor/vpkg/sub.py': 'Y = "sub"\n',
    'src/app/vendor/nsp/part.py': 'Z = "part"\n',
  };
  const code = `
import os, sys, app
import vmod, vpkg.sub, nsp.part
root = os.path.dirname(app.__file__)
print(vmod.X, vpkg.sub.Y, nsp.part.Z, os.path.relpath(vmod.__file__, root), os.path.relpath(vpkg.sub.__file__, root))
print(vmod is not sys.modules.get("app.vendor.vmod"), vpkg.__spec__.name, vpkg.sub.__spec__.name)
sys.path.append(os.path.join(root, "lib.zip"))
import zmod
print(zmod.WHO, os.path.relpath(zmod.__file__, root))
try:
    import absent_everywhere
except ModuleNotFoundError as e:
    print(e)
`;
  for (const [label, location] of [
    ['in memory', 'in-memory'],
    ['on the filesystem', 'filesystem-relative:lib'],
  ] as const) {
    const root = projectDir(files, 'oxidize-importer-vendor-');
    const dist = await hostDistribution();
    const made = spawnSync(dist.python, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("zmod.py", "WHO = \'zipped\'\\n")', path.join(root, 'src/app/lib.zip')], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const h = await writeHarnessPayload(path.join(root, 'src'), { location, config: { filesystemImporter: false } });
    const r = runHarness(h, code);
    assert.equal(
      r.stdout,
      "vmod sub part vendor/vmod.py vendor/vpkg/sub.py\nTrue vpkg vpkg.sub\nzipped lib.zip/zmod.py\nNo module named 'absent_everywhere'\n",
      `${label}: ${r.stderr}`,
    );
  }
});

test("a submodule is looked for in its parent's __path__, not by name, when the parent is an alias or changed its __path__", async () => {
  const files = {
    'src/shim/__init__.py': '',
    'src/shim/_impl/__init__.py': 'WHO = "impl"\n',
    'src/shim/_impl/core.py': 'WHO = "impl core"\n',
    'src/shim/_impl/command/__init__.py': '',
    'src/shim/_impl/command/build.py': 'WHO = "impl build"\n',
    'src/distutils/command/__init__.py': '',
    'src/distutils/command/build.py': 'WHO = "the standard library\'s build"\n',
    'src/distutils/__init__.py': '',
    'src/distutils/core.py': 'WHO = "the standard library\'s"\n',
    'src/plugs/__init__.py': 'import os\n__path__ = [os.path.join(os.path.dirname(__file__), "more")]\n',
    'src/plugs/more/extra.py': 'WHO = "extra"\n',
    'src/real/__init__.py': '',
    'src/real/decoder.py': 'WHO = "decoder"\n',
  };
  // setuptools' _distutils_hack puts setuptools._distutils in sys.modules as "distutils"; the
  // standard library's distutils.core must not answer for distutils.core then.
  const code = `
import importlib, real, sys
sys.modules["distutils"] = importlib.import_module("shim._impl")
import distutils.core, distutils.command.build
print(distutils.core.WHO, distutils.core.__name__, distutils.command.build.WHO)
fake = type(sys)("fakereal")
fake.__path__ = real.__path__
sys.modules["fakereal"] = fake
import fakereal.decoder
print(fakereal.decoder.__name__, fakereal.decoder.WHO)
import plugs.extra
print(plugs.extra.WHO)
import real.decoder
print(real.decoder.__name__, real.decoder is not fakereal.decoder)
`;
  for (const [label, location] of [
    ['in memory', 'in-memory'],
    ['on the filesystem', 'filesystem-relative:lib'],
  ] as const) {
    const h = await writeHarnessPayload(path.join(projectDir(files, 'oxidize-importer-alias-'), 'src'), { location, config: { filesystemImporter: false } });
    const r = runHarness(h, code);
    assert.equal(r.stdout, 'impl core distutils.core impl build\nfakereal.decoder decoder\nextra\nreal.decoder True\n', `${label}: ${r.stderr}`);
  }
});

test('os.open of a file of the view gives a read-only descriptor of its bytes; for writing, EROFS', () => {
  const r = runHarness(h, `
import errno, os, app
path = os.path.join(os.path.dirname(app.__file__), "data", "words.txt")
fd = os.open(path, os.O_RDONLY)
print(os.read(fd, 100), os.fstat(fd).st_size, os.get_inheritable(fd))
try:
    os.write(fd, b"x")
except OSError as e:
    print("write", errno.errorcode[e.errno])
os.close(fd)
for flags in (os.O_WRONLY, os.O_RDWR | os.O_CREAT):
    try:
        os.open(path, flags)
    except OSError as e:
        print(e.errno == errno.EROFS, e.filename == path)
try:
    os.open(path + ".missing", os.O_RDONLY)
except FileNotFoundError as e:
    print("missing", e.errno == errno.ENOENT)
# The guards pass descriptors and dir_fd to the originals: os lists them as taking those.
print(os.open in os.supports_dir_fd, os.stat in os.supports_follow_symlinks, os.listdir in os.supports_fd, os.access in os.supports_effective_ids)
`);
  assert.equal(r.stdout, "b'alpha beta\\n' 11 False\nwrite EBADF\nTrue True\nTrue True\nmissing True\nTrue True True True\n", r.stderr);
});
