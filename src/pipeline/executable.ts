import type { InterpreterConfig } from '../config/interpreter.js';
import { typeName } from '../config/shape.js';
import { argumentError } from '../config/arguments.js';
import { checkExecutableOptions, noteExecutableMade } from '../config/validate.js';
import type { PackagingPolicy } from '../config/policy.js';
import type { Resource } from '../resources/types.js';
import type { OxidizePlugin, ResourceSource } from './plugin.js';

export interface PythonExecutableOptions {
  /** File name of the executable. */
  name: string;
  config?: InterpreterConfig;
  packagingPolicy?: PackagingPolicy;
  /** Plugins applied to this executable's build, after the built-in ones. */
  plugins?: OxidizePlugin[];
}

/** Marks executables across module copies (a config may load its own copy of this package). */
const BRAND = Symbol.for('oxidize.PythonExecutable');

export function isPythonExecutable(x: unknown): x is PythonExecutable {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

function isResource(x: unknown): x is Resource {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

function isSource(x: unknown): x is ResourceSource {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

/** An argument of addPythonResources that is neither a source nor a resource (a package name given as a string, a forgotten call). */
function notAddable(value: unknown, where: string): never {
  let hint = 'pass sources (readPackageRoot(...), pipInstall(...), readVirtualenv(...)) or resources';
  if (typeof value === 'string') {
    // 'src/myapp' (or 'src/six.py'): the directory holding it, and its name.
    const trimmed = value.replace(/\/+$/, '');
    const slash = trimmed.lastIndexOf('/');
    const dir = slash < 0 ? '<dir>' : trimmed.slice(0, slash) || '/';
    const name = trimmed.slice(slash + 1).replace(/\.py$/, '');
    hint = `to pack the package ${name}, pass a source: readPackageRoot(${slash < 0 ? "'<dir>'" : JSON.stringify(dir)}, [${JSON.stringify(name)}]) (or pipInstall([...]), readVirtualenv(...))`;
  }
  throw argumentError(`addPythonResources(): ${where} is ${typeName(value)}, not a resource source or resource`, hint);
}

/**
 * An executable to build, returned by a target. Resources are added as
 * sources (collected by plugins in the collect phase) or as ready resources.
 */
export class PythonExecutable {
  readonly name: string;
  readonly config: InterpreterConfig;
  readonly packagingPolicy: PackagingPolicy;
  readonly plugins: OxidizePlugin[];
  readonly sources: ResourceSource[] = [];
  readonly resources: Resource[] = [];
  readonly [BRAND] = true;

  constructor(options: PythonExecutableOptions) {
    checkExecutableOptions(options);
    noteExecutableMade();
    this.name = options.name;
    this.config = { ...(options.config ?? {}) };
    this.packagingPolicy = { ...(options.packagingPolicy ?? {}) };
    this.plugins = [...(options.plugins ?? [])];
  }

  /** Adds sources (`readPackageRoot(...)`, ...) or resources. */
  addPythonResources(...items: Array<ResourceSource | Resource | readonly Resource[]>): this {
    items.forEach((item: unknown, i) => {
      if (Array.isArray(item)) {
        item.forEach((r: unknown, j) => {
          if (!isResource(r)) notAddable(r, `argument ${i + 1}[${j}]`);
        });
        this.resources.push(...(item as readonly Resource[]));
      } else if (isResource(item)) this.resources.push(item);
      else if (isSource(item)) this.sources.push(item);
      else notAddable(item, `argument ${i + 1}`);
    });
    return this;
  }

  addPlugin(plugin: OxidizePlugin): this {
    this.plugins.push(plugin);
    return this;
  }
}
