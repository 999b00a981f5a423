/** runtime-rust/src/format.rs (the reader's constants) and run_config.rs (the struct handed to C). */
import { escapeBytes, GENERATED_NOTE, runConfigLayout, upperSnake, type FieldType, type FormatTable } from './table.js';

function module(name: string, doc: string, type: string, items: Array<{ name: string; value: number; doc?: string }>, extra = ''): string {
  const body = items.map((i) => `${i.doc ? `    /// ${i.doc}\n` : ''}    pub const ${upperSnake(i.name)}: ${type} = ${i.value};\n`).join('');
  return `/// ${doc}\npub mod ${name} {\n${body}${extra}}\n`;
}

export function renderRustFormat(t: FormatTable): string {
  const settings = (s: FormatTable['settings']) => s.map((x) => ({ name: x.name, value: x.id, doc: x.reader === 'PyConfig' ? `PyConfig.${x.field}` : x.doc }));
  const maxKind = Math.max(...t.kinds.map((k) => k.value));
  return `//! Constants of the payload format; the byte layout is specified in
//! \`schemas/payload-format.md\`. ${GENERATED_NOTE}

/// Last bytes of every oxidize executable.
pub const TRAILER_MAGIC: &[u8; 8] = b"${escapeBytes(t.trailerMagic)}";
pub const TRAILER_LEN: usize = ${t.trailerLen};
/// ELF section holding payload and trailer; found by name when strip moved it.
pub const PAYLOAD_SECTION: &[u8] = b"${escapeBytes(t.payloadSection)}";
pub const FORMAT_VERSION: u32 = ${t.version};

pub const HEADER_MAGIC: &[u8; 8] = b"${escapeBytes(t.headerMagic)}";
pub const HEADER_LEN: usize = ${t.headerLen};
pub const ENTRY_LEN: usize = ${t.entryLen};
pub const SLOTS: usize = ${t.slotCount};
/// Offset value of a slot that holds nothing.
pub const SLOT_ABSENT: u32 = u32::MAX;

${module('kind', 'Resource kinds; the index is sorted by (kind, name bytes).', 'u8', t.kinds, `    pub const MAX: u8 = ${maxKind};\n`)}
${module('flag', 'Entry flag bits.', 'u8', t.flags)}
${module('slot', 'Module slots.', 'usize', t.moduleSlots, `    /// The single slot of every other kind.\n    pub const DATA: usize = ${t.dataSlot};\n`)}
${module('config_key', 'Keys of the interpreter configuration records.', 'u16', t.configKeys)}
${module('run_mode', 'Run modes (the value of the run mode record).', 'u8', t.runModes)}
${module('setting', 'Integer setting ids.', 'u16', settings(t.settings))}
${module('string_setting', 'String setting ids.', 'u16', settings(t.stringSettings))}`;
}

const RUST_TYPE: Record<FieldType, string> = {
  cstr: '*const c_char',
  int: 'c_int',
  argv: '*mut *mut c_char',
  cstrArray: '*const *const c_char',
  settings: '*const Setting',
  stringSettings: '*const StringSetting',
  bytes: '*const u8',
  size: 'usize',
};

export function renderRustRunConfig(t: FormatTable): string {
  const fields = t.runConfig.fields;
  const { offsets, size } = runConfigLayout(fields);
  const decl = fields.map((f) => `    /// ${f.doc}\n    pub ${f.name}: ${RUST_TYPE[f.type]},\n`).join('');
  const checks = fields.map((f, i) => `        assert_eq!(unsafe { addr_of!((*p).${f.name}) } as usize - base, ${offsets[i]}, "offset of ${f.name}");\n`).join('');
  return `//! The run configuration the Rust runtime hands to the C glue
//! (\`oxidize_python_main\`); \`c/oxidize_format.h\` declares the same structs
//! and both sides assert the layout below. ${GENERATED_NOTE}

use std::os::raw::{c_char, c_int};

/// An integer setting: a setting id of the format and its value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub id: c_int,
    pub value: c_int,
}

/// A string setting: a string setting id and a NUL-terminated UTF-8 value.
#[repr(C)]
pub struct StringSetting {
    pub id: c_int,
    pub value: *const c_char,
}

#[repr(C)]
pub struct RunConfig {
${decl}}

/// Size of \`RunConfig\` on LP64 Linux, as the C side asserts too.
#[cfg(target_pointer_width = "64")]
pub const RUN_CONFIG_SIZE: usize = ${size};

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<RunConfig>() == RUN_CONFIG_SIZE);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<StringSetting>() == 16);
const _: () = assert!(std::mem::size_of::<Setting>() == 8);

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;
    use std::ptr::addr_of;

    #[test]
    fn layout_matches_the_c_declaration() {
        let c = std::mem::MaybeUninit::<RunConfig>::uninit();
        let p = c.as_ptr();
        let base = p as usize;
${checks}    }
}
`;
}
