/**
 * Applications that treat their modules as files work from memory with the
 * default settings (issue: `__file__` and loader completeness): built from
 * test/fixtures/in-memory-apps, run alone with the host Python hidden, and
 * compared with python3 running the same sources.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import type { PythonDistribution } from '../../src/distribution/types.js';
import { canRunAlone, runAlone } from '../helpers/alone.js';
import { run } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

let dist: PythonDistribution;
let exes: Map<string, string>;
let dir: string;

before(async () => {
  dist = await resolveHostDistribution();
  ({ dir, exes } = buildFixture('in-memory-apps'));
});

function plain(module: string, args: readonly string[] = []): string {
  // Debian's Jinja2 for the interpreter the executable embeds (it packs the same files).
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: '/usr/lib/python3/dist-packages' };
  const r = spawnSync(dist.python, ['-m', module, ...args], { cwd: path.join(dir, 'app'), encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('a package using __file__, inspect, pyclbr, runpy, reload and warnings behaves as with python3', { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const r = runAlone(dist, exes.get('fileapp')!);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp'));
});

test('extension modules from memory: one memory file per library, none left open or inherited, imports after closerange', { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const r = runAlone(dist, exes.get('fileapp')!, ['extensions']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp', ['extensions']));
  assert.match(r.stdout, /descriptors grew False library copies 1\nmemory files left open 0\n/);
});

test('ssl, sqlite3 and ctypes import under the lowest ulimit -n python3 needs', { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const lowest = [3, 4, 5, 6, 7, 8, 9, 10, 12, 16].find(
    (n) => spawnSync('sh', ['-c', `ulimit -n ${n} && exec '${dist.python}' -m fileapp few-descriptors`], { cwd: path.join(dir, 'app'), encoding: 'utf8' }).status === 0,
  );
  assert.ok(lowest, 'python3 runs it under some limit');
  const r = runAlone(dist, exes.get('fileapp')!, ['few-descriptors'], { before: `ulimit -n ${lowest}` });
  assert.equal(r.code, 0, `ulimit -n ${lowest}: ${r.stderr}`);
  assert.equal(r.stdout, plain('fileapp', ['few-descriptors']));
});

test('data files and directories next to __file__ are readable in memory, read-only', { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const r = runAlone(dist, exes.get('fileapp')!, ['files']);
  assert.equal(r.code, 0, r.stderr);
  // The source tree python3 runs from is writable; the executable's files are not.
  assert.equal(r.stdout, plain('fileapp', ['files']).replace('write allowed', 'write refused'));
});

test("Jinja2's PackageLoader renders and lists templates packed in memory", { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const r = runAlone(dist, exes.get('fileapp')!, ['jinja']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp', ['jinja']));
});

test('pkg_resources sees the packed distributions and serves packed resources', { skip: !canRunAlone() && 'needs root and unshare -m' }, () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-egg-cache-'));
  const r = runAlone(dist, exes.get('fileapp')!, ['pkg'], { env: { PYTHON_EGG_CACHE: cache } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp', ['pkg']));
  // resource_filename extracted the in-memory files, as pkg_resources does for zip files.
  assert.ok(existsSync(path.join(cache, 'fileapp-tmp', 'fileapp', 'templates', 'partials', 'footer.html')));
});

test('a namespace package over two distributions, in memory and next to the executable, imports and iterates as with python3', () => {
  // oxns.two is installed beside the executable (lib/), so this runs where it was built.
  const r = run(exes.get('fileapp')!, ['namespace']);
  assert.equal(r.code, 0, r.stderr);
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: `${path.join(dir, 'ns-one')}:${path.join(dir, 'ns-two')}` };
  const theirs = spawnSync(dist.python, ['-m', 'fileapp', 'namespace'], { cwd: path.join(dir, 'app'), encoding: 'utf8', env });
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(r.stdout, theirs.stdout);
});

test('directories without __init__.py inside a package import as namespace portions and stay data, as with python3', () => {
  const r = run(exes.get('fileapp')!, ['nested']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp', ['nested']));
});

test("ctypes and ExtensionFileLoader load an in-memory extension module's library by its __file__, as python3 loads the .so", () => {
  const r = run(exes.get('fileapp')!, ['ctypes-file']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, plain('fileapp', ['ctypes-file']));
});
