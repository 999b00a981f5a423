/** The ELF reader of `oxidize analyze` on programs compiled here, and the glibc-to-distribution table. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { compareVersions, highestVersion, manylinuxTag, oldestDistros } from '../../src/analyze/distros.js';
import { isElf, readElf } from '../../src/analyze/elf.js';
import { readElfNeeds, requiredGlibc } from '../../src/distribution/elf.js';
import { trimToSegments } from '../../src/link/elf-trim.js';

const C_PROGRAM = `#include <math.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { char b[64]; memcpy(b, argv[0], strlen(argv[0]) % 64); printf("%f %d\\n", sin(argc), b[0]); return 0; }
`;

function compile(compiler: string, source: string, ext: string, args: string[]): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-elf-'));
  writeFileSync(path.join(dir, `prog.${ext}`), source);
  const out = path.join(dir, 'prog');
  const r = spawnSync(compiler, [path.join(dir, `prog.${ext}`), '-o', out, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

test('a C program: its libraries and the glibc versions of its symbols', () => {
  const info = readElf(compile('gcc', C_PROGRAM, 'c', ['-Wl,--no-as-needed', '-lm']));
  assert.equal(info.bits, 64);
  assert.equal(info.machine, 'x86-64');
  assert.match(info.interpreter ?? '', /ld-linux/);
  assert.deepEqual(info.needed, ['libm.so.6', 'libc.so.6']);
  const libc = info.versionNeeds.find((n) => n.library === 'libc.so.6');
  // memcpy's default version on x86-64 is GLIBC_2.14.
  assert.ok(libc?.versions.includes('GLIBC_2.14'), JSON.stringify(info.versionNeeds));
  assert.ok(info.versionNeeds.some((n) => n.library === 'libm.so.6'));
});

test('what a distribution needs from the machine: libraries and the glibc floor, from the same reader', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-elf-'));
  const file = path.join(dir, 'prog');
  writeFileSync(file, compile('gcc', C_PROGRAM, 'c', ['-Wl,--no-as-needed', '-lm']));
  const needs = await readElfNeeds(file);
  assert.deepEqual(needs?.libraries, ['libm.so.6', 'libc.so.6']);
  assert.ok(needs && compareVersions(requiredGlibc(needs) ?? '0', '2.14') >= 0);
  writeFileSync(file, 'not ELF');
  assert.equal(await readElfNeeds(file), undefined);
});

test('a shared library trimmed to its segments reads the same', () => {
  const lib = compile('gcc', 'int f(int x) { return x * 2; }\n', 'c', ['-shared', '-fPIC', '-Wl,-soname,libtwice.so.1']);
  const whole = readElf(lib);
  assert.equal(whole.soname, 'libtwice.so.1');
  assert.deepEqual(readElf(trimToSegments(lib)), whole);
});

const hasGxx = spawnSync('g++', ['--version']).status === 0;
test('a C++ program needs libstdc++ symbol versions', { skip: !hasGxx && 'g++ is not installed' }, () => {
  const info = readElf(compile('g++', '#include <string>\n#include <iostream>\nint main() { std::string s("x"); std::cout << s << std::endl; }\n', 'cc', []));
  assert.ok(info.needed.includes('libstdc++.so.6'));
  assert.ok(highestVersion(info.versionNeeds.flatMap((n) => n.versions), 'GLIBCXX_'));
});

test('damaged and foreign files are errors, not crashes', () => {
  assert.equal(isElf(Buffer.from('#!/bin/sh\n')), false);
  assert.throws(() => readElf(Buffer.from('#!/bin/sh\necho hello world, this is not an ELF file\n')), /not an ELF file/);
  const lib = compile('gcc', 'int g(void) { return 1; }\n', 'c', ['-shared', '-fPIC']);
  assert.throws(() => readElf(lib.subarray(0, 200)), /damaged ELF file/);
});

test('glibc floors map to the oldest release of each family', () => {
  assert.ok(compareVersions('2.9', '2.17') < 0);
  assert.equal(highestVersion(['GLIBC_2.2.5', 'GLIBC_2.17', 'GLIBC_2.3.4', 'GLIBC_PRIVATE', 'GLIBCXX_3.4'], 'GLIBC_'), '2.17');
  const names = (f: { glibc?: string; glibcxx?: string }) => oldestDistros(f).map((d) => `${d.family} ${d.release}`);
  assert.deepEqual(names({ glibc: '2.17' }), ['Debian 8 (jessie)', 'Ubuntu 14.04', 'RHEL/CentOS 7', 'Amazon Linux 2']);
  assert.deepEqual(names({ glibc: '2.28' }), ['Debian 10 (buster)', 'Ubuntu 20.04', 'RHEL/CentOS 8', 'Amazon Linux 2023']);
  assert.deepEqual(names({ glibc: '2.28', glibcxx: '3.4.29' }), ['Debian 12 (bookworm)', 'Ubuntu 22.04', 'RHEL/CentOS 9', 'Amazon Linux 2023']);
  assert.deepEqual(names({ glibc: '2.99' }), []);
  assert.equal(manylinuxTag('2.35'), 'manylinux_2_35_x86_64');
});
