import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { trimToSegments } from '../../src/link/elf-trim.js';

test('non-ELF and 32-bit data are left alone', () => {
  const text = Buffer.from('not an ELF file at all, just some bytes long enough to have a header'.repeat(2));
  assert.equal(trimToSegments(text), text);
  const elf32 = Buffer.alloc(128);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1]).copy(elf32);
  assert.equal(trimToSegments(elf32), elf32);
});

test('a shared library keeps its segments and loses what follows', () => {
  // The C library is a shared library on every machine this runs on.
  const libc = readFileSync('/lib/x86_64-linux-gnu/libc.so.6');
  const trimmed = Buffer.from(trimToSegments(libc));
  assert.ok(trimmed.length <= libc.length);
  assert.ok(trimmed.subarray(0, 0x28).equals(libc.subarray(0, 0x28)), 'header up to e_shoff unchanged');
  assert.equal(trimmed.readBigUInt64LE(0x28), trimmed.length < libc.length ? 0n : libc.readBigUInt64LE(0x28));
  const phoff = Number(libc.readBigUInt64LE(0x20));
  const phnum = libc.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * 56;
    const end = Number(libc.readBigUInt64LE(at + 8)) + Number(libc.readBigUInt64LE(at + 32));
    assert.ok(end <= trimmed.length, `segment ${i} kept`);
    assert.ok(trimmed.subarray(64, end).equals(libc.subarray(64, end)), `segment ${i} bytes unchanged`);
  }
});
