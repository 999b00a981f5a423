/**
 * PYTHON.json as python-build-standalone writes it: the link inputs, the
 * extension modules and their licences come out of the fields its format
 * documents; paths leaving the distribution are refused. The version check
 * runs before anything is built.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { extensionModulesOf, linkInputsOf, parsePythonJson } from '../../src/distribution/python-json.js';
import { isOxidizeError } from '../../src/errors.js';
import { oxidize, projectDir } from '../helpers/cli.js';

const BASE = '/cache/distributions/abc/python';

function pythonJson(core: Record<string, unknown>, extensions: Record<string, unknown[]>) {
  return JSON.stringify({
    version: '7',
    target_triple: 'x86_64-unknown-linux-gnu',
    python_tag: 'cp311',
    python_version: '3.11.9',
    python_major_minor_version: '3.11',
    python_implementation_cache_tag: 'cpython-311',
    python_implementation_name: 'cpython',
    python_paths: { stdlib: 'install/lib/python3.11', include: 'install/include/python3.11' },
    python_exe: 'install/bin/python3.11',
    python_suffixes: { extension: ['.cpython-311-x86_64-linux-gnu.so', '.abi3.so', '.so'] },
    python_bytecode_magic_number: 'a70d0d0a',
    libpython_link_mode: 'static',
    build_info: { core, extensions },
    licenses: ['Python-2.0'],
  });
}

const EXTENSIONS = {
  _ssl: [
    {
      in_core: false,
      objs: ['build/Modules/_ssl.o'],
      links: [{ name: 'ssl', path_static: 'build/lib/libssl.a' }, { name: 'crypto', path_static: 'build/lib/libcrypto.a' }],
      licenses: ['OpenSSL'],
      variant: 'default',
    },
  ],
  _io: [{ in_core: true, objs: [], links: [], licenses: [], variant: 'default' }],
  _tkinter: [{ in_core: false, objs: [], links: [{ name: 'tcl8.6', system: true }], shared_lib: 'install/lib/python3.11/lib-dynload/_tkinter.so', variant: 'default' }],
  _dbm: [
    { in_core: false, objs: ['build/Modules/_dbmmodule.o'], links: [{ name: 'gdbm', path_static: 'build/lib/libgdbm.a' }], variant: 'gdbm' },
    { in_core: false, objs: ['build/Modules/_dbmmodule-bdb.o'], links: [{ name: 'db', path_static: 'build/lib/libdb.a' }], variant: 'bdb' },
  ],
};

test('core objects: linked with each built-in extension\'s first variant and the inittab', () => {
  const core = { objs: ['build/Python/ceval.o', 'build/Objects/object.o'], links: [{ name: 'dl', system: true }, { name: 'm', system: true }], inittab_object: 'build/Modules/config.o' };
  const j = parsePythonJson(pythonJson(core, EXTENSIONS), 'PYTHON.json');
  const link = linkInputsOf(j, BASE, 'PYTHON.json');
  assert.equal(link.staticLibrary, undefined);
  assert.deepEqual(link.objects, [
    `${BASE}/build/Python/ceval.o`,
    `${BASE}/build/Objects/object.o`,
    `${BASE}/build/Modules/config.o`,
    `${BASE}/build/Modules/_dbmmodule.o`,
    `${BASE}/build/Modules/_ssl.o`,
  ]);
  assert.deepEqual(link.args, ['-ldl', '-lm', `${BASE}/build/lib/libgdbm.a`, `${BASE}/build/lib/libssl.a`, `${BASE}/build/lib/libcrypto.a`]);
  const modules = extensionModulesOf(j, BASE, 'PYTHON.json');
  const byName = Object.fromEntries(modules.map((m) => [m.name, m]));
  assert.equal(byName._ssl.variants[0].builtin, true);
  assert.deepEqual(byName._ssl.variants[0].licenses, ['OpenSSL']);
  assert.deepEqual(byName._ssl.variants[0].links.map((l) => [l.name, l.kind]), [['ssl', 'static'], ['crypto', 'static']]);
  assert.equal(byName._tkinter.variants[0].builtin, false);
  assert.equal(byName._tkinter.variants[0].sharedLibrary, `${BASE}/install/lib/python3.11/lib-dynload/_tkinter.so`);
  assert.equal(byName._tkinter.variants[0].licenses, undefined, 'no licences field: unknown');
  assert.deepEqual(byName._dbm.variants.map((v) => v.variant), ['gdbm', 'bdb']);
});

test('a core static library is linked whole, without the objects', () => {
  const core = { objs: ['build/Python/ceval.o'], links: [{ name: 'm', system: true }], static_lib: 'install/lib/libpython3.11.a' };
  const link = linkInputsOf(parsePythonJson(pythonJson(core, EXTENSIONS), 'PYTHON.json'), BASE, 'PYTHON.json');
  assert.equal(link.staticLibrary, `${BASE}/install/lib/libpython3.11.a`);
  assert.deepEqual(link.objects, []);
});

test('paths leaving the distribution and shared libpython builds are refused', () => {
  const core = { objs: ['../../../../etc/evil.o'], links: [] };
  assert.throws(() => linkInputsOf(parsePythonJson(pythonJson(core, {}), 'PYTHON.json'), BASE, 'PYTHON.json'), /path "\.\.\/\.\.\/\.\.\/\.\.\/etc\/evil\.o" leaves the distribution/);
  const shared = JSON.parse(pythonJson({ objs: [], links: [] }, {}));
  shared.libpython_link_mode = 'shared';
  assert.throws(() => parsePythonJson(JSON.stringify(shared), 'PYTHON.json'), (e: unknown) => isOxidizeError(e) && e.code === 'SHARED_LIBPYTHON');
  const missing = JSON.parse(pythonJson({ objs: [], links: [] }, {}));
  delete missing.python_exe;
  assert.throws(() => parsePythonJson(JSON.stringify(missing), 'PYTHON.json'), /missing or invalid "python_exe"/);
});

const PYENV = `${process.env.PYENV_ROOT ?? `${process.env.HOME}/.pyenv`}/versions`;
for (const v of ['3.10', '3.13']) {
  // pyenv's interpreters, where installed (they have static libraries, so only the version stops them).
  const versions = existsSync(PYENV) ? readdirSync(PYENV).filter((d) => d.startsWith(`${v}.`)) : [];
  const found = versions.map((d) => `${PYENV}/${d}/bin/python${v}`).find((p) => existsSync(p));
  test(`Python ${v} is refused in one line naming the supported versions, before anything is built`, { skip: !found && `no Python ${v} interpreter here` }, () => {
    const dir = projectDir({
      'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';\nexport default defineConfig({ targets: { exe: { build: (ctx) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x' }) } } });\n`,
    });
    const r = oxidize(['build', '--python', found!], { cwd: dir, env: { OXIDIZE_CACHE_DIR: `${dir}/cache` } });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`Python ${v.replace('.', '\\.')}\\.\\d+ .* is not supported; oxidize embeds Python 3\\.11 and 3\\.12`));
    assert.ok(!existsSync(`${dir}/cache/cargo-target`), 'cargo never ran');
  });
}
