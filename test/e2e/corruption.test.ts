/** A damaged executable stops with one line and a non-zero status, never a crash. */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { run, type CliResult } from '../helpers/cli.js';
import { buildFixture } from '../helpers/fixtures.js';

let original: Buffer;
let work: string;

before(() => {
  const { dir, exes } = buildFixture('runtime', ['module']);
  const exe = exes.get('probe-module')!;
  original = readFileSync(exe);
  work = path.join(dir, 'damaged');
  copyFileSync(exe, work);
});

function runWith(bytes: Buffer, args: string[] = ['info']): CliResult {
  writeFileSync(work, bytes, { mode: 0o755 });
  return run(work, args);
}

function assertOneLineFailure(r: CliResult, pattern: RegExp) {
  assert.equal(r.signal, null, 'no crash');
  assert.equal(r.code, 70);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^oxidize: /);
  assert.match(lines[0], pattern);
}

test('the intact copy runs', () => {
  assert.equal(runWith(original).code, 0);
});

test('a truncated executable', () => {
  assertOneLineFailure(runWith(original.subarray(0, original.length - 1000)), /no payload|do not match the file size/);
  assertOneLineFailure(runWith(original.subarray(0, Math.floor(original.length / 2))), /no payload|do not match the file size/);
});

test('bytes appended after the trailer: the payload is still found through its ELF section', () => {
  assert.equal(runWith(Buffer.concat([original, Buffer.from('appended')])).code, 0);
  // Without the section headers (e_shoff cleared) nothing leads to the payload.
  const headless = Buffer.concat([original, Buffer.from('appended')]);
  headless.writeBigUInt64LE(0n, 0x28);
  assertOneLineFailure(runWith(headless), /no payload/);
});

test('a damaged payload header', () => {
  const bytes = Buffer.from(original);
  const trailer = bytes.subarray(bytes.length - 32);
  const payloadStart = Number(trailer.readBigUInt64LE(0));
  bytes[payloadStart + 20] ^= 0xff;
  assertOneLineFailure(runWith(bytes), /corrupted|outside the payload|header/);
});

test('a damaged module is caught by its checksum when it is imported', () => {
  const bytes = Buffer.from(original);
  const marker = Buffer.from('PROBE-MARKER-7f3a9c');
  let at = bytes.indexOf(marker);
  assert.ok(at > 0, 'marker present');
  while (at > 0) {
    bytes[at] = 'X'.charCodeAt(0);
    at = bytes.indexOf(marker, at + 1);
  }
  assertOneLineFailure(runWith(bytes), /payload is corrupted \(resource 'probe\.cli' fails its checksum\)/);
});
