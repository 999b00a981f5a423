/**
 * Checks of the arguments given to the config's helper functions
 * (`readPackageRoot`, `pipInstall`, `readVirtualenv`, `glob`,
 * `addPythonResources`, ...). TypeScript catches these in an editor, but a
 * config is often not type-checked: a string where a list is expected would
 * otherwise be read character by character. Inside a target's `build`, the
 * error names the config file and the target.
 */
import { OxidizeError } from '../errors.js';
import { configError, currentConfigPlace } from './validate.js';
import { typeName } from './shape.js';

/** `pyoxidizer.config.ts: targets.exe → <message>` inside a target's build, else the message alone. */
export function argumentError(message: string, hint: string): OxidizeError {
  const place = currentConfigPlace();
  return place.target === undefined ? new OxidizeError('CONFIG_TYPE', message, hint) : configError('CONFIG_TYPE', place, [], `→ ${message}`, hint);
}

function fail(call: string, what: string, value: unknown, expected: string, hint: string): never {
  throw argumentError(`${call}: ${what} is ${typeName(value)}, expected ${expected}`, hint);
}

/** A string argument. */
export function checkString(call: string, what: string, value: unknown, hint: string): void {
  if (typeof value !== 'string') fail(call, what, value, 'a string', hint);
}

/** An array of strings (a lone string is the usual mistake: the hint shows the call with brackets). */
export function checkStringList(call: string, what: string, value: unknown, hint: string): void {
  if (!Array.isArray(value)) fail(call, what, value, 'an array of strings', hint);
  value.forEach((v, i) => {
    if (typeof v !== 'string') fail(call, `${what}[${i}]`, v, 'a string', hint);
  });
}

/** An options object, when given. */
export function checkOptions(call: string, value: unknown, hint: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) fail(call, 'the options', value, 'an object', hint);
}

/** An optional object of strings (an environment). */
export function checkStringRecordOption(call: string, what: string, value: unknown, hint: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(call, what, value, 'an object of strings', hint);
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') fail(call, `${what}.${k}`, v, 'a string', hint);
}

/** An optional boolean option. */
export function checkBooleanOption(call: string, what: string, value: unknown, hint: string): void {
  if (value !== undefined && typeof value !== 'boolean') fail(call, what, value, 'true or false', hint);
}
