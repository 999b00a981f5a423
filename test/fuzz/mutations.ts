/**
 * Mutations of a built executable, confined to what oxidize appends to the
 * runtime stub (section tables, payload, trailer): bit flips, byte runs,
 * truncations, length and offset fields set to extremes, appended junk and
 * swapped chunks or payloads. A mutation is a set of byte patches plus an
 * optional new tail, so it can be applied to a file in place and undone.
 */

/** A small seeded generator (mulberry32), so a run can be repeated. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mutation {
  readonly kind: MutationKind;
  readonly description: string;
  /** Bytes written at offsets of the file. */
  readonly patches: ReadonlyArray<{ readonly offset: number; readonly data: Buffer }>;
  /** Everything from `from` on is replaced by `data`. */
  readonly tail?: { readonly from: number; readonly data: Buffer };
}

export const MUTATION_KINDS = ['bit flips', 'byte run', 'truncation', 'extreme field', 'appended junk', 'chunk swap', 'payload swap'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** What the mutator knows of the executable. */
export interface Target {
  readonly bytes: Buffer;
  /** Size of the runtime stub's own bytes: nothing before this is touched. */
  readonly stubSize: number;
  /** Another executable on the same stub, whose appended part can be swapped in. */
  readonly other: Buffer;
}

interface Field {
  readonly name: string;
  readonly offset: number;
  readonly size: 1 | 4 | 8;
}

const TRAILER = 32;
const HEADER = 72;
const INDEX_ENTRY = 64;

/** The numeric fields of the trailer, the payload header and the index (see schemas/payload-format.md). */
export function fields(t: Target): Field[] {
  const b = t.bytes;
  const trailer = b.length - TRAILER;
  const payload = Number(b.readBigUInt64LE(trailer));
  const out: Field[] = [
    { name: 'trailer payload offset', offset: trailer, size: 8 },
    { name: 'trailer payload length', offset: trailer + 8, size: 8 },
    { name: 'trailer checksum', offset: trailer + 16, size: 4 },
    { name: 'trailer version', offset: trailer + 20, size: 4 },
    { name: 'header version', offset: payload + 8, size: 4 },
    { name: 'header entry count', offset: payload + 12, size: 4 },
  ];
  const header = ['config offset', 'config length', 'index offset', 'strings offset', 'strings length', 'blobs offset', 'blobs length'];
  header.forEach((name, i) => out.push({ name: `header ${name}`, offset: payload + 16 + 8 * i, size: 8 }));
  const count = b.readUInt32LE(payload + 12);
  const index = payload + Number(b.readBigUInt64LE(payload + 32));
  for (let e = 0; e < count; e++) {
    const at = index + e * INDEX_ENTRY;
    out.push({ name: 'entry name offset', offset: at, size: 4 }, { name: 'entry name length', offset: at + 4, size: 4 });
    out.push({ name: 'entry kind', offset: at + 8, size: 1 }, { name: 'entry flags', offset: at + 9, size: 1 });
    for (let s = 0; s < 4; s++) {
      const slot = at + 16 + 12 * s;
      out.push({ name: 'slot offset', offset: slot, size: 4 }, { name: 'slot length', offset: slot + 4, size: 4 }, { name: 'slot checksum', offset: slot + 8, size: 4 });
    }
  }
  if (HEADER + payload > b.length) throw new Error('not an oxidize executable');
  return out;
}

function extremes(size: 1 | 4 | 8, t: Target, current: bigint): bigint[] {
  const max = (1n << BigInt(size * 8)) - 1n;
  const len = BigInt(t.bytes.length);
  return [0n, 1n, max, max - 1n, max >> 1n, (max >> 1n) + 1n, current + 1n, current - 1n, current * 2n, len, len - 32n, len + 1n].map((v) => ((v % (max + 1n)) + (max + 1n)) % (max + 1n));
}

function encode(value: bigint, size: 1 | 4 | 8): Buffer {
  const b = Buffer.alloc(size);
  if (size === 1) b[0] = Number(value);
  else if (size === 4) b.writeUInt32LE(Number(value));
  else b.writeBigUInt64LE(value);
  return b;
}

function read(b: Buffer, f: Field): bigint {
  return f.size === 1 ? BigInt(b[f.offset]) : f.size === 4 ? BigInt(b.readUInt32LE(f.offset)) : b.readBigUInt64LE(f.offset);
}

/** One random mutation of `t`. */
export function mutate(t: Target, random: () => number, fieldList: readonly Field[]): Mutation {
  const b = t.bytes;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const appended = b.length - t.stubSize;
  const at = () => t.stubSize + int(0, appended - 1);
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  const kind = MUTATION_KINDS[int(0, MUTATION_KINDS.length - 1)];
  switch (kind) {
    case 'bit flips': {
      const patches = Array.from({ length: int(1, 4) }, () => {
        const o = at();
        return { offset: o, data: Buffer.from([b[o] ^ (1 << int(0, 7))]) };
      });
      return { kind, description: `flip bits at ${patches.map((p) => p.offset).join(', ')}`, patches };
    }
    case 'byte run': {
      const o = at();
      const data = randomBytes(Math.min(int(1, 16), b.length - o));
      return { kind, description: `${data.length} random bytes at ${o}`, patches: [{ offset: o, data }] };
    }
    case 'truncation': {
      const to = random() < 0.3 ? b.length - int(1, 64) : at();
      return { kind, description: `truncate to ${to}`, patches: [], tail: { from: to, data: Buffer.alloc(0) } };
    }
    case 'extreme field': {
      const f = fieldList[random() < 0.5 ? int(0, 12) : int(0, fieldList.length - 1)];
      const choices = extremes(f.size, t, read(b, f));
      const value = choices[int(0, choices.length - 1)];
      return { kind, description: `${f.name} at ${f.offset} = ${value}`, patches: [{ offset: f.offset, data: encode(value, f.size) }] };
    }
    case 'appended junk': {
      // Sometimes the junk ends like a trailer, so the reader finds one at the end.
      const junk = random() < 0.3 ? Buffer.concat([randomBytes(int(0, 64)), b.subarray(b.length - TRAILER)]) : randomBytes(int(1, 4096));
      return { kind, description: `${junk.length} bytes appended`, patches: [], tail: { from: b.length, data: junk } };
    }
    case 'chunk swap': {
      const n = int(1, 256);
      const x = t.stubSize + int(0, appended - n);
      const y = t.stubSize + int(0, appended - n);
      return {
        kind,
        description: `swap ${n} bytes at ${x} and ${y}`,
        patches: [
          { offset: x, data: Buffer.from(b.subarray(y, y + n)) },
          { offset: y, data: Buffer.from(b.subarray(x, x + n)) },
        ],
      };
    }
    case 'payload swap': {
      // The other executable's appended part on this stub (a whole, valid other program),
      // or only its payload and trailer behind this executable's section tables.
      const otherPayload = Number(t.other.readBigUInt64LE(t.other.length - TRAILER));
      const thisPayload = Number(b.readBigUInt64LE(b.length - TRAILER));
      return random() < 0.5
        ? { kind, description: 'the other executable appended to this stub', patches: [], tail: { from: t.stubSize, data: t.other.subarray(t.stubSize) } }
        : { kind, description: "the other executable's payload behind this one's section tables", patches: [], tail: { from: thisPayload, data: t.other.subarray(otherPayload) } };
    }
  }
}
