/**
 * Real applications nobody here wrote, packaged and checked against the
 * system's own commands: pyflakes, black and Mercurial (C extensions) from
 * Debian's packages, all in memory, a Flask app answering HTTP (templates,
 * static files, werkzeug's debugger resources, package versions), packages from pip (a wheel
 * from Debian and one built here from a fixture project), a virtualenv, and a
 * C extension whose shared library is packed too.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import type { PythonDistribution } from '../../src/distribution/types.js';
import { oxidize, repoRoot, run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';
import { copyWheelProject } from '../helpers/wheels.js';

const FIXTURE = path.join(repoRoot, 'test/fixtures/apps');
const missing = ['/usr/bin/pyflakes3', '/usr/bin/black', '/usr/bin/hg', '/usr/lib/python3/dist-packages/flask', '/usr/share/python-wheels', '/usr/lib/python3/dist-packages/wadllib'].filter((p) => !existsSync(p));
const skip = missing.length > 0 && `needs Debian's pyflakes3, black, mercurial, python3-flask, python3-wheel-whl, python3-wadllib (missing ${missing.join(', ')})`;

let exes: Map<string, string>;
let dir: string;
let dist: PythonDistribution;
const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-apps-'));

function sh(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** libgreet.so.1 and cgreet._native, linked against it through $ORIGIN/../cgreet.libs. */
function buildCExtension(root: string) {
  const src = path.join(FIXTURE, 'cgreet-src');
  mkdirSync(path.join(root, 'cgreet'), { recursive: true });
  mkdirSync(path.join(root, 'cgreet.libs'), { recursive: true });
  const lib = path.join(root, 'cgreet.libs/libgreet.so.1');
  sh('cc', ['-shared', '-fPIC', '-Wl,-soname,libgreet.so.1', '-o', lib, path.join(src, 'libgreet.c')]);
  sh('cc', ['-shared', '-fPIC', `-I${dist.includeDir}`, '-o', path.join(root, 'cgreet', `_native${dist.extensionSuffixes[0]}`), path.join(src, 'native.c'), lib, '-Wl,-rpath,$ORIGIN/../cgreet.libs']);
  copyFileSync(path.join(src, '__init__.py'), path.join(root, 'cgreet/__init__.py'));
}

before(async () => {
  if (skip) return;
  dist = await resolveHostDistribution();
  const wheels = path.join(work, 'wheels');
  // The fixture project, built into a wheel by pip, offline.
  const project = path.join(work, 'greeting-project');
  copyWheelProject(path.join(FIXTURE, 'greeting-project'), project);
  sh(dist.python, ['-m', 'pip', 'wheel', '--no-index', '--no-deps', '-w', wheels, project], { cwd: work });
  const venv = path.join(work, 'venv');
  sh(dist.python, ['-m', 'venv', '--without-pip', venv]);
  sh(dist.python, ['-m', 'pip', '--python', path.join(venv, 'bin/python'), 'install', '--no-index', '--find-links', wheels, 'greeting']);
  const cext = path.join(work, 'cext');
  buildCExtension(cext);
  Object.assign(process.env, { OXIDIZE_TEST_WHEELS: wheels, OXIDIZE_TEST_VENV: venv, OXIDIZE_TEST_CEXT: cext });
  ({ dir, exes } = buildFixture('apps', ['pyflakes', 'black', 'hg', 'flask', 'wheel', 'greeting', 'venv', 'cext-memory', 'cext-files', 'wadllib']));
});

test('pyflakes reports what /usr/bin/pyflakes3 reports', { skip }, () => {
  writeFileSync(path.join(work, 'bad.py'), 'import os\n\ndef f():\n    return undefined_name\n');
  writeFileSync(path.join(work, 'clean.py'), 'import os\n\nprint(os.sep)\n');
  for (const file of ['bad.py', 'clean.py']) {
    const ours = run(exes.get('pyflakes')!, [file], { cwd: work });
    const theirs = run('/usr/bin/pyflakes3', [file], { cwd: work });
    assert.equal(ours.stdout, theirs.stdout, file);
    assert.equal(ours.code, theirs.code, file);
  }
  assert.match(run(exes.get('pyflakes')!, ['bad.py'], { cwd: work }).stdout, /bad\.py:4:12:? undefined name 'undefined_name'/);
  assert.equal(run(exes.get('pyflakes')!, ['clean.py'], { cwd: work }).stdout, '');
});

