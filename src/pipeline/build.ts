/**
 * One executable's build. Oxidize holds the `Build` (and its callable
 * hooks); each plugin gets its own `PluginContext` (see context.ts).
 */
import { bytecodeLevelsFor, resolvePolicy, type ResolvedPolicy } from '../config/policy.js';
import type { PythonDistribution } from '../distribution/types.js';
import { keyPath } from '../config/validate.js';
import { pluginError } from '../errors.js';
import { createPluginContext, type PluginContext } from './context.js';
import type { PythonExecutable } from './executable.js';
import { createBuildHooks, type BuildHooks } from './hooks.js';
import type { OxidizePlugin } from './plugin.js';

export interface BuildOptions {
  /** `--release` was given: names the output directory and is passed to the config (the stub is always optimized). */
  readonly release: boolean;
  readonly verbose: boolean;
  /** Directory the executable and its files are written to. */
  readonly outputDir: string;
  /** Directory of the config file; relative paths in sources resolve against it. */
  readonly configDir: string;
  /** oxidize's cache directory. */
  readonly cacheDir: string;
  /** The config's `stubPath`: directories searched for stub packages after node_modules. */
  readonly stubPath?: readonly string[];
  /** `--no-trim` sets this false: the module-trace plugin keeps everything. Default: true. */
  readonly trim?: boolean;
  /** `--strict-imports`: imports nothing packed satisfies stop the build. Default: false. */
  readonly strictImports?: boolean;
  /** The config file and the target that returned this executable, for messages. */
  readonly configFile?: string;
  readonly target?: string;
}

/** Where a build's messages go; a library caller that passes nothing hears nothing. */
export interface BuildReporter {
  /** Details, shown with --verbose. */
  log?(message: string, plugin: string): void;
  /** Something the user should know that does not stop the build. */
  warn?(message: string, plugin: string): void;
}

export class Build {
  /** The callable hooks: for the runner, never handed to plugins. */
  readonly hooks: BuildHooks = createBuildHooks();
  readonly executable: PythonExecutable;
  readonly distribution: PythonDistribution;
  readonly policy: ResolvedPolicy;
  readonly options: BuildOptions;
  readonly reporter: BuildReporter;
  /** Names of the plugins applied, in order. */
  readonly plugins: string[] = [];

  constructor(executable: PythonExecutable, distribution: PythonDistribution, options: BuildOptions, reporter: BuildReporter = {}) {
    this.executable = executable;
    this.distribution = distribution;
    this.options = Object.freeze({ ...options });
    const policy = resolvePolicy(executable.packagingPolicy);
    // Bytecode of the level the executable runs at is packed too (docs/config.md).
    const levels = bytecodeLevelsFor(executable.packagingPolicy.bytecodeOptimizeLevels, policy.bytecodeOptimizeLevels, executable.config.optimizeLevel ?? 0);
    this.policy = { ...policy, bytecodeOptimizeLevels: levels.levels };
    this.reporter = reporter;
    if (levels.warning) reporter.warn?.(`${options.target === undefined ? '' : `${keyPath({ target: options.target }, [])} → `}${levels.warning}`, 'oxidize:packaging-policy');
  }

  /** Applies plugins in order, each with its own context. */
  apply(plugins: readonly OxidizePlugin[]): void {
    for (const plugin of plugins) {
      const ctx: PluginContext = createPluginContext(this, plugin.name);
      try {
        plugin.apply(ctx);
      } catch (e) {
        throw pluginError(plugin.name, 'apply', e);
      }
      this.plugins.push(plugin.name);
    }
  }
}
