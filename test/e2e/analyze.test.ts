/** `oxidize analyze` on the sample executable, on the system's python3.11 and on a damaged copy. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { AnalyzeReport } from '../../src/analyze/analyze.js';
import { readPayload } from '../../src/payload/reader.js';
import { oxidize, repoRoot } from '../helpers/cli.js';

function analyzeJson(file: string): { code: number | null; report: AnalyzeReport; stderr: string } {
  const r = oxidize(['analyze', file, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as AnalyzeReport, stderr: r.stderr };
}

function glibcOfThisMachine(): string {
  // The dynamic loader of this machine is the glibc every program here runs with.
  const libc = readFileSync('/proc/self/maps', 'utf8').match(/\/\S*libc\.so\.6/)?.[0];
  assert.ok(libc, 'no libc in this process');
  const m = readFileSync(libc, 'latin1').match(/GNU C Library [^\n]*?version (\d+\.\d+)/);
  assert.ok(m, 'libc does not say its version');
  return m[1];
}

test('analyze on an oxidize executable: libraries, glibc floor, payload summary', () => {
  const build = oxidize(['build'], { cwd: repoRoot });
  assert.equal(build.code, 0, build.stderr);
  const exe = path.join(repoRoot, build.stdout.trim());
  const { code, report, stderr } = analyzeJson(exe);
  assert.equal(code, 0, stderr);
  assert.ok(report.elf?.needed.includes('libc.so.6'));
  assert.ok(report.payload, 'the payload is reported');
  const p = report.payload;
  assert.deepEqual(p.run, { mode: 'module', argument: 'sample' });
  assert.equal(p.checksums.metadata, true);
  assert.deepEqual(p.checksums.blobsFailed, []);
  assert.ok(p.checksums.blobsChecked > 100);
  // The counts agree with an independent read of the payload.
  const entries = readPayload(readFileSync(exe)).entries;
  assert.equal(p.kinds.reduce((n, k) => n + k.count, 0), entries.length);
  assert.ok(p.kinds.find((k) => k.kind === 'module')!.count > 100);
  assert.ok(p.largestPackages.length > 0 && p.largestPackages[0].bytes >= p.largestPackages[1].bytes);
  const ssl = p.nativeModules.find((m) => m.name === '_ssl');
  assert.ok(ssl, 'the _ssl extension module is listed');
  assert.ok(ssl.needed.some((l) => l.startsWith('libssl.so')), JSON.stringify(ssl));
  // The floor covers the runtime and every native module, and this machine meets it.
  assert.ok(report.requires.glibc);
  const v = (s: string) => s.split('.').map(Number);
  const [fmaj, fmin] = v(report.requires.glibc);
  const [mmaj, mmin] = v(glibcOfThisMachine());
  assert.ok(fmaj < mmaj || (fmaj === mmaj && fmin <= mmin), `floor ${report.requires.glibc} above this machine's glibc`);
  for (const m of p.nativeModules) if (m.glibc) assert.ok(Number(m.glibc.split('.')[1]) <= fmin || Number(m.glibc.split('.')[0]) < fmaj);
  assert.ok(report.runsOn.length > 0);

  const text = oxidize(['analyze', exe]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^needs: .*libc\.so\.6/m);
  assert.match(text.stdout, /^requires: GLIBC_2\.\d+/m);
  assert.match(text.stdout, /^runs on \(oldest release per family\): /m);
  assert.match(text.stdout, /^checksums: metadata ok, (\d+)\/\1 blobs ok$/m);
  assert.match(text.stdout, /^runs: module sample$/m);
  assert.match(text.stdout, /^ {2}libssl\.so\.3 +_ssl$/m);

  // A damaged copy: the checksum failure is reported and the exit code says so.
  const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'oxidize-analyze-')), 'sample');
  copyFileSync(exe, copy);
  const bytes = readFileSync(copy);
  const payload = readPayload(bytes);
  const entry = payload.entries.find((e) => e.name === 'sample' && e.slots[1])!;
  payload.blobs[entry.slots[1]!.offset] ^= 0xff; // blobs is a view into `bytes`
  writeFileSync(copy, bytes);
  const damaged = oxidize(['analyze', copy]);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stdout, /failed: module sample/);

  // strip (binutils, which the C compiler brings) moves the payload's section; analyze finds it there.
  const stripped = path.join(path.dirname(copy), 'stripped');
  const s = spawnSync('strip', ['-o', stripped, exe], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  const r = analyzeJson(stripped);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.report.payload?.run, { mode: 'module', argument: 'sample' });
  assert.equal(r.report.payload?.checksums.metadata, true);
  assert.deepEqual(r.report.payload?.checksums.blobsFailed, []);
});

test('analyze on /usr/bin/python3.11: its libraries and glibc floor', { skip: !existsSync('/usr/bin/python3.11') && 'no /usr/bin/python3.11' }, () => {
  const { code, report, stderr } = analyzeJson('/usr/bin/python3.11');
  assert.equal(code, 0, stderr);
  assert.equal(report.payload, undefined);
  assert.ok(report.elf?.needed.includes('libc.so.6'));
  assert.ok(report.elf?.needed.includes('libm.so.6'));
  assert.match(report.elf?.interpreter ?? '', /ld-linux-x86-64\.so\.2$/);
  assert.match(report.requires.glibc ?? '', /^2\.\d+$/);
  assert.ok(report.runsOn.some((d) => d.family === 'Debian'));
});

test('analyze on something that is not a binary is one line', () => {
  const r = oxidize(['analyze', path.join(repoRoot, 'package.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^oxidize: error: .*package\.json: is neither an ELF file nor an oxidize executable; .*\n$/);
  const missing = oxidize(['analyze', '/nonexistent/file']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /is not a file/);
});
