/**
 * Applies the config's shape (config-shape.ts) and turns the first problem
 * into one error naming the config file and the key path:
 * `pyoxidizer.config.ts: targets.exe → config.runModul is not a known key; did you mean runModule?`
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { configShape, executableOptionsShape } from './config-shape.js';
import { formatPath, validate, type ShapeIssue } from './shape.js';

/** Where a value sits: the config file and, for an executable's options, the target that made it. */
export interface ConfigPlace {
  readonly file?: string;
  readonly target?: string;
}

function shortFile(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** `targets.exe → config.runModul`, or the path alone outside a target. */
export function keyPath(place: ConfigPlace, keys: readonly (string | number)[]): string {
  const inner = formatPath(keys);
  if (place.target === undefined) return inner || 'config';
  const target = formatPath(['targets', place.target]);
  return inner ? `${target} → ${inner}` : target;
}

/** An error about one config value. */
export function configError(code: string, place: ConfigPlace, keys: readonly (string | number)[], message: string, hint?: string): OxidizeError {
  const where = keyPath(place, keys);
  return new OxidizeError(code, `${place.file ? `${shortFile(place.file)}: ` : ''}${where} ${message}`, hint);
}

function fail(issue: ShapeIssue, place: ConfigPlace): never {
  throw configError(issue.code, place, issue.path, issue.message, issue.hint);
}

/** Checks a loaded config (the keys of each target, not what the targets return). */
export function checkConfig(config: unknown, file: string): void {
  const issue = validate(configShape, config);
  if (issue) fail(issue, { file });
}

/** What a target's `build` made while it ran (see build-targets.ts). */
export interface TargetActivity {
  /** Executables made with `toPythonExecutable()`. */
  executables: number;
}

/** The target whose `build` is running, so executables it makes are checked with it named. */
const currentPlace = new AsyncLocalStorage<{ place: ConfigPlace; activity?: TargetActivity }>();

export function inConfigPlace<T>(place: ConfigPlace, run: () => T, activity?: TargetActivity): T {
  return currentPlace.run({ place, activity }, run);
}

/** Where the code running now sits: the config file and target whose `build` is running, or nowhere. */
export function currentConfigPlace(): ConfigPlace {
  return currentPlace.getStore()?.place ?? {};
}

/** Counts an executable made by the running target. */
export function noteExecutableMade(): void {
  const activity = currentPlace.getStore()?.activity;
  if (activity) activity.executables++;
}

/** Checks `toPythonExecutable()`'s options; inside a target's `build`, errors name the config file and the target. */
export function checkExecutableOptions(options: unknown, place: ConfigPlace = currentConfigPlace()): void {
  const issue = validate(executableOptionsShape, options);
  if (issue) fail(issue, place);
}
