/** `--var KEY=VALUE` and `--var-env KEY=ENV`: values for a config's `env.vars`. */
import type { ConfigValue } from '../config/define.js';
import { OxidizeError } from '../errors.js';

/** cac gives a repeated option as an array, a single one as a value. */
export function many(v: unknown): string[] {
  if (v === undefined || v === false) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function split(flag: string, item: string): [string, string] {
  const at = item.indexOf('=');
  const key = at > 0 ? item.slice(0, at) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new OxidizeError('BAD_VAR', `${flag} ${JSON.stringify(item)} is not KEY=VALUE with a KEY of letters, digits and _`, `write it like ${flag} NAME=value`);
  }
  return [key, item.slice(at + 1)];
}

/** A `--var` value: JSON when it parses as JSON (numbers, booleans, lists, quoted strings), else the text itself. */
export function parseVarValue(text: string): ConfigValue {
  try {
    return JSON.parse(text) as ConfigValue;
  } catch {
    return text;
  }
}

export function parseVars(vars: unknown, varEnv: unknown, env: Record<string, string | undefined> = process.env): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const item of many(vars)) {
    const [k, v] = split('--var', item);
    out[k] = parseVarValue(v);
  }
  for (const item of many(varEnv)) {
    const [k, name] = split('--var-env', item);
    const value = env[name];
    if (value === undefined) throw new OxidizeError('VAR_ENV_UNSET', `--var-env ${item}: the environment variable ${name} is not set`, `set ${name}, or pass the value with --var ${k}=...`);
    out[k] = value;
  }
  return out;
}
