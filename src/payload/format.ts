/**
 * Constants of the payload format; `schemas/payload-format.md` is the
 * specification. Generated from schemas/payload-format.json by `npm run generate:format`; do not edit.
 */
export const TRAILER_MAGIC = Buffer.from('OXIDIZE\x1a', 'latin1');
export const TRAILER_LEN = 32;
/** ELF section holding payload and trailer (see src/link/elf-section.ts). */
export const PAYLOAD_SECTION = '.oxidize';
export const FORMAT_VERSION = 3;
export const HEADER_MAGIC = Buffer.from('OXPAYLD\x00', 'latin1');
export const HEADER_LEN = 72;
export const ENTRY_LEN = 64;
export const SLOTS = 4;
export const SLOT_ABSENT = 0xffffffff;
/** The single slot of every kind but modules. */
export const DATA_SLOT = 0;

export enum EntryKind {
  Module = 1,
  Extension = 2,
  PackageResource = 3,
  DistributionResource = 4,
  SharedLibrary = 5,
}

export const EntryFlag = {
  /** The module is a package (module entries). */
  Package: 1,
  /** The slots hold paths relative to the executable's directory (UTF-8), not data. */
  Filesystem: 2,
  /** Slot 0 (a module's source, a resource's data) is a zlib stream (RFC 1950), inflated on first read by the packed `zlib` module; bytecode is never compressed. Set only in memory and when `zlib` is packed (format version 2). */
  Compressed: 4,
  /** Slot 0 (an extension module or shared library) is its length as a little-endian u32 followed by one LZ4 block (lz4.org's block format), decoded by the runtime whenever it is loaded. Set only in memory (format version 3). */
  Lz4: 8,
} as const;

export const ModuleSlot = {
  /** Source code, UTF-8 or with a coding cookie. */
  Source: 0,
  /** Marshalled code object (no .pyc header), optimize 0. */
  Bytecode: 1,
  /** Bytecode at optimize 1. */
  BytecodeOpt1: 2,
  /** Bytecode at optimize 2. */
  BytecodeOpt2: 3,
} as const;

export enum ConfigKey {
  /** u8 run mode (below) */
  RunMode = 1,
  /** UTF-8: module name, code or file name */
  RunArg = 2,
  /** UTF-8 sys.path entry, may contain `$ORIGIN`; repeated */
  SysPath = 3,
  /** u16 integer setting id, i32 value */
  Setting = 4,
  /** u16 string setting id, UTF-8 value */
  StringSetting = 5,
}

export enum RunModeCode {
  /** start and stop the interpreter */
  None = 0,
  /** the interactive interpreter, like `python` */
  Repl = 1,
  /** run the argument as `__main__`, like `python -m` */
  Module = 2,
  /** run the argument as code, like `python -c` */
  Eval = 3,
  /** run the file the argument names, like `python FILE` */
  File = 4,
  /** be the `python` command: CPython parses the command line and environment as python3 does */
  Python = 5,
}

/** Integer interpreter settings. */
export enum SettingId {
  /** PyConfig.site_import */
  SiteImport = 1,
  /** PyConfig.user_site_directory */
  UserSiteDirectory = 2,
  /** PyConfig.use_environment */
  UseEnvironment = 3,
  /** PyConfig.isolated */
  Isolated = 4,
  /** PyConfig.optimization_level */
  OptimizationLevel = 5,
  /** PyConfig.bytes_warning */
  BytesWarning = 6,
  /** PyConfig.buffered_stdio */
  BufferedStdio = 7,
  /** PyConfig.write_bytecode */
  WriteBytecode = 8,
  /** PyConfig.use_hash_seed */
  UseHashSeed = 9,
  /** PyConfig.hash_seed, read when useHashSeed is 1 */
  HashSeed = 10,
  /** PyConfig.quiet */
  Quiet = 11,
  /** PyConfig.inspect */
  Inspect = 12,
  /** PyConfig.interactive */
  Interactive = 13,
  /** PyConfig.parser_debug */
  ParserDebug = 14,
  /** PyConfig.verbose */
  Verbose = 15,
  /** 1: after a module or command, join threads, run atexit handlers, flush open files, then _exit without finalizing */
  FastExit = 16,
  /** 1: Python's path finder stays on sys.meta_path after the payload's */
  FilesystemImporter = 100,
  /** 1: sys.frozen = True */
  SysFrozen = 101,
  /** 1: sys._MEIPASS = the executable's directory */
  SysMeipass = 102,
  /** TERMINFO_DIRS when unset: 0 dynamic, 1 none, 2 static (the terminfoDirs string) */
  TerminfoResolution = 103,
  /** in-memory modules get __file__ under the executable's path unless 0 (absent: 1) */
  InMemoryModuleFile = 104,
  /** the payload is readable as files under the executable's path unless 0 (absent: 1) */
  InMemoryFileView = 105,
}

export enum StringSettingId {
  /** PyConfig.stdio_encoding */
  StdioEncoding = 1,
  /** PyConfig.stdio_errors */
  StdioErrors = 2,
  /** name of the variable naming where sys.modules is written at exit */
  WriteModulesDirectoryEnv = 100,
  /** TERMINFO_DIRS for terminfoResolution static */
  TerminfoDirs = 101,
}
