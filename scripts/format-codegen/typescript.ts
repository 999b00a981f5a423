/** src/payload/format.ts: the writer's constants. */
import { escapeBytes, GENERATED_NOTE, pascal, type FormatTable, type Named, type Setting } from './table.js';

const doc = (d: string | undefined, indent = '  ') => (d ? `${indent}/** ${d} */\n` : '');

function members(items: Array<{ name: string; value: number; doc?: string }>, sep: string): string {
  return items.map((i) => `${doc(i.doc)}  ${pascal(i.name)}${sep}${i.value},\n`).join('');
}

const settingDoc = (s: Setting) => (s.reader === 'PyConfig' ? `PyConfig.${s.field}` : s.doc);
const asNamed = (s: Setting[]): Named[] => s.map((x) => ({ name: x.name, value: x.id, doc: settingDoc(x) }));

export function renderTypeScript(t: FormatTable): string {
  return `/**
 * Constants of the payload format; \`schemas/payload-format.md\` is the
 * specification. ${GENERATED_NOTE}
 */
export const TRAILER_MAGIC = Buffer.from('${escapeBytes(t.trailerMagic)}', 'latin1');
export const TRAILER_LEN = ${t.trailerLen};
/** ELF section holding payload and trailer (see src/link/elf-section.ts). */
export const PAYLOAD_SECTION = '${t.payloadSection}';
export const FORMAT_VERSION = ${t.version};
export const HEADER_MAGIC = Buffer.from('${escapeBytes(t.headerMagic)}', 'latin1');
export const HEADER_LEN = ${t.headerLen};
export const ENTRY_LEN = ${t.entryLen};
export const SLOTS = ${t.slotCount};
export const SLOT_ABSENT = 0x${t.slotAbsent.toString(16)};
/** The single slot of every kind but modules. */
export const DATA_SLOT = ${t.dataSlot};

export enum EntryKind {
${members(t.kinds, ' = ')}}

export const EntryFlag = {
${members(t.flags, ': ')}} as const;

export const ModuleSlot = {
${members(t.moduleSlots, ': ')}} as const;

export enum ConfigKey {
${members(t.configKeys, ' = ')}}

export enum RunModeCode {
${members(t.runModes, ' = ')}}

/** Integer interpreter settings. */
export enum SettingId {
${members(asNamed(t.settings), ' = ')}}

export enum StringSettingId {
${members(asNamed(t.stringSettings), ' = ')}}
`;
}
