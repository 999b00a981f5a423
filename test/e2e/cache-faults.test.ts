/**
 * Cache entries that pass their digest but do not hold what the code that
 * reads them expects (written by another version of oxidize under the same
 * name, or edited with the digest recomputed), and output paths in the way:
 * the build rebuilds what it must and goes on, or stops with one line.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { readEntry } from '../../src/cache/entry.js';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cargoTargetDir, stubEntryPath, stubKey } from '../../src/link/stub.js';
import { cacheDir } from '../../src/util/paths.js';
import { oxidize, projectDir, run } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';

const marker = `faults-${randomBytes(6).toString('hex')}`;
let dir: string;

/** A cache entry with a correct header around `data`, as entry.ts writes one. */
function forgedEntry(file: string, data: Buffer): void {
  const header = Buffer.alloc(48);
  header.write('OXCACHE1');
  header.writeBigUInt64LE(BigInt(data.length), 8);
  createHash('sha256').update(data).digest().copy(header, 16);
  rmSync(file, { recursive: true, force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.concat([header, data]));
}

function buildAndRun(): string {
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  const exe = path.resolve(dir, r.stdout.trim().split('\n').pop()!);
  const out = run(exe);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout.trim(), marker);
  return r.stderr;
}

before(() => {
  dir = tinyApp('faulty', `import json\nprint(json.loads(${JSON.stringify(JSON.stringify(marker))}))\n`);
  buildAndRun();
});

test('an import-scan index with a sound digest but not the expected JSON is scanned afresh', async () => {
  const imports = path.join(cacheDir(), 'imports');
  const indexes = readdirSync(imports).filter((n) => n.endsWith('.index'));
  assert.ok(indexes.length > 0, 'the build wrote an index');
  // Not JSON; then this index's own keys with answers of another shape.
  const index = indexes.map((n) => path.join(imports, n));
  const reshaped = await Promise.all(
    index.map(async (f) => {
      const found = await readEntry(f);
      assert.equal(found.status, 'ok');
      const keys = found.status === 'ok' ? Object.keys(JSON.parse(found.data.toString('utf8')) as object) : [];
      return Buffer.from(JSON.stringify(Object.fromEntries(keys.map((k) => [k, { imports: 5 }]))));
    }),
  );
  for (const n of index) forgedEntry(n, Buffer.from('\u0000 not json {'));
  buildAndRun();
  index.forEach((n, i) => forgedEntry(n, reshaped[i]));
  buildAndRun();
  // Each index is sound again (or was replaced by a newer scanner's, for a concurrent build).
  for (const n of readdirSync(imports).filter((n) => n.endsWith('.index'))) {
    const found = await readEntry(path.join(imports, n));
    assert.equal(found.status, 'ok');
    if (found.status === 'ok') assert.equal(typeof JSON.parse(found.data.toString('utf8')), 'object');
  }
});

test('a transpiled config entry that is damaged, a directory, a dangling link or foreign code is transpiled again', () => {
  const root = path.join(cacheDir(), 'config-transpiled');
  const entries = () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.name.endsWith('.entry')).map((e) => path.join(e.parentPath ?? e.path, e.name));
  const faults: Array<[string, (f: string) => void]> = [
    ['not JavaScript', (f) => forgedEntry(f, randomBytes(200))],
    ['a directory', (f) => mkdirSync(path.join(f, 'inside'), { recursive: true })],
    ['a dangling link', (f) => symlinkSync('/nonexistent/oxidize-entry', f)],
    ['garbage without a header', (f) => writeFileSync(f, randomBytes(300))],
  ];
  for (const [what, fault] of faults) {
    const all = entries();
    assert.ok(all.length > 0, 'the config was transpiled into the cache');
    for (const f of all) {
      rmSync(f, { recursive: true, force: true });
      fault(f);
    }
    const stderr = buildAndRun();
    assert.doesNotMatch(stderr, /error/, what);
  }
});

test('an output directory whose place a file holds is one line naming it, exit 1', () => {
  const out = path.join(dir, 'build');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  // The executable's directory (build/<triple>/debug/exe) is a file.
  const triple = `${process.arch === 'x64' ? 'x86_64' : process.arch}-unknown-linux-gnu`;
  mkdirSync(path.join(out, triple, 'debug'), { recursive: true });
  writeFileSync(path.join(out, triple, 'debug', 'exe'), 'in the way');
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /cannot write .*exe.*exists and is not a directory \(EEXIST\); remove or rename it/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  rmSync(out, { recursive: true, force: true });
  buildAndRun();
});

test('a cache directory that is a file is one line naming it and OXIDIZE_CACHE_DIR, exit 1', () => {
  const file = path.join(dir, 'not-a-directory');
  writeFileSync(file, 'a file where the cache should be');
  const r = oxidize(['build'], { cwd: dir, env: { OXIDIZE_CACHE_DIR: file } });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /cannot write .*not-a-directory.*is a file, not a directory \(ENOTDIR\); the cache directory .*not-a-directory must be a writable directory: fix it, or point OXIDIZE_CACHE_DIR at another one/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});

test('a stub damaged in cargo\'s build directory (which cargo may take as up to date) never stops a build', async () => {
  const dist = await resolveHostDistribution();
  const key = await stubKey(dist);
  const binary = path.join(cargoTargetDir(cacheDir(), key), 'release', 'oxidize-stub');
  if (!existsSync(binary)) {
    // The stub entry came from elsewhere (an earlier layout of the cache, a package): have cargo build it here once.
    rmSync(stubEntryPath(cacheDir(), key));
    buildAndRun();
  }
  assert.ok(existsSync(binary), 'the stub was built in this cache');
  truncateSync(binary, 100_000);
  rmSync(stubEntryPath(cacheDir(), key));
  const stderr = buildAndRun();
  // cargo either hands the damaged binary back as up to date (then the build says so and builds
  // afresh) or links it again itself (it does when its records of the directory differ); either
  // way the build goes on and the binary is whole again.
  if (/gave a damaged runtime stub/.test(stderr)) {
    assert.match(stderr, /oxidize: warning: cargo's build directory .* gave a damaged runtime stub \(it is truncated.*\); building it again from scratch/);
  }
  assert.ok(statSync(binary).size > 100_000, "the binary in cargo's build directory is whole again");
  assert.doesNotMatch(buildAndRun(), /warning/, 'the next build finds a sound cache');
});

test('an install layout with a file where a directory goes is one line with the path and the fix', () => {
  const project = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig, FileManifest, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution().toPythonExecutable({ name: 'laid', config: { runModule: 'app' } }).addPythonResources(readPackageRoot('src', ['app'])),
    },
    install: { depends: ['exe'], build: (ctx) => new FileManifest().addExecutable(ctx.depends.exe, 'bin') },
  },
});
`,
    'src/app/__init__.py': '',
    'src/app/__main__.py': 'print("laid out")\n',
  });
  const first = oxidize(['build', 'install'], { cwd: project });
  assert.equal(first.code, 0, first.stderr);
  const installDir = path.resolve(project, first.stdout.trim().split('\n').pop()!);
  rmSync(path.join(installDir, 'bin'), { recursive: true });
  writeFileSync(path.join(installDir, 'bin'), 'in the way');
  const r = oxidize(['build', 'install'], { cwd: project });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /target install: cannot write .*bin.*exists and is not a directory \(EEXIST\); remove or rename it$/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});
