import type { BuildReport } from '../../plugins/build-report/index.js';
import type { OxidizePlugin } from '../pipeline/plugin.js';
import type { DefaultPythonDistributionOptions, PythonDistributionOptions } from '../distribution/handle.js';
import type { PythonExecutable, PythonExecutableOptions } from '../pipeline/executable.js';

/** A distribution chosen by the build; turns into executables. */
export interface DistributionHandle {
  toPythonExecutable(options: PythonExecutableOptions): PythonExecutable;
}

/** What a built executable target gives the targets that depend on it. */
export interface BuiltExecutable {
  readonly kind: 'built-executable';
  readonly name: string;
  /** Absolute path of the executable. */
  readonly path: string;
  /** Directory holding it and its files. */
  readonly directory: string;
  /** Files written, relative to `directory`. */
  readonly files: readonly string[];
  /** Built by `oxidize trace`: the variable that turns recording on. */
  readonly recordVariable?: string;
  /** Sizes by kind, imports nothing packed satisfies, the licence file (plugins/build-report). */
  readonly report?: BuildReport;
}

export interface TargetContext {
  /** This target's name. */
  readonly name: string;
  /**
   * Results of the targets in `depends`, by name: what their `build`
   * returned, or a `BuiltExecutable` for a target that returned an executable.
   */
  readonly depends: Readonly<Record<string, unknown>>;
  readonly release: boolean;
  /** Directory of the config file. */
  readonly configDir: string;
  /** The host interpreter's distribution (`--python`, then `options.python`, then `python` in the config, then `python3`). */
  defaultPythonDistribution(options?: DefaultPythonDistributionOptions): DistributionHandle;
  /** A python-build-standalone archive by `url` or `localPath`, verified against `sha256`; or by `version`, from an installed distribution package (`oxidize stub pack --with-distribution`). */
  PythonDistribution(options: PythonDistributionOptions): DistributionHandle;
}

export interface TargetDefinition {
  /** Built when no target is named on the command line. At most one target may set it; without one, the first target is the default. */
  default?: boolean;
  /** Targets resolved before this one. */
  depends?: string[];
  /** Returns a `PythonExecutable` to build it, or any value for dependants. */
  build(context: TargetContext): unknown;
}

export interface OxidizeConfig {
  /** Interpreter of the host distribution (`--python` overrides). Default: `python3` on PATH, then `/usr/bin/python3`. */
  python?: string;
  /** Plugins applied to every executable of this config. */
  plugins?: OxidizePlugin[];
  /**
   * Directories searched for prebuilt stub and distribution packages, after
   * every `node_modules/@oxidize-py/` from the config's directory up and
   * before `OXIDIZE_STUB_PATH`'s. Relative to the config file's directory.
   * Each is a package directory, a directory of package directories, or a
   * directory holding `node_modules/@oxidize-py/`; missing ones are skipped.
   */
  stubPath?: string[];
  /** Targets by name, in registration order. */
  targets: Record<string, TargetDefinition>;
}

/** A value given on the command line with `--var KEY=VALUE` (parsed as JSON when it is JSON) or `--var-env KEY=ENV`. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

export interface ConfigEnv {
  readonly release: boolean;
  readonly configDir: string;
  /**
   * Values from `--var` and `--var-env`, by key: templated configs (a build
   * tool passing wheels or names) read them here. Empty when none are given.
   */
  readonly vars: Readonly<Record<string, ConfigValue>>;
}

export type ConfigExport = OxidizeConfig | Promise<OxidizeConfig> | ((env: ConfigEnv) => OxidizeConfig | Promise<OxidizeConfig>);

/** Types the config file's default export; returns it unchanged. */
export function defineConfig(config: OxidizeConfig): OxidizeConfig;
export function defineConfig(config: Promise<OxidizeConfig>): Promise<OxidizeConfig>;
export function defineConfig(config: (env: ConfigEnv) => OxidizeConfig | Promise<OxidizeConfig>): (env: ConfigEnv) => OxidizeConfig | Promise<OxidizeConfig>;
export function defineConfig(config: ConfigExport): ConfigExport {
  return config;
}
