/**
 * Crafted .tar.zst archives: every hostile or broken one is refused with a
 * clear message, and nothing is written outside the target (nor the target
 * left half-written).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { extractArchiveAtomically, resolveArchiveDistribution } from '../../src/distribution/archive.js';
import { compressFrames } from '../../src/distribution/archive/zstd-frames.js';
import { tarStream, type TarEntry } from '../../src/distribution/archive/tar-writer.js';
import { isOxidizeError } from '../../src/errors.js';

async function archive(entries: TarEntry[], frameSize?: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const f of compressFrames(tarStream(entries), 3, frameSize)) out.push(f);
  return Buffer.concat(out);
}

const sandboxes: string[] = [];
after(() => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sandbox(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'oxidize-archive-'));
  sandboxes.push(d);
  return d;
}

const file = (p: string, text = 'x'): TarEntry => ({ type: 'File', path: p, data: Buffer.from(text) });

/** Extracts into `<sandbox>/out/target`; returns the error's message. */
async function refused(entries: TarEntry[] | Buffer, pattern: RegExp): Promise<string> {
  const dir = sandbox();
  const out = path.join(dir, 'out');
  const bytes = Buffer.isBuffer(entries) ? entries : await archive(entries);
  writeFileSync(path.join(dir, 'a.tar.zst'), bytes);
  const err = await extractArchiveAtomically(path.join(dir, 'a.tar.zst'), path.join(out, 'target')).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isOxidizeError(err), `refused with a user error, got ${String(err)}`);
  assert.match(err.message, pattern);
  assert.equal(err.message.split('\n').length, 1, 'one line');
  // Nothing but the archive in the sandbox: no target, no temporary directory, nothing escaped.
  assert.deepEqual(readdirSync(dir).sort(), ['a.tar.zst', 'out']);
  assert.deepEqual(readdirSync(out), []);
  return err.message;
}

test('a well-formed archive extracts, with links inside the tree', async () => {
  const dir = sandbox();
  const big = Buffer.alloc(3 << 20, 7);
  const bytes = await archive(
    [
      { type: 'Directory', path: 'python/' },
      file('python/install/lib/a.txt', 'hello'),
      { type: 'File', path: 'python/install/lib/big.bin', data: big },
      { type: 'SymbolicLink', path: 'python/install/bin/python3', linkpath: '../lib/a.txt' },
      { type: 'Link', path: 'python/install/lib/hard.txt', linkpath: 'python/install/lib/a.txt' },
      file(`python/${'long-directory-name/'.repeat(8)}deep.txt`, 'deep'),
    ],
    1 << 20,
  );
  writeFileSync(path.join(dir, 'a.tar.zst'), bytes);
  const target = path.join(dir, 'target');
  await extractArchiveAtomically(path.join(dir, 'a.tar.zst'), target);
  assert.equal(readFileSync(path.join(target, 'python/install/lib/a.txt'), 'utf8'), 'hello');
  assert.ok(readFileSync(path.join(target, 'python/install/lib/big.bin')).equals(big), 'multi-frame content round-trips');
  assert.equal(readlinkSync(path.join(target, 'python/install/bin/python3')), '../lib/a.txt');
  assert.equal(lstatSync(path.join(target, 'python/install/lib/hard.txt')).ino, lstatSync(path.join(target, 'python/install/lib/a.txt')).ino);
  assert.equal(readFileSync(path.join(target, `python/${'long-directory-name/'.repeat(8)}deep.txt`), 'utf8'), 'deep');
});

test("an entry with '..' is refused", async () => {
  const escape = `oxidize-escape-${process.pid}-dotdot`;
  await refused([file('python/ok.txt'), file(`python/../../../${escape}`)], /refusing to extract .*'\.\.' component/);
  assert.ok(!existsSync(path.join(os.tmpdir(), escape)));
});

test('an absolute path is refused', async () => {
  const target = path.join(os.tmpdir(), `oxidize-escape-${process.pid}-absolute`);
  await refused([file(target)], /is an absolute path/);
  assert.ok(!existsSync(target));
});

