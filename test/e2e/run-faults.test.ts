/**
 * An executable run in a hostile or bare environment behaves as python3
 * would: no /proc (a chroot, a bare container), closed standard streams, few
 * file descriptors, no HOME, a C locale with argv that is not UTF-8, reached
 * through a symlink or /proc/self/fd.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { buildProject, cliPath, oxidize, projectDir, repoRoot } from '../helpers/cli.js';
import { compressFrames } from '../../src/distribution/archive/zstd-frames.js';
import { tarStream } from '../../src/distribution/archive/tar-writer.js';
import { tinyApp } from '../helpers/tiny-app.js';

const root = process.getuid?.() === 0;
const canUnshare = root && spawnSync('unshare', ['-m', 'true']).status === 0;
// Prints its arguments as Python sees them (surrogate escapes shown), and where it is.
const MAIN = `import os, sys
print(ascii(sys.argv[1:]), os.path.basename(sys.executable), sys.stdin is None or sys.stdin.closed)
`;
let exe: string;

function sh(script: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('sh', ['-c', script], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  [exe] = buildProject(tinyApp('bare', MAIN));
});

test('without /proc mounted the executable finds itself from what the kernel ran', { skip: !canUnshare && 'needs root and unshare -m' }, () => {
  const link = path.join(path.dirname(exe), 'through-link');
  symlinkSync(exe, link);
  for (const how of [exe, link, `cd ${JSON.stringify(path.dirname(exe))} && ./bare`]) {
    const r = sh(`unshare -m --propagation private sh -c 'umount -l /proc && ${how.startsWith('cd') ? how : JSON.stringify(how)} a b'`);
    assert.equal(r.signal, null, how);
    assert.equal(r.code, 0, `${how}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), "['a', 'b'] bare False", how);
  }
});

test('closed standard streams, few descriptors, no HOME, and argv that is not UTF-8 under LANG=C: as python3', () => {
  const q = JSON.stringify(exe);
  const cases: Array<[string, string, string]> = [
    ['stdin closed', `${q} x <&-`, "['x'] bare True"],
    ['stdout closed (prints nothing, exits 0 as python3)', `${q} x >&-; echo "status $?" >&2`, ''],
    ['stderr closed', `${q} x 2>&-`, "['x'] bare False"],
    ['ulimit -n 16', `ulimit -n 16 && ${q} x`, "['x'] bare False"],
    ['HOME unset', `env -u HOME ${q} x`, "['x'] bare False"],
    ['LANG=C, argv not UTF-8', `env LC_ALL=C LANG=C ${q} "$(printf 'caf\\351')"`, "['caf\\udce9'] bare False"],
    ['via /proc/self/fd (sys.executable is the file)', `exec 7<${q}; /proc/self/fd/7 x`, "['x'] bare False"],
  ];
  for (const [what, script, expected] of cases) {
    const r = sh(script);
    assert.equal(r.signal, null, what);
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), expected, what);
    if (what.startsWith('stdout closed')) assert.match(r.stderr, /status 0/, what);
  }
});

test('python-distribution-create onto a full disk is one line, and leaves no partial archive', { skip: !canUnshare && 'needs root and unshare -m' }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-full-archive-'));
  const script = `set -e; mount -t tmpfs -o size=1m tmpfs "$1"; set +e; "$2" "$3" python-distribution-create --from-host "$1/host.tar.zst"; status=$?; echo "left: $(ls -A "$1" | wc -l)" >&2; exit $status`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, process.execPath, cliPath], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /cannot write .*host\.tar\.zst: no space left on the device holding .* \(ENOSPC\)/);
  assert.doesNotMatch(r.stderr, /^\s+at |Node\.js v/m, 'no stack trace');
  assert.match(r.stderr, /left: 0/, 'the partial archive was removed');
});

test('a build that can never finish (a config promise nothing settles) exits 70 with one line, never 0 in silence', () => {
  const project = projectDir({
    'pyoxidizer.config.ts': `import { defineConfig } from 'oxidize';
export default defineConfig({ targets: { exe: { default: true, build: () => new Promise(() => {}) } } });
`,
  });
  const r = oxidize(['build'], { cwd: project });
  assert.equal(r.code, 70, r.stderr);
  assert.match(r.stderr, /^oxidize: error: the command stopped before it finished: a promise it waited for .* can never settle/m);
});

test('extracting a distribution archive into a full cache is one line naming the cache, not a hang or a silent exit', { skip: !canUnshare && 'needs root and unshare -m' }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-full-extract-'));
  const archive = path.join(dir, 'big.tar.zst');
  const frames: Buffer[] = [];
  const big = randomBytes(3 << 20);
  for await (const f of compressFrames(tarStream([{ type: 'File', path: 'python/a.bin', data: big }, { type: 'File', path: 'python/b.bin', data: big }]), 1)) frames.push(f);
  writeFileSync(archive, Buffer.concat(frames));
  const script = path.join(dir, 'extract.mjs');
  writeFileSync(
    script,
    `import { extractArchiveAtomically } from ${JSON.stringify(path.join(repoRoot, 'dist/src/distribution/archive.js'))};
extractArchiveAtomically(process.argv[2], process.argv[3] + '/distributions/x').then(() => console.log('extracted'), (e) => console.log('refused', e.code, e.message));
`,
  );
  const cache = path.join(dir, 'cache');
  const sh = `set -e; mkdir -p "$1"; mount -t tmpfs -o size=4m tmpfs "$1"; set +e; OXIDIZE_CACHE_DIR="$1" "$2" "$3" "$4" "$1"; echo "left: $(find "$1" -type f | wc -l)"`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', sh, 'sh', cache, process.execPath, script, archive], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'no hang');
  assert.match(r.stdout, /^refused CANNOT_WRITE cannot write .*: no space left on the device holding .* \(ENOSPC\)/m, r.stdout + r.stderr);
  assert.match(r.stdout, /left: 0/, 'the partial extraction was removed');
});

test('a TMPDIR that does not exist or is a file is one line naming it and the fix', () => {
  // New source each time: its bytecode is compiled, in a temporary directory.
  for (const [tmp, cause] of [
    ['/nonexistent/oxidize-tmp', 'it does not exist \\(ENOENT\\)'],
    [cliPath, 'it is not a directory \\(ENOTDIR\\)'],
  ]) {
    const project = tinyApp('tmpless', `print(${JSON.stringify(randomBytes(8).toString('hex'))})\n`);
    const r = oxidize(['build'], { cwd: project, env: { TMPDIR: tmp } });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('oxidize: error:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`cannot make a temporary directory in ${tmp}: ${cause}; point TMPDIR at a writable directory, or unset it`));
  }
});

test('analyze of a truncated executable says it is truncated, not that it is a plain ELF file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-truncated-'));
  const bytes = readFileSync(exe);
  const cut = path.join(dir, 'cut');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 100_000));
  const r = oxidize(['analyze', cut]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^oxidize: error: .*cut: its \.oxidize section runs past the end of the file \(truncated\)/m);
});
