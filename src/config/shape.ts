/**
 * A small typed description of a value's shape: it validates values (the
 * first problem, with its key path) and renders a JSON Schema. Object
 * shapes are typed against the interface they describe, so an interface
 * field without a description is a compile error.
 */

/** A problem with a value, at a key path relative to the value checked. */
export interface ShapeIssue {
  readonly code: 'CONFIG_UNKNOWN_KEY' | 'CONFIG_TYPE' | 'CONFIG_ENUM' | 'CONFIG_RANGE' | 'CONFIG_RUN_MODES' | 'CONFIG_NAME' | 'BAD_CONFIG' | 'BAD_POLICY';
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

type Check<T> = (value: T) => Omit<ShapeIssue, 'path'> | undefined;

export type Shape =
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly check?: Check<string> }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'enum'; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: 'union'; readonly of: readonly Shape[] }
  | { readonly kind: 'array'; readonly items: Shape }
  | { readonly kind: 'record'; readonly values: Shape; readonly keys?: Check<string> }
  | { readonly kind: 'object'; readonly title?: string; readonly fields: Readonly<Record<string, Field>>; readonly open?: boolean; readonly rules?: readonly Check<Record<string, unknown>>[] }
  | { readonly kind: 'function' }
  | { readonly kind: 'unknown' };

export interface Field {
  readonly shape: Shape;
  readonly description: string;
  readonly required?: boolean;
}

export const field = (description: string, shape: Shape, required = false): Field => ({ shape, description, required });
export const string = (options: { pattern?: RegExp; check?: Check<string> } = {}): Shape => ({ kind: 'string', ...options });
export const boolean: Shape = { kind: 'boolean' };
export const integer = (min?: number, max?: number): Shape => ({ kind: 'integer', min, max });
export const oneOf = (...values: (string | number | boolean)[]): Shape => ({ kind: 'enum', values });
/** One of several shapes (`string | false`). */
export const anyOf = (...of: Shape[]): Shape => ({ kind: 'union', of });
export const arrayOf = (items: Shape): Shape => ({ kind: 'array', items });
export const recordOf = (values: Shape, keys?: Check<string>): Shape => ({ kind: 'record', values, keys });
export const fn: Shape = { kind: 'function' };
export const unknown: Shape = { kind: 'unknown' };

/** An object shape with one field per key of T (optional keys included), closed unless `open`. */
export function object<T>(
  title: string,
  fields: { readonly [K in keyof Required<T>]-?: Field },
  options: { open?: boolean; rules?: readonly Check<Record<string, unknown>>[] } = {},
): Shape {
  return { kind: 'object', title, fields: fields as Record<string, Field>, ...options };
}

/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours: `scr` is one edit from `src`), for did-you-mean suggestions. */
function distance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
    }
    [prev2, prev] = [prev, row];
  }
  return prev[b.length];
}

/**
 * The known key closest to `key`, if close enough to be a likely typo (at
 * most `maxDistance` edits; by default 2, or a third of the key's length).
 */
export function didYouMean(key: string, known: Iterable<string>, maxDistance = Math.max(2, Math.floor(key.length / 3))): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    // Too different in length to be within reach: skip the edit distance.
    if (Math.abs(k.length - key.length) > maxDistance || k === key) continue;
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= maxDistance ? best : undefined;
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v === 'function' ? 'a function' : typeof v;
}

const expected: Record<Shape['kind'], string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'an integer',
  enum: 'one of',
  union: 'one of',
  array: 'an array',
  record: 'an object',
  object: 'an object',
  function: 'a function',
  unknown: 'anything',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(shape: Shape): string {
  return shape.kind === 'enum' ? shape.values.map((v) => JSON.stringify(v)).join(' or ') : expected[shape.kind];
}

