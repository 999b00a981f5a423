/** Host distributions: interpreter probes cached by what decides the interpreter (ELF files, pyenv shims; other scripts run every time), and the static library linked. */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cachedProbe, interpreterIdentity } from '../../src/distribution/probe-cache.js';
import { staticLinkChoice } from '../../src/distribution/host.js';

function sandbox(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-probe-'));
  const saved = { cache: process.env.OXIDIZE_CACHE_DIR, cwd: process.cwd(), version: process.env.PYENV_VERSION, pyenvDir: process.env.PYENV_DIR };
  process.env.OXIDIZE_CACHE_DIR = path.join(dir, 'cache');
  delete process.env.PYENV_VERSION;
  delete process.env.PYENV_DIR;
  return {
    dir,
    done: () => {
      process.chdir(saved.cwd);
      for (const [k, v] of [['OXIDIZE_CACHE_DIR', saved.cache], ['PYENV_VERSION', saved.version], ['PYENV_DIR', saved.pyenvDir]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('an ELF interpreter is cached by its file; a change of the files a result names probes again', async () => {
  const s = sandbox();
  try {
    const exe = path.join(s.dir, 'python-elf');
    copyFileSync(process.execPath, exe);
    const lib = path.join(s.dir, 'libpython.a');
    writeFileSync(lib, 'one');
    let runs = 0;
    const probe = () => cachedProbe(exe, 'probe v1', async () => ({ n: ++runs }), () => [exe, lib]);
    assert.deepEqual(await probe(), { n: 1 });
    assert.deepEqual(await probe(), { n: 1 }, 'the second probe is read from the cache');
    assert.deepEqual(await cachedProbe(exe, 'probe v2', async () => ({ n: ++runs }), () => [exe]), { n: 2 }, 'another probe text is another entry');
    writeFileSync(lib, 'two!');
    assert.deepEqual(await probe(), { n: 3 }, 'a file the result depends on changed');
    rmSync(lib);
    assert.deepEqual(await probe(), { n: 4 }, 'a file the result depends on is gone');
    assert.deepEqual(await probe(), { n: 5 }, 'a result naming a missing file is not cached');
    writeFileSync(lib, 'three');
    await probe();
    utimesSync(exe, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(await probe(), { n: 7 }, 'the interpreter changed');
    assert.deepEqual(await cachedProbe(exe, 'kept?', async () => ({ n: ++runs }), () => [exe], () => false), { n: 8 });
    assert.deepEqual(await cachedProbe(exe, 'kept?', async () => ({ n: ++runs }), () => [exe], () => false), { n: 9 }, 'a result refused by keep is probed each time');
  } finally {
    s.done();
  }
});

test('a wrapper script is probed every time; a missing command has no identity', async () => {
  const s = sandbox();
  try {
    const script = path.join(s.dir, 'python-wrapper');
    writeFileSync(script, '#!/bin/sh\nexec python3 "$@"\n');
    chmodSync(script, 0o755);
    assert.equal(await interpreterIdentity(script), undefined);
    assert.equal(await interpreterIdentity(path.join(s.dir, 'missing')), undefined);
    let runs = 0;
    await cachedProbe(script, 'p', async () => ++runs, () => [script]);
    assert.equal(await cachedProbe(script, 'p', async () => ++runs, () => [script]), 2);
  } finally {
    s.done();
  }
});

test('a pyenv shim is known by the version pyenv would pick: PYENV_VERSION, .python-version up from the directory, the global file', async () => {
  const s = sandbox();
  try {
    const root = path.join(s.dir, 'pyenv');
    mkdirSync(path.join(root, 'shims'), { recursive: true });
    for (const v of ['3.11.7', '3.12.1']) mkdirSync(path.join(root, 'versions', v, 'bin'), { recursive: true });
    const shim = path.join(root, 'shims', 'python3');
    writeFileSync(shim, `#!/usr/bin/env bash\nset -e\nprogram="\${0##*/}"\n\nexport PYENV_ROOT="${root}"\nexec "${root}/libexec/pyenv" exec "$program" "$@"\n`);
    chmodSync(shim, 0o755);
    writeFileSync(path.join(root, 'version'), '3.11.7\n');
    const project = path.join(s.dir, 'project', 'sub');
    mkdirSync(project, { recursive: true });
    process.chdir(project);
    const global = await interpreterIdentity(shim);
    assert.ok(global && global[0] === 'pyenv');
    assert.deepEqual(await interpreterIdentity(shim), global, 'the same inputs, the same identity');
    writeFileSync(path.join(s.dir, 'project', '.python-version'), '3.12.1\n');
    const local = await interpreterIdentity(shim);
    assert.notDeepEqual(local, global, 'a .python-version above the directory decides');
    process.env.PYENV_VERSION = '3.11.7';
    assert.notDeepEqual(await interpreterIdentity(shim), local, 'PYENV_VERSION decides');
    delete process.env.PYENV_VERSION;
    mkdirSync(path.join(root, 'versions', '3.13.0'));
    assert.notDeepEqual(await interpreterIdentity(shim), local, 'a newly installed version may change what a prefix means');
  } finally {
    s.done();
  }
});

test('Debian\'s two static libraries: the non-PIC one, linked -no-pie as its python3.X is; one library is linked as it is', () => {
  const dir = '/usr/lib/python3.11/config-3.11-x86_64-linux-gnu';
  assert.deepEqual(staticLinkChoice([`${dir}/libpython3.11-pic.a`, `${dir}/libpython3.11.a`]), { library: `${dir}/libpython3.11.a`, args: ['-no-pie'] });
  assert.deepEqual(staticLinkChoice([`${dir}/libpython3.11-pic.a`]), { library: `${dir}/libpython3.11-pic.a`, args: [] });
  assert.deepEqual(staticLinkChoice(['/opt/py/lib/libpython3.11.a']), { library: '/opt/py/lib/libpython3.11.a', args: [] });
  assert.deepEqual(staticLinkChoice([`${dir}/libpython3.11-pic.a`, '/elsewhere/libpython3.11.a']), { library: `${dir}/libpython3.11-pic.a`, args: [] }, 'only the pair of one directory');
});
