/** Cache entries that read back as something else than what was stored, and the checks that catch them. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cachedEntry, readEntrySync, readJsonEntrySync, writeEntrySync } from '../../src/cache/entry.js';
import { loadConfig } from '../../src/config/load.js';
import { OxidizeError, pluginError } from '../../src/errors.js';
import { writeError } from '../../src/util/fs-errors.js';
import { packTree, treeProblem } from '../../plugins/pip-install/tree-archive.js';
import { producerDigest } from '../../src/cache/producer.js';
import { stubKey } from '../../src/link/stub.js';
import { compressColdData, compressLibraries } from '../../src/link/compress.js';
import { EntryKind } from '../../src/payload/format.js';
import type { PayloadEntry } from '../../src/payload/writer.js';
import type { PythonDistribution } from '../../src/plugin-api.js';
import { inflateSync } from 'node:zlib';
import { extractedArchive } from '../../src/distribution/archive.js';
import { fetchArchive } from '../../src/distribution/archive/fetch.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compressFrames } from '../../src/distribution/archive/zstd-frames.js';
import { tarStream, type TarEntry } from '../../src/distribution/archive/tar-writer.js';
import { projectDir, repoRoot } from '../helpers/cli.js';
import { CACHE_ENTRIES } from '../../src/cli/commands/cache.js';
import { findResourcesInPath } from '../../src/resources/scan.js';

const scratches: string[] = [];
after(() => scratches.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'oxidize-cache-faults-'));
  scratches.push(d);
  return d;
};

function forged(file: string, data: Buffer): void {
  const header = Buffer.alloc(48);
  header.write('OXCACHE1');
  header.writeBigUInt64LE(BigInt(data.length), 8);
  createHash('sha256').update(data).digest().copy(header, 16);
  writeFileSync(file, Buffer.concat([header, data]));
}

test('writeEntrySync writes an entry readEntrySync verifies, over a directory or a dangling link', () => {
  const dir = scratch();
  const file = path.join(dir, 'a/b.entry');
  writeEntrySync(file, Buffer.from('one'));
  assert.deepEqual(readEntrySync(file), { status: 'ok', data: Buffer.from('one') });
  rmSync(file);
  mkdirSync(path.join(file, 'x'), { recursive: true });
  writeEntrySync(file, Buffer.from('two'));
  assert.equal(readEntrySync(file).status, 'ok');
  rmSync(file);
  symlinkSync('/nonexistent/oxidize', file);
  writeEntrySync(file, Buffer.from('three'));
  assert.deepEqual(readEntrySync(file), { status: 'ok', data: Buffer.from('three') });
  assert.deepEqual(readdirSync(path.dirname(file)), ['b.entry'], 'no temporary left');
});

test('a JSON entry that does not parse, or parses to another shape, is damaged', () => {
  const dir = scratch();
  const file = path.join(dir, 'j.entry');
  const isList = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
  assert.equal(readJsonEntrySync(file, isList).status, 'missing');
  forged(file, Buffer.from('[1, 2'));
  assert.deepEqual(readJsonEntrySync(file, isList), { status: 'damaged', reason: 'it does not hold JSON' });
  forged(file, Buffer.from('{"a": 1}'));
  assert.deepEqual(readJsonEntrySync(file, isList), { status: 'damaged', reason: 'its JSON is not of the expected shape' });
  forged(file, Buffer.from('[1, 2]'));
  assert.deepEqual(readJsonEntrySync(file, isList), { status: 'ok', value: [1, 2] });
});

test('a cached pip tree is checked before it is unpacked: foreign bytes under a sound digest are installed again', async () => {
  const tree = scratch();
  mkdirSync(path.join(tree, 'pkg'));
  writeFileSync(path.join(tree, 'pkg/__init__.py'), 'x = 1\n');
  symlinkSync('__init__.py', path.join(tree, 'pkg/link.py'));
  const archive = Buffer.concat(await packTree(tree));
  assert.equal(treeProblem(archive), undefined);

  const header = (entries: unknown) => {
    const h = Buffer.from(JSON.stringify(entries));
    const n = Buffer.alloc(4);
    n.writeUInt32LE(h.length);
    return Buffer.concat([n, h]);
  };
  assert.match(treeProblem(Buffer.alloc(2)) ?? '', /too short/);
  assert.match(treeProblem(randomBytes(64)) ?? '', /header is longer|not JSON/);
  assert.match(treeProblem(archive.subarray(0, archive.length - 1)) ?? '', /its files hold/);
  assert.match(treeProblem(Buffer.concat([archive, Buffer.from('x')])) ?? '', /its files hold/);
  assert.match(treeProblem(header({ p: 'a', t: 'd' })) ?? '', /not a list of files/);
  assert.match(treeProblem(header([{ p: 'a', t: 'f', s: -1 }])) ?? '', /not a list of files/);
  assert.match(treeProblem(header([{ p: '../a', t: 'd' }])) ?? '', /leaves its directory/);

  // As the pip plugin reads its cache: the forged entry is reported and replaced.
  const file = path.join(scratch(), 'k.tree');
  forged(file, header([{ p: 'a', t: 'f', s: 100 }]));
  const warnings: string[] = [];
  const r = await cachedEntry(file, async () => archive, { what: 'pip result', warn: (m) => warnings.push(m), check: treeProblem });
  assert.equal(r.built, true);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /cached pip result .* is damaged \(its files hold 0 bytes, its header says 100\); rebuilding it/);
  assert.equal(readEntrySync(file, { check: treeProblem }).status, 'ok');
});

test('a transpiled config in the cache is used only while it is intact; a damaged one is transpiled again', async (t) => {
  const cache = scratch();
  const saved = process.env.OXIDIZE_CACHE_DIR;
  process.env.OXIDIZE_CACHE_DIR = cache;
  t.after(() => (saved === undefined ? delete process.env.OXIDIZE_CACHE_DIR : (process.env.OXIDIZE_CACHE_DIR = saved)));
  const dir = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';
const answer: number = 42;
export default defineConfig({ targets: { only: { build: () => 'built-' + answer } } });
`,
  });
  const load = async () => {
    const loaded = await loadConfig(dir, { release: false });
    assert.deepEqual(Object.keys(loaded.config.targets), ['only']);
    return (loaded.config.targets.only as { build: () => string }).build();
  };
  assert.equal(await load(), 'built-42');
  const root = path.join(cache, 'config-transpiled');
  const entries = () => readdirSync(root, { recursive: true }).map(String).filter((n) => n.endsWith('.entry')).map((n) => path.join(root, n));
  const [entry] = entries();
  assert.ok(entry, 'an entry was written');
  const good = readFileSync(entry);

  // One byte changed in the code ('42' -> '43'): its digest no longer holds.
  const at = good.indexOf('42', 48);
  assert.ok(at > 0);
  const flipped = Buffer.from(good);
  flipped[at + 1] = 0x33;
  const faults: Array<[string, () => void]> = [
    ['a changed byte', () => writeFileSync(entry, flipped)],
    ['truncated', () => writeFileSync(entry, good.subarray(0, good.length - 10))],
    ['empty', () => writeFileSync(entry, '')],
    ['a directory', () => mkdirSync(path.join(entry, 'x'), { recursive: true })],
    ['a dangling link', () => symlinkSync('/nonexistent/oxidize', entry)],
    ['code that does not parse, under a sound digest', () => forged(entry, Buffer.from('export default {{{ "'))],
  ];
  for (const [what, fault] of faults) {
    rmSync(entry, { recursive: true, force: true });
    fault();
    assert.equal(await load(), 'built-42', what);
    assert.deepEqual(readFileSync(entry), good, `${what}: the entry is written again`);
  }
});

test('mkdir where a file holds the name is a one-line write error', () => {
  const e = writeError('/out/exe/.oxidize-installed', Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' }));
  assert.ok(e instanceof OxidizeError);
  assert.equal(e.code, 'CANNOT_WRITE');
  assert.equal(e.message, 'cannot write /out/exe/.oxidize-installed: /out/exe exists and is not a directory (EEXIST)');
  assert.equal(e.hint, 'remove or rename it');
});

test('the producer digest follows the producing files\' contents', () => {
  const dir = scratch();
  const a = path.join(dir, 'worker.py');
  writeFileSync(a, 'print(1)\n');
  const first = producerDigest([a]);
  assert.match(first, /^[0-9a-f]{16}$/);
  assert.equal(producerDigest([a]), first, 'read once per process');
  const b = path.join(dir, 'worker2.py');
  writeFileSync(b, 'print(2)\n');
  assert.notEqual(producerDigest([b]), first, 'another producer, another digest');
});

test('the stub key follows how cargo is run: RUSTFLAGS, CC and the profile count, CFLAGS does not', async (t) => {
  const dist = { id: 'dist-x', includeDir: '/inc', link: { staticLibrary: '/lib.a', objects: [], args: ['-lm'] } } as unknown as PythonDistribution;
  const saved = { ...process.env };
  t.after(() => {
    for (const k of ['RUSTFLAGS', 'CC', 'CFLAGS', 'CARGO_PROFILE_RELEASE_DEBUG']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  for (const k of ['RUSTFLAGS', 'CC', 'CFLAGS', 'CARGO_PROFILE_RELEASE_DEBUG']) delete process.env[k];
  const base = await stubKey(dist);
  process.env.CFLAGS = '-O0';
  assert.equal(await stubKey(dist), base, 'build.rs does not read CFLAGS');
  for (const [k, v] of [['RUSTFLAGS', '-C target-cpu=native'], ['CC', 'clang'], ['CARGO_PROFILE_RELEASE_DEBUG', 'true']]) {
    process.env[k] = v;
    assert.notEqual(await stubKey(dist), base, k);
    delete process.env[k];
  }
  assert.notEqual(await stubKey({ ...dist, link: { ...dist.link, args: ['-lm', '-no-pie'] } } as PythonDistribution), base, 'link arguments');
  assert.equal(await stubKey(dist), base);
});

test('a compressed library or source entry that is not of its kind is reported and compressed again', async () => {
  const cache = scratch();
  const library = Buffer.from(Array.from({ length: 4000 }, (_, i) => `symbol_${i % 97};`).join(''));
  const source = Buffer.from(Array.from({ length: 400 }, (_, i) => `x${i % 13} = ${i % 7}\n`).join(''));
  const entries = (): PayloadEntry[] => [
    { kind: EntryKind.Extension, name: 'ext', flags: 0, slots: [library] },
    { kind: EntryKind.Module, name: 'mod', flags: 0, slots: [source, Buffer.from('code')] },
  ];
  const first = entries();
  await compressLibraries(first, cache);
  await compressColdData(first, cache);
  const files = readdirSync(cache, { recursive: true }).map(String).filter((n) => /^(lz4|deflate)\/..\/[0-9a-f]{64}$/.test(n));
  assert.equal(files.length, 2, files.join(' '));
  // Sound digests around bytes of the wrong kind: an LZ4 block of another length, a stream that is not zlib's.
  for (const f of files) forged(path.join(cache, f), Buffer.from(f.startsWith('lz4') ? '\x10\x00\x00\x00junk' : 'plain text, not zlib'));
  const warnings: string[] = [];
  const again = entries();
  await compressLibraries(again, cache, (m) => warnings.push(m));
  await compressColdData(again, cache, (m) => warnings.push(m));
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.ok(warnings.some((w) => /compressed library .* is damaged/.test(w) && w.includes(`it is not an LZ4 block of ${library.length} bytes`)), warnings.join('\n'));
  assert.match(warnings.join('\n'), /compressed data .* is damaged \(it is not a zlib stream\)/);
  assert.deepEqual(again.map((e) => e.slots[0]), first.map((e) => e.slots[0]));
  assert.deepEqual(Buffer.from(inflateSync(again[1].slots[0]!)), source);
});

test('an extracted distribution that changed since it was extracted is extracted again, with one warning', async () => {
  const cache = scratch();
  const tar: Buffer[] = [];
  const entries: TarEntry[] = [
    { type: 'Directory', path: 'python/' },
    { type: 'File', path: 'python/PYTHON.json', data: Buffer.from('{"version": "8"}') },
    { type: 'Directory', path: 'python/install/lib/' },
    { type: 'File', path: 'python/install/lib/os.py', data: Buffer.from('import sys\n'.repeat(50)) },
  ];
  for await (const f of compressFrames(tarStream(entries), 3)) tar.push(f);
  const archive = path.join(scratch(), 'd.tar.zst');
  writeFileSync(archive, Buffer.concat(tar));
  const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
  const warnings: string[] = [];
  const extract = () => extractedArchive(archive, sha, cache, (m) => warnings.push(m));
  const dir = await extract();
  const os_py = path.join(dir, 'python/install/lib/os.py');
  const original = readFileSync(os_py);
  assert.equal(await extract(), dir);
  assert.deepEqual(warnings, [], 'an intact tree is reused as it is');

  const faults: Array<[string, () => void, RegExp]> = [
    ['truncated', () => writeFileSync(os_py, original.subarray(0, 20)), /os\.py was changed/],
    ['removed', () => rmSync(os_py), /os\.py was removed/],
    ['a directory', () => (rmSync(os_py), mkdirSync(os_py)), /os\.py is no longer a file/],
    ['a file added', () => writeFileSync(path.join(dir, 'python/install/lib/extra.py'), ''), /extra\.py was added/],
    ['its record damaged', () => writeFileSync(`${dir}.extracted`, 'junk'), /its record is damaged/],
    ['no record (an older oxidize\'s tree)', () => rmSync(`${dir}.extracted`), /no record of its extraction/],
  ];
  for (const [what, fault, reason] of faults) {
    warnings.length = 0;
    fault();
    assert.equal(await extract(), dir, what);
    assert.equal(warnings.length, 1, `${what}: ${warnings.join('\n')}`);
    assert.match(warnings[0], /extracted distribution .* is not as extracted \(.*\); extracting it again/, what);
    assert.match(warnings[0], reason, what);
    assert.deepEqual(readFileSync(os_py), original, `${what}: the file is back`);
    assert.ok(!existsSync(path.join(dir, 'python/install/lib/extra.py')), what);
  }
});

test('a damaged cached download is reported and downloaded again, not refused as a wrong sha256', async (t) => {
  const body = Buffer.from('archive bytes '.repeat(100));
  const sha = createHash('sha256').update(body).digest('hex');
  let served = 0;
  const server = createServer((_req, res) => {
    served++;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/d.tar.zst`;
  const cache = scratch();
  const warnings: string[] = [];
  const fetch = () => fetchArchive(url, sha, cache, { progress: false, log: () => undefined, warn: (m) => warnings.push(m) });
  const file = await fetch();
  assert.equal(served, 1);
  assert.equal(await fetch(), file);
  assert.equal(served, 1, 'reused');
  for (const [what, fault] of [
    ['truncated', () => writeFileSync(file, body.subarray(0, 10))],
    ['a directory', () => (rmSync(file), mkdirSync(path.join(file, 'x'), { recursive: true }))],
  ] as const) {
    warnings.length = 0;
    fault();
    assert.equal(await fetch(), file, what);
    assert.deepEqual(readFileSync(file), body, what);
    assert.equal(warnings.length, 1, what);
    assert.match(warnings[0], /cached download .* is damaged .*; downloading it again/, what);
  }
  assert.equal(served, 3);
});

test('a raw file-system error of a built-in plugin is one write error; a user plugin\'s keeps its name', () => {
  const raw = () => Object.assign(new Error('EROFS: read-only file system, mkdir \'/ro/out/x\''), { code: 'EROFS', syscall: 'mkdir', path: '/ro/out/x' });
  const builtIn = pluginError('oxidize:executable', 'link', raw());
  assert.equal(builtIn.code, 'CANNOT_WRITE');
  assert.equal(builtIn.message, 'cannot write /ro/out/x: /ro/out is on a read-only file system (EROFS)');
  assert.equal(builtIn.plugin, 'oxidize:executable');
  const user = pluginError('my-plugin', 'link', raw());
  assert.equal(user.code, 'PLUGIN_FAILED');
  assert.match(user.message, /^plugin my-plugin failed in link: EROFS/);
  // Not a write failure: left as it is.
  assert.equal(pluginError('oxidize:executable', 'link', Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: '/x' })).code, 'PLUGIN_FAILED');
});

test('an empty config file is found and refused as exporting no config, not reported missing', async () => {
  const dir = projectDir({ 'pyoxidizer.config.ts': '' });
  await assert.rejects(loadConfig(dir, { release: false }), (e: OxidizeError) => e.code === 'CONFIG_INVALID' && /pyoxidizer\.config\.ts must export default defineConfig/.test(e.message));
});

test('cache clear knows every directory the code makes in the cache', () => {
  const made = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  for (const top of ['src', 'plugins', 'conformance']) {
    for (const file of walk(path.join(repoRoot, top))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:cacheDir\(\)|cacheDir|\.cacheDir), '([a-z0-9-]+)'/g)) made.add(m[1]);
    }
  }
  assert.ok(made.has('bytecode') && made.has('stubs'), [...made].join(' '));
  assert.deepEqual([...made].filter((n) => !(CACHE_ENTRIES as readonly string[]).includes(n)), []);
});

test('a file name that is not UTF-8 in what is packed is one error naming it; outside what is packed it is left alone', async () => {
  const root = scratch();
  mkdirSync(path.join(root, 'pkg'));
  writeFileSync(path.join(root, 'pkg/__init__.py'), '');
  const bad = (rel: string) => Buffer.concat([Buffer.from(path.join(root, rel)), Buffer.from([0xe9]), Buffer.from('.txt')]);
  writeFileSync(bad('junk'), 'not packed');
  const scan = (top: string[]) => findResourcesInPath(root, { extensionSuffixes: ['.so'], topLevel: (n) => top.includes(n) });
  assert.deepEqual((await scan(['pkg'])).map((r) => r.type), ['python-module-source']);
  writeFileSync(bad('pkg/caf'), 'data');
  await assert.rejects(scan(['pkg']), (e: OxidizeError) => e.code === 'FILE_NAME_NOT_UTF8' && e.message === `${path.join(root, 'pkg')}/caf\\xe9.txt: the file name is not UTF-8, and an executable names what it holds in UTF-8` && /rename it/.test(e.hint ?? ''));
});
