/**
 * What a plugin receives instead of the build: hooks it can tap but not
 * call, read-only views of the executable, distribution and policy, and
 * messages tagged with the plugin's name.
 */
import type { InterpreterConfig } from '../config/interpreter.js';
import type { PackagingPolicy, ResolvedPolicy } from '../config/policy.js';
import type { PythonDistribution } from '../distribution/types.js';
import type { Resource } from '../resources/types.js';
import { OxidizeError } from '../errors.js';
import type { Build, BuildOptions } from './build.js';
import { pluginHooks, type PluginHooks } from './hooks.js';
import type { ResourceSource } from './plugin.js';

/** The executable as plugins see it. */
export interface ExecutableView {
  readonly name: string;
  readonly config: Readonly<InterpreterConfig>;
  readonly packagingPolicy: Readonly<PackagingPolicy>;
  /** The resources given directly to `addPythonResources`. */
  readonly resources: readonly Resource[];
}

export interface PluginContext {
  /** The plugin's name: taps, messages and errors carry it. */
  readonly name: string;
  readonly hooks: PluginHooks;
  readonly executable: ExecutableView;
  readonly distribution: PythonDistribution;
  /** The packaging policy with defaults filled in. */
  readonly policy: ResolvedPolicy;
  readonly options: BuildOptions;
  /** The sources of one kind the user added with `addPythonResources`. */
  sourcesOf<T extends ResourceSource>(kind: T['kind']): readonly T[];
  /** A detail shown with --verbose, prefixed with the plugin's name. */
  log(message: string): void;
  /** A warning shown to the user, prefixed with the plugin's name. */
  warn(message: string): void;
  /** Stops the build with an error the user can fix: one line, `message; hint`. */
  error(message: string, hint?: string, code?: string): never;
}

/** A deep copy that cannot be changed (plain objects and arrays; other values as they are). */
export function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozenCopy(v)]))) as T;
  }
  return value;
}

/** Which build a context belongs to: registries of plugin-owned hooks are keyed by it. */
const buildOfContext = new WeakMap<PluginContext, Build>();

export function buildOf(owner: PluginContext | Build): Build {
  const build = buildOfContext.get(owner as PluginContext);
  return build ?? (owner as Build);
}

export function createPluginContext(build: Build, plugin: string): PluginContext {
  const executable: ExecutableView = frozenCopy({
    name: build.executable.name,
    config: build.executable.config,
    packagingPolicy: build.executable.packagingPolicy,
    resources: build.executable.resources,
  });
  const distribution = frozenCopy(build.distribution);
  const policy = frozenCopy(build.policy);
  const ctx: PluginContext = Object.freeze({
    name: plugin,
    hooks: pluginHooks(build.hooks, plugin),
    executable,
    distribution,
    policy,
    options: build.options,
    sourcesOf<T extends ResourceSource>(kind: T['kind']): readonly T[] {
      return build.executable.sources.filter((s): s is T => s.kind === kind).map(frozenCopy);
    },
    log(message: string) {
      if (build.options.verbose) build.reporter.log?.(message, plugin);
    },
    warn(message: string) {
      build.reporter.warn?.(message, plugin);
    },
    error(message: string, hint?: string, code = 'PLUGIN_ERROR'): never {
      throw new OxidizeError(code, `plugin ${plugin}: ${message}`, hint, { plugin });
    },
  });
  buildOfContext.set(ctx, build);
  return ctx;
}
