/**
 * The archive path end to end: the host interpreter written as a
 * python-build-standalone archive (once for this file), built from with the
 * host's static library hidden, served over HTTP on 127.0.0.1 and built from
 * by URL, rebuilt with the server gone (cache), refused on a wrong sha256
 * before anything is extracted or linked. A fresh cache directory, so the
 * download and the stub build happen here.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cliPath, oxidize, projectDir, repoRoot, run } from '../helpers/cli.js';

const CONFIG = `
import { defineConfig, readPackageRoot } from 'oxidize';
const { OXIDIZE_TEST_SHA256: sha256, OXIDIZE_TEST_URL: url, OXIDIZE_TEST_LOCAL: localPath } = process.env;
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.PythonDistribution({ sha256: sha256!, ...(url ? { url } : { localPath: localPath! }) })
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' } })
          .addPythonResources(readPackageRoot('.', ['sample'])),
    },
  },
});
`;

let work: string;
let cache: string;
let archive: string;
let sha256: string;
let project: string;

before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-dist-e2e-'));
  cache = path.join(work, 'cache');
  archive = path.join(work, 'host.tar.zst');
  const r = oxidize(['python-distribution-create', '--from-host', archive], { env: { OXIDIZE_CACHE_DIR: cache } });
  assert.equal(r.code, 0, r.stderr);
  const m = /^sha256 ([0-9a-f]{64})$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  sha256 = m[1];
  project = projectDir({ 'pyoxidizer.config.ts': CONFIG }, 'oxidize-dist-project-');
  cpSync(path.join(repoRoot, 'sample/sample'), path.join(project, 'sample'), { recursive: true });
});

/** Runs `oxidize build` without blocking this process, whose HTTP server must answer meanwhile. */
function build(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, 'build'], { cwd: project, env: { ...process.env, OXIDIZE_CACHE_DIR: cache, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function checkExecutable(stdout: string) {
  const exe = path.resolve(project, stdout.trim().split('\n').pop()!);
  const r = run(exe, ['--name', 'archive'], { cwd: os.tmpdir() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Hello, archive! \(Python 3\.\d+, imported from memory\)$/m);
}

function canUnshare(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
}

// First, so that the stub for this distribution is compiled and linked here,
// where nothing of the host's static library or headers is visible.
test('builds from the archive with the host static library and headers hidden', { skip: !canUnshare() && 'needs root and unshare -m' }, async () => {
  const host = await resolveHostDistribution();
  const debianConfig = spawnSync('/usr/bin/python3', ['-c', 'import sysconfig; print(sysconfig.get_config_var("LIBPL"))'], { encoding: 'utf8' }).stdout.trim();
  // pyenv's whole tree goes too: the archive's interpreter must run from the archive alone.
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const candidates = [path.dirname(host.link.staticLibrary!), host.includeDir, debianConfig, '/usr/include/python3.11', '/usr/include/x86_64-linux-gnu/python3.11', pyenvRoot];
  const existing = [...new Set(candidates)].filter((p) => p && existsSync(p)).map((p) => path.resolve(p));
  // Hiding a directory hides what is inside it: mount over the outermost only.
  const hide = existing.filter((p) => !existing.some((q) => q !== p && p.startsWith(`${q}/`)));
  const mounts = hide.map((p) => `mount -t tmpfs none '${p}'`).join(' && ');
  const env = { ...process.env, OXIDIZE_CACHE_DIR: cache, OXIDIZE_TEST_SHA256: sha256, OXIDIZE_TEST_LOCAL: archive };
  const script = `${mounts} && ! node '${cliPath}' python-distribution-info host && cd '${project}' && exec node '${cliPath}' build`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /no usable Python distribution: /, 'the host cannot be used inside the namespace');
  assert.match(r.stderr, new RegExp(`python: Python 3\\.\\d+\\.\\d+ \\(.+\\) from ${archive.replace(/[.]/g, '\\.')} \\(sha256 ${sha256}\\)`));
  assert.match(r.stderr, /embeds Python .+; the executable needs glibc 2\.\d+ or newer/);
  checkExecutable(r.stdout);
});

let server: Server;
let requests = 0;
let url: string;

async function serve(): Promise<void> {
  server = createServer((req, res) => {
    requests++;
    if (req.url !== '/host.tar.zst') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zstd' });
    createReadStream(archive).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/host.tar.zst`;
}

after(() => {
  server?.close();
  // The archive and its extraction are large: leave nothing behind.
  rmSync(work, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

test('builds from a URL with sha256; a second build with the server stopped uses the cache', async () => {
  await serve();
  const first = await build({ OXIDIZE_TEST_SHA256: sha256, OXIDIZE_TEST_URL: url });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(requests, 1, 'downloaded once');
  assert.match(first.stderr, /downloaded http:\/\/127\.0\.0\.1:\d+\/host\.tar\.zst: [\d.]+ MiB at [\d.]+ MiB\/s/);
  assert.match(first.stderr, new RegExp(`from ${url.replace(/[.]/g, '\\.')} \\(sha256 ${sha256}\\)`));
  checkExecutable(first.stdout);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  const second = await build({ OXIDIZE_TEST_SHA256: sha256, OXIDIZE_TEST_URL: url });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(requests, 1, 'no request when cached');
  assert.doesNotMatch(second.stderr, /downloaded/);
  checkExecutable(second.stdout);
});

test('a wrong sha256 fails in one line before anything is extracted or linked', async () => {
  await serve();
  const wrong = 'ab'.repeat(32);
  const before = readdirSync(path.join(cache, 'distributions')).sort();
  const out = path.join(project, 'build');
  const built = readdirSync(out, { recursive: true }).length;
  for (const env of [{ OXIDIZE_TEST_URL: url }, { OXIDIZE_TEST_LOCAL: archive }] as Array<Record<string, string>>) {
    const r = await build({ OXIDIZE_TEST_SHA256: wrong, ...env });
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !/^(downloading|downloaded) /.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`sha256 mismatch for .+: expected ${wrong}, got ${sha256}`));
  }
  assert.deepEqual(readdirSync(path.join(cache, 'distributions')).sort(), before, 'nothing extracted');
  assert.deepEqual(readdirSync(path.join(cache, 'downloads')), [`${sha256}.tar.zst`], 'nothing kept of the bad download');
  assert.equal(readdirSync(out, { recursive: true }).length, built, 'nothing linked');
});

test('python-distribution-info and -extract read the archive', () => {
  const info = oxidize(['python-distribution-info', archive], { env: { OXIDIZE_CACHE_DIR: cache } });
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`^sha256: +${sha256}$`, 'm'));
  assert.match(info.stdout, /^core: +static library .+\/python\/build\/lib\/libpython3\.\d+(-pic)?\.a$/m);
  const dir = path.join(work, 'extracted');
  const ex = oxidize(['python-distribution-extract', archive, dir]);
  assert.equal(ex.code, 0, ex.stderr);
  assert.ok(existsSync(path.join(dir, 'python/PYTHON.json')));
  const again = oxidize(['python-distribution-extract', archive, dir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists and is not an empty directory/);
  // The archive's interpreter runs from where it was extracted, with its own standard library.
  const py = spawnSync(path.join(dir, 'python/install/bin/python3'), ['-I', '-S', '-c', 'import sys, json; print(sys.prefix)'], {
    encoding: 'utf8',
    env: { ...process.env, LD_LIBRARY_PATH: path.join(dir, 'python/install/lib') },
  });
  assert.equal(py.status, 0, py.stderr);
  assert.equal(py.stdout.trim(), path.join(dir, 'python/install'));
});

test('python-distribution-licenses host lists every extension module of the host with its libraries', async () => {
  const host = await resolveHostDistribution();
  const r = oxidize(['python-distribution-licenses', 'host']);
  assert.equal(r.code, 0, r.stderr);
  const listed = new Set([...r.stdout.matchAll(/^(\S+) {2}(built in|shared library) {2}licences: (.+)$/gm)].map((m) => m[1]));
  const py = spawnSync(host.python, ['-I', '-S', '-c', 'import sys, os, importlib.machinery as m; print("\\n".join(sys.builtin_module_names)); d = sys.argv[1]; print("\\n".join(f.split(".")[0] for f in os.listdir(d) if any(f.endswith(s) for s in m.EXTENSION_SUFFIXES)))', host.dynloadDir], {
    encoding: 'utf8',
  });
  const expected = new Set(py.stdout.split('\n').filter(Boolean));
  assert.ok(expected.size > 50);
  assert.deepEqual([...listed].sort(), [...expected].sort());
  // _ssl links OpenSSL, a shared library of the system.
  assert.match(r.stdout, /^_ssl {2}shared library {2}licences: .*Apache-2\.0.*\n(?: {4}.+\n)*? {4}ssl {2}dynamic system {2}Apache-2\.0$/m);
  // The archive states the same modules.
  const a = oxidize(['python-distribution-licenses', archive], { env: { OXIDIZE_CACHE_DIR: cache } });
  assert.equal(a.code, 0, a.stderr);
  const fromArchive = new Set([...a.stdout.matchAll(/^(\S+) {2}(built in|shared library) {2}licences: (.+)$/gm)].map((m) => m[1]));
  assert.deepEqual([...fromArchive].sort(), [...expected].sort());
});
