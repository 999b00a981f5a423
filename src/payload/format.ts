/**
 * Constants of the payload format; `schemas/payload-format.md` is the
 * specification and `runtime-rust/src/format.rs` the reader's copy.
 */
export const TRAILER_MAGIC = Buffer.from('OXIDIZE\x1a', 'latin1');
export const TRAILER_LEN = 32;
export const FORMAT_VERSION = 1;
export const HEADER_MAGIC = Buffer.from('OXPAYLD\x00', 'latin1');
export const HEADER_LEN = 72;
export const ENTRY_LEN = 64;
export const SLOTS = 4;
export const SLOT_ABSENT = 0xffffffff;

export enum EntryKind {
  Module = 1,
  Extension = 2,
  PackageResource = 3,
  DistributionResource = 4,
  SharedLibrary = 5,
  File = 6,
}

export const EntryFlag = {
  Package: 1,
  /** Slots hold paths relative to the executable's directory, not data. */
  Filesystem: 2,
} as const;

export const ModuleSlot = { Source: 0, Bytecode: 1, BytecodeOpt1: 2, BytecodeOpt2: 3 } as const;

export enum ConfigKey {
  RunMode = 1,
  RunArg = 2,
  SysPath = 3,
  Setting = 4,
  StringSetting = 5,
}

export enum RunModeCode {
  None = 0,
  Repl = 1,
  Module = 2,
  Eval = 3,
  File = 4,
}

/** Integer interpreter settings (ids shared with `runtime-rust/c/oxidize_glue.c`). */
export enum SettingId {
  SiteImport = 1,
  UserSiteDirectory = 2,
  UseEnvironment = 3,
  Isolated = 4,
  OptimizationLevel = 5,
  BytesWarning = 6,
  BufferedStdio = 7,
  WriteBytecode = 8,
  UseHashSeed = 9,
  HashSeed = 10,
  Quiet = 11,
  Inspect = 12,
  Interactive = 13,
  ParserDebug = 14,
  Verbose = 15,
  InstallSignalHandlers = 16,
  Utf8Mode = 17,
  DevMode = 18,
  /** Settings from 100 on are read by the Python-level importer, not PyConfig. */
  FilesystemImporter = 100,
  SysFrozen = 101,
  SysMeipass = 102,
  /** 0 dynamic, 1 none, 2 static. */
  TerminfoResolution = 103,
  InMemoryModuleFile = 104,
}

export enum StringSettingId {
  StdioEncoding = 1,
  StdioErrors = 2,
  WriteModulesDirectoryEnv = 100,
  TerminfoDirs = 101,
}