test('a symbolic link out of the tree is refused, and nothing is written through it', async () => {
  await refused([{ type: 'SymbolicLink', path: 'python/up', linkpath: '../..' }, file('python/up/escaped.txt')], /points outside the archive/);
  await refused([{ type: 'SymbolicLink', path: 'python/etc', linkpath: '/etc' }], /absolute path "\/etc"/);
});

test('a symbolic link that leaves the tree through a later link is refused', async () => {
  // c -> a/b/../.. is inside while a/b is a directory; once a/b -> .. exists it leaves the tree.
  await refused(
    [
      { type: 'SymbolicLink', path: 'c', linkpath: 'a/b/../..' },
      { type: 'SymbolicLink', path: 'a/b', linkpath: '..' },
    ],
    /symbolic link "c" points outside/,
  );
});

test('an entry written through an in-tree symbolic link is refused', async () => {
  await refused([{ type: 'Directory', path: 'python/d/' }, { type: 'SymbolicLink', path: 'python/l', linkpath: 'd' }, file('python/l/x.txt')], /written through the symbolic link "python\/l"/);
});

test('a hard link out of the tree is refused', async () => {
  await refused([{ type: 'Link', path: 'python/passwd', linkpath: '/etc/passwd' }], /is an absolute path/);
  await refused([{ type: 'Link', path: 'python/x', linkpath: '../outside' }], /'\.\.' component/);
  await refused([{ type: 'Link', path: 'python/x', linkpath: 'python/missing' }], /not a file extracted before it/);
});

test('device files are refused', async () => {
  await refused([{ type: 'CharacterDevice', path: 'python/null' }], /device file or FIFO/);
  await refused([{ type: 'FIFO', path: 'python/pipe' }], /device file or FIFO/);
});

test('a truncated zstd stream is refused', async () => {
  const bytes = await archive([file('python/a.txt', 'a'.repeat(100000)), file('python/b.txt', 'b')]);
  await refused(bytes.subarray(0, bytes.length - 10), /truncated zstd stream/);
  await refused(Buffer.from('plain text, not zstd'), /not a zstd stream/);
});

async function resolveErr(entries: TarEntry[]): Promise<{ message: string; cache: string }> {
  const dir = sandbox();
  const bytes = await archive(entries);
  const local = path.join(dir, 'd.tar.zst');
  writeFileSync(local, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const cache = path.join(dir, 'cache');
  const err = await resolveArchiveDistribution({ sha256, localPath: local }, { cacheDir: cache, baseDir: dir, log: () => {}, progress: false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isOxidizeError(err), String(err));
  return { message: err.message, cache };
}

test('an archive without python/PYTHON.json is refused', async () => {
  const { message } = await resolveErr([file('python/install/bin/python3')]);
  assert.match(message, /has no python\/PYTHON\.json/);
});

test('an unsupported PYTHON.json format version is refused, naming the supported ones', async () => {
  const { message } = await resolveErr([file('python/PYTHON.json', JSON.stringify({ version: '3' }))]);
  assert.match(message, /format version "3" is not supported \(supported: 5, 6, 7, 8\)/);
});

test('a wrong sha256 is refused before anything is extracted', async () => {
  const dir = sandbox();
  const local = path.join(dir, 'd.tar.zst');
  writeFileSync(local, await archive([file('python/PYTHON.json', '{}')]));
  const cache = path.join(dir, 'cache');
  const wrong = '0'.repeat(64);
  const err = await resolveArchiveDistribution({ sha256: wrong, localPath: local }, { cacheDir: cache, baseDir: dir, log: () => {}, progress: false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isOxidizeError(err));
  assert.match(err.message, new RegExp(`sha256 mismatch for .*expected ${wrong}, got [0-9a-f]{64}`));
  assert.ok(!existsSync(path.join(cache, 'distributions')), 'nothing extracted');
});
