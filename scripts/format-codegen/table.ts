/** The payload format table (`schemas/payload-format.json`) and the naming rules every generator shares. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Named {
  name: string;
  value: number;
  doc?: string;
}

export interface Setting {
  name: string;
  id: number;
  /** Who reads it: a PyConfig field, the C glue itself, or the Python importer. */
  reader: 'PyConfig' | 'glue' | 'importer';
  field?: string;
  doc?: string;
  /** The interpreter config key it comes from. */
  config: string;
}

export type FieldType = 'cstr' | 'int' | 'argv' | 'cstrArray' | 'settings' | 'stringSettings' | 'bytes' | 'size';

export interface Field {
  name: string;
  type: FieldType;
  doc: string;
}

export interface FormatTable {
  version: number;
  trailerMagic: string;
  headerMagic: string;
  trailerLen: number;
  /** ELF section holding payload + trailer, which `strip` keeps. */
  payloadSection: string;
  headerLen: number;
  entryLen: number;
  slotCount: number;
  slotAbsent: number;
  kinds: Array<Named & { key: string; slots: string }>;
  flags: Named[];
  moduleSlots: Named[];
  dataSlot: number;
  configKeys: Named[];
  runModes: Named[];
  settings: Setting[];
  stringSettings: Setting[];
  runConfig: { fields: Field[] };
}

export const TABLE_PATH = 'schemas/payload-format.json';

export function loadTable(root: string): FormatTable {
  return JSON.parse(readFileSync(path.join(root, TABLE_PATH), 'utf8')) as FormatTable;
}

/** "bytecodeOpt1" -> "BYTECODE_OPT1" */
export const upperSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
/** "packageResource" -> "PackageResource" */
export const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);

/** Escapes bytes outside printable ASCII as \xNN (valid in TypeScript, Rust and C strings of 8 bytes). */
export function escapeBytes(s: string): string {
  return [...s].map((c) => (c >= ' ' && c <= '~' && c !== '\\' && c !== '"' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
}

/**
 * Every constant the C module publishes to the importer (name without the
 * OXIDIZE_ prefix, value), in table order.
 */
export function publishedConstants(t: FormatTable): Array<[string, number]> {
  const out: Array<[string, number]> = [['FORMAT_VERSION', t.version]];
  for (const k of t.kinds) out.push([`KIND_${upperSnake(k.name)}`, k.value]);
  for (const f of t.flags) out.push([`FLAG_${upperSnake(f.name)}`, f.value]);
  for (const s of t.moduleSlots) out.push([`SLOT_${upperSnake(s.name)}`, s.value]);
  out.push(['SLOT_DATA', t.dataSlot]);
  for (const k of t.configKeys) out.push([`CONFIG_KEY_${upperSnake(k.name)}`, k.value]);
  for (const m of t.runModes) out.push([`RUN_MODE_${upperSnake(m.name)}`, m.value]);
  for (const s of t.settings) out.push([`SETTING_${upperSnake(s.name)}`, s.id]);
  for (const s of t.stringSettings) out.push([`STRING_SETTING_${upperSnake(s.name)}`, s.id]);
  return out;
}

/** Size and alignment of a RunConfig field type on LP64 Linux (x86_64, aarch64). */
const LP64: Record<FieldType, number> = { cstr: 8, int: 4, argv: 8, cstrArray: 8, settings: 8, stringSettings: 8, bytes: 8, size: 8 };

/** Field offsets and total size of the RunConfig struct on LP64, by C's layout rules. */
export function runConfigLayout(fields: Field[]): { offsets: number[]; size: number } {
  let at = 0;
  let align = 1;
  const offsets = fields.map((f) => {
    const s = LP64[f.type];
    align = Math.max(align, s);
    at = Math.ceil(at / s) * s;
    const o = at;
    at += s;
    return o;
  });
  return { offsets, size: Math.ceil(at / align) * align };
}

export const GENERATED_NOTE = 'Generated from schemas/payload-format.json by `npm run generate:format`; do not edit.';
