//! Constants of the payload format. The byte layout is specified in
//! `schemas/payload-format.md`; `src/payload/format.ts` is the writer's copy.

/// Last bytes of every oxidize executable.
pub const TRAILER_MAGIC: &[u8; 8] = b"OXIDIZE\x1a";
pub const TRAILER_LEN: usize = 32;
pub const FORMAT_VERSION: u32 = 1;

pub const HEADER_MAGIC: &[u8; 8] = b"OXPAYLD\x00";
pub const HEADER_LEN: usize = 72;
pub const ENTRY_LEN: usize = 64;
pub const SLOTS: usize = 4;
/// Offset value of a slot that holds nothing.
pub const SLOT_ABSENT: u32 = u32::MAX;

/// Resource kinds; the index is sorted by (kind, name bytes).
pub mod kind {
    pub const MODULE: u8 = 1;
    pub const EXTENSION: u8 = 2;
    pub const PACKAGE_RESOURCE: u8 = 3;
    pub const DISTRIBUTION_RESOURCE: u8 = 4;
    pub const SHARED_LIBRARY: u8 = 5;
    pub const FILE: u8 = 6;
    pub const MAX: u8 = 6;
}

/// Entry flag bits.
pub mod flag {
    pub const PACKAGE: u8 = 1;
    /// The slots hold paths relative to the executable's directory, not data.
    pub const FILESYSTEM: u8 = 2;
}

/// Module slots.
pub mod slot {
    pub const SOURCE: usize = 0;
    pub const BYTECODE: usize = 1;
    pub const BYTECODE_OPT1: usize = 2;
    pub const BYTECODE_OPT2: usize = 3;
    /// The single slot of every other kind.
    pub const DATA: usize = 0;
}

/// Keys of the interpreter configuration records.
pub mod config_key {
    pub const RUN_MODE: u16 = 1;
    pub const RUN_ARG: u16 = 2;
    pub const SYS_PATH: u16 = 3;
    /// An integer interpreter setting: u16 setting id, then i32 value.
    pub const SETTING: u16 = 4;
    /// A string interpreter setting: u16 setting id, then UTF-8.
    pub const STRING_SETTING: u16 = 5;
}
