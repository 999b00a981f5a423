import { runModeOf, type InterpreterConfig } from '../config/interpreter.js';
import { OxidizeError } from '../errors.js';
import { RunModeCode, SettingId, StringSettingId } from '../payload/format.js';
import type { PayloadConfig } from '../payload/writer.js';

const RUN_MODE_CODES = { module: RunModeCode.Module, command: RunModeCode.Eval, file: RunModeCode.File, repl: RunModeCode.Repl, none: RunModeCode.None, python: RunModeCode.Python } as const;
const TERMINFO = { dynamic: 0, none: 1, static: 2 } as const;

const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);

/** The interpreter configuration as payload records; unset fields keep Python's defaults. */
export function interpreterRecords(c: InterpreterConfig): PayloadConfig {
  let mode;
  try {
    mode = runModeOf(c);
  } catch (e) {
    throw new OxidizeError('BAD_CONFIG', (e as Error).message, 'keep one way of running in the interpreter config');
  }
  if (c.terminfoResolution === 'static' && !c.terminfoDirs) {
    throw new OxidizeError('BAD_CONFIG', "terminfoResolution 'static' needs terminfoDirs", 'set terminfoDirs to the terminfo directories, colon-separated');
  }
  const ints: Array<[SettingId, number | undefined]> = [
    [SettingId.SiteImport, flag(c.siteImport)],
    [SettingId.UserSiteDirectory, flag(c.userSiteDirectory)],
    [SettingId.UseEnvironment, c.ignoreEnvironment === undefined ? undefined : c.ignoreEnvironment ? 0 : 1],
    [SettingId.Isolated, flag(c.isolated)],
    [SettingId.OptimizationLevel, c.optimizeLevel],
    [SettingId.BytesWarning, c.bytesWarning],
    [SettingId.BufferedStdio, c.unbufferedStdio === undefined ? undefined : c.unbufferedStdio ? 0 : 1],
    [SettingId.WriteBytecode, c.writeBytecode === undefined ? 0 : flag(c.writeBytecode)],
    [SettingId.UseHashSeed, flag(c.useHashSeed)],
    [SettingId.HashSeed, c.useHashSeed ? c.hashSeed ?? 0 : undefined],
    [SettingId.Quiet, flag(c.quiet)],
    [SettingId.Inspect, flag(c.inspect)],
    [SettingId.Interactive, flag(c.interactive)],
    [SettingId.ParserDebug, flag(c.parserDebug)],
    [SettingId.Verbose, c.verbose],
    [SettingId.FastExit, flag(c.fastExit)],
    [SettingId.FilesystemImporter, flag(c.filesystemImporter)],
    [SettingId.SysFrozen, flag(c.sysFrozen)],
    [SettingId.SysMeipass, flag(c.sysMeipass)],
    [SettingId.InMemoryModuleFile, flag(c.inMemoryModuleFile)],
    [SettingId.InMemoryFileView, flag(c.inMemoryFileView)],
    [SettingId.TerminfoResolution, c.terminfoResolution === undefined ? undefined : TERMINFO[c.terminfoResolution]],
  ];
  const strings: Array<[StringSettingId, string | undefined]> = [
    [StringSettingId.StdioEncoding, c.stdioEncoding?.split(':')[0]],
    [StringSettingId.StdioErrors, c.stdioEncoding?.includes(':') ? c.stdioEncoding.split(':')[1] : undefined],
    [StringSettingId.WriteModulesDirectoryEnv, c.writeModulesDirectoryEnv],
    [StringSettingId.TerminfoDirs, c.terminfoDirs],
  ];
  return {
    runMode: RUN_MODE_CODES[mode.kind],
    runArg: 'value' in mode ? mode.value : '',
    sysPaths: c.sysPaths ?? [],
    settings: ints.filter((s): s is [SettingId, number] => s[1] !== undefined),
    stringSettings: strings.filter((s): s is [StringSettingId, string] => s[1] !== undefined),
  };
}
