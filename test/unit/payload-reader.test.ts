/** The TypeScript payload reader (used by `oxidize analyze`) reads back what the writer wrote, and notices damage. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigKey, EntryFlag, EntryKind, RunModeCode, SettingId, TRAILER_LEN } from '../../src/payload/format.js';
import { hasPayload, readPayload, slotData, slotVerifies } from '../../src/payload/reader.js';
import { serializePayload, type PayloadEntry } from '../../src/payload/writer.js';

const entries: PayloadEntry[] = [
  { kind: EntryKind.Module, name: 'pkg', flags: EntryFlag.Package, slots: [Buffer.from('x = 1'), Buffer.from([0xe3, 7]), undefined, undefined] },
  { kind: EntryKind.Extension, name: '_native', flags: 0, slots: [Buffer.from('\x7fELF not really')] },
  { kind: EntryKind.PackageResource, name: 'pkg\0data.txt', flags: EntryFlag.Filesystem, slots: [Buffer.from('lib/pkg/data.txt')] },
];
const config = { runMode: RunModeCode.Module, runArg: 'pkg', sysPaths: ['$ORIGIN/lib'], settings: [[SettingId.OptimizationLevel, 1]] as Array<[number, number]>, stringSettings: [] };
const stub = Buffer.from('a stub of 24 bytes......');

function executable(): Buffer {
  return Buffer.concat([stub, ...serializePayload(entries, config, stub.length)]);
}

test('reads entries, slots and config records as written', () => {
  const file = executable();
  assert.ok(hasPayload(file));
  const p = readPayload(file);
  assert.equal(p.payloadOffset, stub.length);
  assert.equal(p.payloadOffset + p.payloadLength + TRAILER_LEN, file.length);
  assert.ok(p.metadataVerified);
  assert.deepEqual(p.entries.map((e) => [e.kind, e.name, e.flags]), [
    [EntryKind.Module, 'pkg', EntryFlag.Package],
    [EntryKind.Extension, '_native', 0],
    [EntryKind.PackageResource, 'pkg\0data.txt', EntryFlag.Filesystem],
  ]);
  const mod = p.entries[0];
  assert.equal(slotData(p, mod.slots[0]!).toString(), 'x = 1');
  assert.deepEqual([...slotData(p, mod.slots[1]!)], [0xe3, 7]);
  assert.equal(mod.slots[2], undefined);
  assert.ok(p.entries.every((e) => e.slots.every((s) => s === undefined || slotVerifies(p, s))));
  const keys = p.config.map((r) => r.key);
  assert.deepEqual(keys.slice(0, 3), [ConfigKey.RunMode, ConfigKey.RunArg, ConfigKey.SysPath]);
  assert.equal(p.config[1].value.toString(), 'pkg');
});

test('a changed blob fails its checksum; changed metadata fails the trailer checksum', () => {
  const file = executable();
  const p = readPayload(file);
  const slot = p.entries[0].slots[0]!;
  p.blobs[slot.offset] ^= 0xff;
  assert.equal(slotVerifies(p, slot), false);
  const meta = executable();
  meta[stub.length + 80] ^= 0x01; // inside the config section
  assert.equal(readPayload(meta).metadataVerified, false);
});

test('a file without a payload, or truncated, is refused with a reason', () => {
  assert.equal(hasPayload(stub), false);
  assert.throws(() => readPayload(stub), /no oxidize payload/);
  const file = executable();
  const cut = Buffer.concat([file.subarray(0, 30), file.subarray(40)]);
  assert.throws(() => readPayload(cut), /does not match the file size/);
});