test('black formats a messy file exactly as /usr/bin/black does', { skip }, () => {
  const messy = "import os\nx = {  'a':1,\n'b' : [1,2,\n3]}\ndef f( a,b ):\n  return a+b\nclass C :\n   def m(self,*args,**kw) : return (args,\n kw)\n";
  for (const name of ['ours.py', 'theirs.py']) writeFileSync(path.join(work, name), messy);
  const ours = run(exes.get('black')!, ['-q', 'ours.py'], { cwd: work, env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache1') } });
  const theirs = run('/usr/bin/black', ['-q', 'theirs.py'], { cwd: work, env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache2') } });
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(theirs.code, 0, theirs.stderr);
  const formatted = readFileSync(path.join(work, 'ours.py'), 'utf8');
  assert.equal(formatted, readFileSync(path.join(work, 'theirs.py'), 'utf8'));
  assert.notEqual(formatted, messy);
  assert.equal(run(exes.get('black')!, ['--check', '-q', 'ours.py'], { cwd: work }).code, 0);
  assert.equal(run(exes.get('black')!, ['--version']).stdout.split('\n')[0], run('/usr/bin/black', ['--version']).stdout.split('\n')[0]);
  assert.ok(!existsSync(path.join(path.dirname(exes.get('black')!), 'lib')), 'everything in memory: the grammar files too');
});

test('Mercurial gives the same results as /usr/bin/hg', { skip }, () => {
  const env = { ...process.env, HGRCPATH: '', HGPLAIN: '1', HGUSER: 'Oxidize Test <test@example.org>', HGENCODING: 'utf-8', LANG: 'C' };
  const session = (hg: string) => {
    const repo = mkdtempSync(path.join(work, 'repo-'));
    const out: string[] = [];
    const hgRun = (...args: string[]) => {
      const r = run(hg, args, { cwd: repo, env });
      out.push(`$ hg ${args.join(' ')} -> ${r.code}\n${r.stdout}${r.stderr}`);
    };
    hgRun('init');
    writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\n');
    writeFileSync(path.join(repo, 'b.txt'), 'bee\n');
    hgRun('add', 'a.txt', 'b.txt');
    hgRun('status');
    hgRun('commit', '-m', 'first commit', '-d', '0 0');
    writeFileSync(path.join(repo, 'a.txt'), 'one\n2\nthree\n');
    hgRun('status');
    hgRun('diff', '--nodates');
    hgRun('commit', '-m', 'second commit', '-d', '86400 0');
    hgRun('log');
    hgRun('log', '-r', '0', '-p', '--nodates');
    hgRun('status', '--all');
    return out.join('\n');
  };
  const ours = session(exes.get('hg')!);
  assert.equal(ours, session('/usr/bin/hg'));
  assert.match(ours, /changeset: +1:[0-9a-f]{12}/);
  assert.match(ours, /-two\n\+2\n\+three/);
  // The C extensions were used, not pure-Python fallbacks.
  const policy = run(exes.get('hg')!, ['debuginstall', '-T', '{pythonexe}\\n'], { env });
  assert.match(run(exes.get('hg')!, ['debuginstall'], { env }).stdout, /checking module policy \(c\)/);
  assert.equal(policy.stderr.includes('error'), false, policy.stderr);
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('a Flask application answers an HTTP request on 127.0.0.1', { skip }, async () => {
  const port = await freePort();
  const server = spawn(exes.get('hello-flask')!, [], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    let response: { status: number; body: string } | undefined;
    for (let attempt = 0; attempt < 100 && !response; attempt++) {
      response = await get(`http://127.0.0.1:${port}/hello/%3Cscript%3E`).catch(() => undefined);
      if (!response) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(response, `the server did not answer:\n${stderr}`);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { greeting: 'Hello, &lt;script&gt;!', oxidized: true, speedups: true });
    // Templates, static files and send_from_directory next to the app's __file__, werkzeug's
    // debugger resources next to its own: all served from memory.
    const body = async (url: string) => {
      const r = await get(`http://127.0.0.1:${port}${url}`);
      assert.equal(r.status, 200, `${url}: ${r.body}\n${stderr}`);
      return r.body;
    };
    const fixture = (f: string) => readFileSync(path.join(FIXTURE, 'hello_flask', f), 'utf8');
    assert.equal(await body('/page/oxidize'), '<p class="greeting">Page for oxidize</p>');
    assert.equal(await body('/static/style.css'), fixture('static/style.css'));
    assert.equal(await body('/notes'), fixture('data/notes.txt'));
    const shared = '/usr/lib/python3/dist-packages/werkzeug/debug/shared';
    for (const f of ['style.css', 'debugger.js', 'jquery.js']) {
      assert.equal(await body(`/hello/x?__debugger__=yes&cmd=resource&f=${f}`), readFileSync(path.join(shared, f), 'utf8'), f);
    }
    // readPackageRoot packed each package's metadata: the versions python3 sees.
    const versions = sh('/usr/bin/python3', ['-c', 'import importlib.metadata as m, json; print(json.dumps({d: m.version(d) for d in ("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker")}))']);
    assert.deepEqual(JSON.parse(await body('/versions')), JSON.parse(versions));
  } finally {
    server.kill('SIGTERM');
  }
});

test("a package reading its own version at import: readPackageRoot packs its metadata; without it the build says what will fail", { skip }, () => {
  const WADLLIB_COMMAND = 'import wadllib, lazr.uri, importlib.metadata as m; print(wadllib.__version__, lazr.uri.__version__, m.version("lazr.uri"))';
  const ours = run(exes.get('wadllib-version')!);
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(ours.stdout, sh('/usr/bin/python3', ['-c', WADLLIB_COMMAND]));
  const b = oxidize(['build', 'wadllib-no-metadata'], { cwd: dir });
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stderr, /distributions? read by name with no metadata packed \(PackageNotFoundError at run time\):\n(.*\n)* {2}wadllib reads importlib_metadata\.version\("wadllib"\), which has no \*\.dist-info or \*\.egg-info packed/);
  const without = run(path.join(dir, b.stdout.trim().split('\n')[0]));
  assert.notEqual(without.code, 0);
  assert.match(without.stderr, /PackageNotFoundError: No package metadata was found for wadllib/);
});

test('pipInstall: a wheel from Debian and a wheel built from a fixture project', { skip }, () => {
  const wheel = run(exes.get('wheel-check')!);
  assert.equal(wheel.code, 0, wheel.stderr);
  assert.match(wheel.stdout, /^wheel \d+\.\d+\.\d+\n$/);
  const greeting = run(exes.get('greeting')!);
  assert.equal(greeting.code, 0, greeting.stderr);
  assert.equal(greeting.stdout, 'greeting 2.0.1 from a wheel\n');
});

test('readVirtualenv: what a virtualenv has installed', { skip }, () => {
  const r = run(exes.get('from-venv')!);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'greeting 2.0.1 from a wheel\n');
});

test('a C extension and its shared library, from memory and from files', { skip }, () => {
  const memory = run(exes.get('cgreet-memory')!);
  assert.equal(memory.code, 0, memory.stderr);
  assert.equal(memory.stdout, `hello from libgreet cgreet-memory/cgreet/_native${dist.extensionSuffixes[0]}\n`);
  const files = run(exes.get('cgreet-files')!);
  assert.equal(files.code, 0, files.stderr);
  assert.equal(files.stdout, `hello from libgreet lib/cgreet/_native${dist.extensionSuffixes[0]}\n`);
  const installed = path.dirname(exes.get('cgreet-files')!);
  assert.ok(existsSync(path.join(installed, 'lib/cgreet.libs/libgreet.so.1')));
  assert.ok(existsSync(path.join(installed, `lib/cgreet/_native${dist.extensionSuffixes[0]}`)));
});

test('a pip failure is one line naming the package', { skip }, () => {
  const r = oxidize(['build', 'pip-failure'], { cwd: dir });
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('oxidize: '));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^oxidize: error: pip install --no-index no-such-package-oxidize-test failed: .*no-such-package-oxidize-test/);
});
