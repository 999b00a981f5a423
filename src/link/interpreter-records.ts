import { runModeOf, type InterpreterConfig } from '../config/interpreter.js';
import { RunModeCode, SettingId, type StringSettingId } from '../payload/format.js';
import type { PayloadConfig } from '../payload/writer.js';

const RUN_MODE_CODES = { module: RunModeCode.Module, command: RunModeCode.Eval, file: RunModeCode.File, repl: RunModeCode.Repl, none: RunModeCode.None } as const;

/** The interpreter configuration as payload records. */
export function interpreterRecords(c: InterpreterConfig): PayloadConfig {
  const mode = runModeOf(c);
  const settings: Array<[SettingId, number]> = [];
  const stringSettings: Array<[StringSettingId, string]> = [];
  if (c.filesystemImporter) settings.push([SettingId.FilesystemImporter, 1]);
  return {
    runMode: RUN_MODE_CODES[mode.kind],
    runArg: 'value' in mode ? mode.value : '',
    sysPaths: c.sysPaths ?? [],
    settings,
    stringSettings,
  };
}
