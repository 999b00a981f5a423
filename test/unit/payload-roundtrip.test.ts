/** The TypeScript writer and the Rust reader agree on every byte of the format. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { EntryFlag, EntryKind, RunModeCode, SettingId, StringSettingId, TRAILER_LEN } from '../../src/payload/format.js';
import { crc32c } from '../../src/payload/hash.js';
import { serializePayload, type PayloadEntry } from '../../src/payload/writer.js';
import { dumpPayload } from '../helpers/payload-dump.js';

const hex = (b: Uint8Array | undefined) => (b === undefined ? '-' : Buffer.from(b).toString('hex'));

test('crc32c matches the check values the Rust side tests', () => {
  assert.equal(crc32c(Buffer.from('')), 0);
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x22620404);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
});

test('crc32c of a view into a larger buffer, at every length and offset, equals the bitwise definition', () => {
  const bitwise = (d: Uint8Array) => {
    let c = ~0;
    for (const b of d) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const data = Buffer.from(Array.from({ length: 80 }, (_, i) => (i * 151 + 7) & 0xff));
  for (let start = 0; start < 9; start++) {
    for (let end = start; end <= data.length; end++) {
      const view = data.subarray(start, end);
      assert.equal(crc32c(view), bitwise(view), `[${start}, ${end})`);
    }
  }
});

const entries: PayloadEntry[] = [
  { kind: EntryKind.Module, name: 'zeta', flags: 0, slots: [Buffer.from('print(1)'), Buffer.from([0xe3, 1, 2]), undefined, undefined] },
  { kind: EntryKind.Module, name: 'alpha', flags: EntryFlag.Package, slots: [undefined, Buffer.alloc(0), undefined, Buffer.from([9])] },
  { kind: EntryKind.Module, name: 'alpha.beta', flags: 0, slots: [undefined, Buffer.from('abc'), undefined, undefined] },
  { kind: EntryKind.Extension, name: '_speedups', flags: 0, slots: [Buffer.from('\x7fELF')] },
  { kind: EntryKind.PackageResource, name: 'alpha\0data/words.txt', flags: 0, slots: [Buffer.from('one two')] },
  { kind: EntryKind.DistributionResource, name: 'alpha-1.0.dist-info\0METADATA', flags: 0, slots: [Buffer.from('Name: alpha')] },
  { kind: EntryKind.Module, name: 'ünïcode', flags: EntryFlag.Filesystem, slots: [Buffer.from('lib/ünïcode.py')] },
];
const config = {
  runMode: RunModeCode.Module,
  runArg: 'alpha.beta',
  sysPaths: ['$ORIGIN/lib', '/opt/x'],
  settings: [[SettingId.OptimizationLevel, 2], [SettingId.HashSeed, -7]] as Array<[number, number]>,
  stringSettings: [[StringSettingId.StdioEncoding, 'utf-8:strict']] as Array<[number, string]>,
};

function writeExecutable(prefix: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'oxidize-payload-')), 'exe');
  writeFileSync(file, Buffer.concat([prefix, ...serializePayload(entries, config, prefix.length)]));
  return file;
}

test('a payload written by TypeScript reads back identically in Rust', () => {
  const file = writeExecutable(Buffer.from('pretend this is the runtime stub\n'));
  const { code, lines } = dumpPayload(file);
  assert.equal(code, 0, lines.join('\n'));
  const expectedEntries = [...entries]
    .sort((a, b) => a.kind - b.kind || Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
    .map((e) => `entry ${e.kind} ${e.flags} ${e.name} ${[0, 1, 2, 3].map((s) => hex(e.slots[s])).join(' ')}`);
  assert.deepEqual(lines, [
    'run_mode 2',
    'run_arg alpha.beta',
    'sys_path $ORIGIN/lib',
    'sys_path /opt/x',
    'setting 5 2',
    'setting 10 -7',
    'string_setting 1 utf-8:strict',
    ...expectedEntries,
  ]);
});

test('the same input serializes to the same bytes', () => {
  const a = Buffer.concat(serializePayload(entries, config, 10));
  const b = Buffer.concat(serializePayload([...entries].reverse(), config, 10));
  assert.ok(a.equals(b));
});

test('duplicate entries are refused', () => {
  assert.throws(() => serializePayload([entries[0], entries[0]], config, 0), /duplicate payload entry Module "zeta"/);
});

test('a damaged blob is caught by its checksum, a damaged index by the metadata checksum', () => {
  const file = writeExecutable(Buffer.alloc(64, 0x90));
  const bytes = readFileSync(file);
  const blob = bytes.indexOf(Buffer.from('one two'));
  const broken = Buffer.from(bytes);
  broken[blob] ^= 0xff;
  writeFileSync(file, broken);
  const damagedBlob = dumpPayload(file);
  assert.equal(damagedBlob.code, 0);
  assert.ok(damagedBlob.lines.includes('entry 3 0 alpha\0data/words.txt CORRUPT - - -'), damagedBlob.lines.join('\n'));

  const index = Buffer.from(bytes);
  index[64 + 72 + 10] ^= 0x01; // inside the config, covered by the metadata checksum
  writeFileSync(file, index);
  assert.deepEqual(dumpPayload(file), { code: 1, lines: ['error payload metadata fails its checksum (the file is corrupted)'] });
});

test('a truncated file has no trailer', () => {
  const file = writeExecutable(Buffer.alloc(16));
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length - 5));
  const r = dumpPayload(file);
  assert.equal(r.code, 1);
  assert.match(r.lines[0], /^error no payload: the file does not end with an oxidize trailer/);
  writeFileSync(file, Buffer.concat([bytes.subarray(0, 40), bytes.subarray(bytes.length - TRAILER_LEN)]));
  assert.match(dumpPayload(file).lines[0], /^error payload bounds in the trailer do not match the file size/);
});
