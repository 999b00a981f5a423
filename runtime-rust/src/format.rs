//! Constants of the payload format; the byte layout is specified in
//! `schemas/payload-format.md`. Generated from schemas/payload-format.json by `npm run generate:format`; do not edit.

/// Last bytes of every oxidize executable.
pub const TRAILER_MAGIC: &[u8; 8] = b"OXIDIZE\x1a";
pub const TRAILER_LEN: usize = 32;
/// ELF section holding payload and trailer; found by name when strip moved it.
pub const PAYLOAD_SECTION: &[u8] = b".oxidize";
pub const FORMAT_VERSION: u32 = 3;

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
    pub const MAX: u8 = 5;
}

/// Entry flag bits.
pub mod flag {
    /// The module is a package (module entries).
    pub const PACKAGE: u8 = 1;
    /// The slots hold paths relative to the executable's directory (UTF-8), not data.
    pub const FILESYSTEM: u8 = 2;
    /// Slot 0 (a module's source, a resource's data) is a zlib stream (RFC 1950), inflated on first read by the packed `zlib` module; bytecode is never compressed. Set only in memory and when `zlib` is packed (format version 2).
    pub const COMPRESSED: u8 = 4;
    /// Slot 0 (an extension module or shared library) is its length as a little-endian u32 followed by one LZ4 block (lz4.org's block format), decoded by the runtime whenever it is loaded. Set only in memory (format version 3).
    pub const LZ4: u8 = 8;
}

/// Module slots.
pub mod slot {
    /// Source code, UTF-8 or with a coding cookie.
    pub const SOURCE: usize = 0;
    /// Marshalled code object (no .pyc header), optimize 0.
    pub const BYTECODE: usize = 1;
    /// Bytecode at optimize 1.
    pub const BYTECODE_OPT1: usize = 2;
    /// Bytecode at optimize 2.
    pub const BYTECODE_OPT2: usize = 3;
    /// The single slot of every other kind.
    pub const DATA: usize = 0;
}

/// Keys of the interpreter configuration records.
pub mod config_key {
    /// u8 run mode (below)
    pub const RUN_MODE: u16 = 1;
    /// UTF-8: module name, code or file name
    pub const RUN_ARG: u16 = 2;
    /// UTF-8 sys.path entry, may contain `$ORIGIN`; repeated
    pub const SYS_PATH: u16 = 3;
    /// u16 integer setting id, i32 value
    pub const SETTING: u16 = 4;
    /// u16 string setting id, UTF-8 value
    pub const STRING_SETTING: u16 = 5;
}

/// Run modes (the value of the run mode record).
pub mod run_mode {
    /// start and stop the interpreter
    pub const NONE: u8 = 0;
    /// the interactive interpreter, like `python`
    pub const REPL: u8 = 1;
    /// run the argument as `__main__`, like `python -m`
    pub const MODULE: u8 = 2;
    /// run the argument as code, like `python -c`
    pub const EVAL: u8 = 3;
    /// run the file the argument names, like `python FILE`
    pub const FILE: u8 = 4;
    /// be the `python` command: CPython parses the command line and environment as python3 does
    pub const PYTHON: u8 = 5;
}

/// Integer setting ids.
pub mod setting {
    /// PyConfig.site_import
    pub const SITE_IMPORT: u16 = 1;
    /// PyConfig.user_site_directory
    pub const USER_SITE_DIRECTORY: u16 = 2;
    /// PyConfig.use_environment
    pub const USE_ENVIRONMENT: u16 = 3;
    /// PyConfig.isolated
    pub const ISOLATED: u16 = 4;
    /// PyConfig.optimization_level
    pub const OPTIMIZATION_LEVEL: u16 = 5;
    /// PyConfig.bytes_warning
    pub const BYTES_WARNING: u16 = 6;
    /// PyConfig.buffered_stdio
    pub const BUFFERED_STDIO: u16 = 7;
    /// PyConfig.write_bytecode
    pub const WRITE_BYTECODE: u16 = 8;
    /// PyConfig.use_hash_seed
    pub const USE_HASH_SEED: u16 = 9;
    /// PyConfig.hash_seed, read when useHashSeed is 1
    pub const HASH_SEED: u16 = 10;
    /// PyConfig.quiet
    pub const QUIET: u16 = 11;
    /// PyConfig.inspect
    pub const INSPECT: u16 = 12;
    /// PyConfig.interactive
    pub const INTERACTIVE: u16 = 13;
    /// PyConfig.parser_debug
    pub const PARSER_DEBUG: u16 = 14;
    /// PyConfig.verbose
    pub const VERBOSE: u16 = 15;
    /// 1: after a module or command, join threads, run atexit handlers, flush open files, then _exit without finalizing
    pub const FAST_EXIT: u16 = 16;
    /// 1: Python's path finder stays on sys.meta_path after the payload's
    pub const FILESYSTEM_IMPORTER: u16 = 100;
    /// 1: sys.frozen = True
    pub const SYS_FROZEN: u16 = 101;
    /// 1: sys._MEIPASS = the executable's directory
    pub const SYS_MEIPASS: u16 = 102;
    /// TERMINFO_DIRS when unset: 0 dynamic, 1 none, 2 static (the terminfoDirs string)
    pub const TERMINFO_RESOLUTION: u16 = 103;
    /// in-memory modules get __file__ under the executable's path unless 0 (absent: 1)
    pub const IN_MEMORY_MODULE_FILE: u16 = 104;
    /// the payload is readable as files under the executable's path unless 0 (absent: 1)
    pub const IN_MEMORY_FILE_VIEW: u16 = 105;
}

/// String setting ids.
pub mod string_setting {
    /// PyConfig.stdio_encoding
    pub const STDIO_ENCODING: u16 = 1;
    /// PyConfig.stdio_errors
    pub const STDIO_ERRORS: u16 = 2;
    /// name of the variable naming where sys.modules is written at exit
    pub const WRITE_MODULES_DIRECTORY_ENV: u16 = 100;
    /// TERMINFO_DIRS for terminfoResolution static
    pub const TERMINFO_DIRS: u16 = 101;
}
