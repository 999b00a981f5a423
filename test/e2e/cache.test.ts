/**
 * The build cache is verified on every use: a damaged stub or bytecode entry
 * is rebuilt with a one-line warning, never shipped.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { cargoTargetDir, stubEntryPath, stubKey } from '../../src/link/stub.js';
import { cacheDir } from '../../src/util/paths.js';
import { oxidize, run } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';

const marker = `cache-marker-${randomBytes(6).toString('hex')}`;
let dir: string;
let exe: string;

function build(): { stderr: string } {
  const r = oxidize(['build'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  exe = path.resolve(dir, r.stdout.trim().split('\n').pop()!);
  return r;
}

function assertRuns() {
  const r = run(exe);
  assert.equal(r.signal, null, 'no crash');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `4950 ${marker}`);
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('oxidize: warning:'));
}

/** The stub entry builds use now. */
async function currentStubEntry(): Promise<string> {
  return stubEntryPath(cacheDir(), await stubKey(await resolveHostDistribution()));
}

function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(d, e.name)) : [path.join(d, e.name)]));
}

/** The bytecode entry of this test's module (its source holds the marker). */
function bytecodeEntry(): string {
  const found = filesUnder(path.join(cacheDir(), 'bytecode')).filter((f) => readFileSync(f).includes(marker));
  assert.equal(found.length, 1, 'one bytecode entry holds the marker');
  return found[0];
}

before(() => {
  dir = tinyApp('cached', `print(sum(range(100)), ${JSON.stringify(marker)})\n`);
  build();
  assertRuns();
});

test('a truncated cached stub is rebuilt with one warning', async () => {
  const entry = await currentStubEntry();
  truncateSync(entry, 3_000_000);
  const w = warnings(build().stderr);
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0], /runtime stub .*oxidize-stub\.entry is damaged .*rebuilding it/);
  assertRuns();
  assert.ok(statSync(entry).size > 3_000_000, 'the entry was rewritten');
  // Rebuilt in the target directory of its own key, which no other runtime sources share.
  assert.ok(existsSync(cargoTargetDir(cacheDir(), await stubKey(await resolveHostDistribution()))), 'cargo-target/<key>');
});

test('a cached stub replaced by a shell script is never run', async () => {
  const entry = await currentStubEntry();
  const script = Buffer.from('#!/bin/sh\necho pwned\n');
  writeFileSync(entry, script, { mode: 0o755 });
  assert.match(warnings(build().stderr)[0] ?? '', /no cache header/);
  assertRuns();
  // Also with a header whose digest matches the script: the ELF check catches it.
  const header = Buffer.alloc(48);
  header.write('OXCACHE1');
  header.writeBigUInt64LE(BigInt(script.length), 8);
  createHash('sha256').update(script).digest().copy(header, 16);
  writeFileSync(entry, Buffer.concat([header, script]));
  assert.match(warnings(build().stderr)[0] ?? '', /not an ELF file/);
  assertRuns();
});

test('a changed constant in cached bytecode is recompiled, not shipped', () => {
  const entry = bytecodeEntry();
  const bytes = readFileSync(entry);
  // The constant 100 is marshalled as TYPE_INT ('i', maybe with FLAG_REF) and 4 bytes.
  let at = -1;
  for (const t of [0x69, 0xe9]) {
    const i = bytes.indexOf(Buffer.from([t, 100, 0, 0, 0]), 48);
    if (i > 0) at = i;
  }
  assert.ok(at > 0, 'the constant is in the entry');
  bytes[at + 1] = 99;
  writeFileSync(entry, bytes);
  const w = warnings(build().stderr);
  assert.equal(w.length, 1, w.join('\n'));
  assert.match(w[0], /1 cached bytecode file\(s\) damaged .*does not match its recorded SHA-256.*recompiling/);
  assertRuns();
});

test('cache entries that are directories are replaced, the build goes on', async () => {
  for (const entry of [await currentStubEntry(), bytecodeEntry()]) {
    rmSync(entry);
    mkdirSync(path.join(entry, 'inside'), { recursive: true });
  }
  const w = warnings(build().stderr);
  assert.equal(w.length, 2, w.join('\n'));
  for (const line of w) assert.match(line, /is a directory/);
  assertRuns();
  assert.deepEqual(warnings(build().stderr), [], 'the next build finds a sound cache');
});