/** The first problem with `value` against `shape`, or undefined. */
export function validate(shape: Shape, value: unknown, path: (string | number)[] = []): ShapeIssue | undefined {
  const at = (issue: Omit<ShapeIssue, 'path'> | undefined, sub: (string | number)[] = path): ShapeIssue | undefined => (issue ? { ...issue, path: sub } : undefined);
  const wrongType = () => at({ code: 'CONFIG_TYPE', message: `is ${typeName(value)}, expected ${expected[shape.kind]}` });
  switch (shape.kind) {
    case 'unknown':
      return undefined;
    case 'function':
      return typeof value === 'function' ? undefined : wrongType();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType();
    case 'string':
      if (typeof value !== 'string') return wrongType();
      return at(shape.check?.(value));
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType();
      if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) {
        return at({ code: 'CONFIG_RANGE', message: `is ${value}, outside ${shape.min ?? '-∞'}..${shape.max ?? '∞'}`, hint: `use an integer from ${shape.min} to ${shape.max}` });
      }
      return undefined;
    case 'enum':
      if (shape.values.includes(value as string | number | boolean)) return undefined;
      return at({ code: 'CONFIG_ENUM', message: `is ${typeName(value)}, expected one of ${shape.values.map((v) => JSON.stringify(v)).join(', ')}` });
    case 'union': {
      const issues = shape.of.map((alt) => validate(alt, value, path));
      if (issues.some((i) => i === undefined)) return undefined;
      // The alternative of the value's own type explains best (a bad file name, not "expected false").
      return issues.find((i) => i!.code !== 'CONFIG_TYPE' && i!.code !== 'CONFIG_ENUM') ?? at({ code: 'CONFIG_TYPE', message: `is ${typeName(value)}, expected ${shape.of.map(describe).join(' or ')}` });
    }
    case 'array':
      if (!Array.isArray(value)) return wrongType();
      for (let i = 0; i < value.length; i++) {
        const issue = validate(shape.items, value[i], [...path, i]);
        if (issue) return issue;
      }
      return undefined;
    case 'record':
      if (!isPlainObject(value)) return wrongType();
      for (const [k, v] of Object.entries(value)) {
        const issue = at(shape.keys?.(k), [...path, k]) ?? validate(shape.values, v, [...path, k]);
        if (issue) return issue;
      }
      return undefined;
    case 'object': {
      if (!isPlainObject(value)) return wrongType();
      const known = Object.keys(shape.fields);
      if (!shape.open) {
        for (const k of Object.keys(value)) {
          if (Object.hasOwn(shape.fields, k)) continue;
          const suggestion = didYouMean(k, known);
          return at({ code: 'CONFIG_UNKNOWN_KEY', message: 'is not a known key', hint: suggestion ? `did you mean ${suggestion}?` : `known keys: ${known.join(', ')}` }, [...path, k]);
        }
      }
      for (const [k, f] of Object.entries(shape.fields)) {
        const v = value[k];
        if (v === undefined) {
          if (f.required) return at({ code: 'CONFIG_TYPE', message: `is missing (${f.description.replace(/\.$/, '')})` }, [...path, k]);
          continue;
        }
        const issue = validate(f.shape, v, [...path, k]);
        if (issue) return issue;
      }
      for (const rule of shape.rules ?? []) {
        const issue = at(rule(value));
        if (issue) return issue;
      }
      return undefined;
    }
  }
}

/** `a.b[0].c` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${i ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`)).join('');
}

/** The JSON Schema (draft-07) of a shape. */
export function jsonSchema(shape: Shape, description?: string): Record<string, unknown> {
  const d = description ? { description } : {};
  switch (shape.kind) {
    case 'unknown':
      return { ...d };
    case 'function':
      return { ...d, description: `${description ?? ''} (a function; not expressible in JSON)`.trim() };
    case 'boolean':
      return { ...d, type: 'boolean' };
    case 'string':
      return { ...d, type: 'string', ...(shape.pattern ? { pattern: shape.pattern.source } : {}) };
    case 'integer':
      return { ...d, type: 'integer', ...(shape.min !== undefined ? { minimum: shape.min } : {}), ...(shape.max !== undefined ? { maximum: shape.max } : {}) };
    case 'enum':
      return { ...d, enum: [...shape.values] };
    case 'union':
      return { ...d, anyOf: shape.of.map((alt) => jsonSchema(alt)) };
    case 'array':
      return { ...d, type: 'array', items: jsonSchema(shape.items) };
    case 'record':
      return { ...d, type: 'object', additionalProperties: jsonSchema(shape.values) };
    case 'object':
      return {
        ...d,
        ...(shape.title ? { title: shape.title } : {}),
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.fields).map(([k, f]) => [k, jsonSchema(f.shape, f.description)])),
        required: Object.entries(shape.fields).filter(([, f]) => f.required).map(([k]) => k),
        additionalProperties: Boolean(shape.open),
      };
  }
}
