/**
 * Resolves the config's targets in order and builds the executables they
 * return. The CLI's `build` and `run` commands, and tools embedding oxidize,
 * call this.
 */
import * as path from 'node:path';
import type { BuiltExecutable, ConfigValue, DistributionHandle, OxidizeConfig, TargetContext } from './config/define.js';
import { loadConfig, where, type LoadedConfig } from './config/load.js';
import { configWarning } from './config/unmatched.js';
import { resolveTargetOrder } from './config/targets.js';
import { configError, inConfigPlace, type TargetActivity } from './config/validate.js';
import { readElfNeeds, requiredGlibc } from './distribution/elf.js';
import { defaultPythonDistribution, distributionSpecOf, PythonDistribution as archiveDistribution, type DistributionSpec } from './distribution/handle.js';
import { resolveHostDistribution } from './distribution/host.js';
import { checkBuildable, hostTargetTriple } from './distribution/supported.js';
import { preflightStub, runtimeDigest } from './link/stub.js';
import type { PackageSearch } from './link/stub-package.js';
import { describeDistribution, type PythonDistribution } from './distribution/types.js';
import { OxidizeError, isOxidizeError } from './errors.js';
import { buildReportHooks, type BuildReport } from '../plugins/build-report/index.js';
import { resolvePlugins } from './pipeline/apply-options.js';
import { Build, type BuildReporter } from './pipeline/build.js';
import { isPythonExecutable, PythonExecutable, type PythonExecutableOptions } from './pipeline/executable.js';
import { runPhases } from './pipeline/run-phases.js';
import { isFileManifest } from './install/file-manifest.js';
import { materializeManifest, type BuiltManifest } from './install/materialize.js';
import { cacheDir } from './util/paths.js';

export interface BuildTargetsOptions {
  /** The config file, or a directory to search from. Default: the working directory. */
  path?: string;
  /** Targets to resolve, in order; the default target when empty. */
  targets?: readonly string[];
  release?: boolean;
  verbose?: boolean;
  /** False builds untrimmed (`--no-trim`): module-trace plugins keep everything. Default: true. */
  trim?: boolean;
  /** Imports nothing packed satisfies stop the build (`--strict-imports`). Default: false. */
  strictImports?: boolean;
  /**
   * Build for `oxidize trace`: untrimmed, into build/<triple>/trace/, with
   * modules recording on (the executable's `writeModulesDirectoryEnv`, or
   * this variable when it has none). Returns the variable in `recordVariable`.
   */
  traceVariable?: string;
  /** Interpreter of the host distribution; overrides the config's `python`. */
  python?: string;
  /** Receives status lines (the interpreter used, what each executable embeds; plugin details with `verbose`). Default: none. */
  log?: (line: string) => void;
  /** Receives warnings, one line each. Default: none. */
  warn?: (line: string) => void;
  /**
   * Called with each executable's build after its plugins are applied and
   * before its phases run (the CLI attaches progress interceptors here); a
   * returned observer is settled when the phases end.
   */
  onBuild?: (build: Build) => BuildObserver | void;
  /** Where each target's directory goes (`<outputDir>/<target>`). Default: `build/<triple>/<debug|release>` next to the config. */
  outputDir?: string;
  /** A config given directly (build-tool mode) instead of a file; `path` is then its directory. */
  config?: OxidizeConfig;
  /** Values for the config's function form (`env.vars`), from `--var`/`--var-env`. */
  vars?: Readonly<Record<string, ConfigValue>>;
}

export interface BuildObserver {
  settle(error?: unknown): Promise<void>;
}

export interface BuildTargetsResult {
  readonly config: LoadedConfig;
  /** What each resolved target produced, by name. */
  readonly results: ReadonlyMap<string, unknown>;
  readonly executables: readonly BuiltExecutable[];
  /** Install layouts written by targets that returned a FileManifest. */
  readonly manifests: readonly BuiltManifest[];
}

/** Which distribution an executable embeds and the oldest glibc it runs with (read from its ELF symbol versions). */
async function embedsLine(dist: PythonDistribution, executable: string): Promise<string> {
  const needs = await readElfNeeds(executable);
  const glibc = needs && requiredGlibc(needs);
  return `embeds ${describeDistribution(dist)}; the executable needs ${glibc ? `glibc ${glibc} or newer` : 'no glibc'}`;
}

export async function buildTargets(options: BuildTargetsOptions = {}): Promise<BuildTargetsResult> {
  // A library caller hears nothing unless it asks.
  const log = options.log ?? (() => {});
  const warn = options.warn ?? (() => {});
  const release = options.release ?? false;
  const verbose = options.verbose ?? false;
  const loaded: LoadedConfig = options.config
    ? { file: '(command line)', dir: path.resolve(options.path ?? '.'), config: options.config }
    : await loadConfig(path.resolve(options.path ?? '.'), { release, vars: options.vars });
  const { config } = loaded;
  const order = resolveTargetOrder(config.targets, options.targets ?? []);

  // Stub and distribution packages: node_modules from the config's directory up, its stubPath, OXIDIZE_STUB_PATH.
  const packages: PackageSearch = { fromDir: loaded.dir, dirs: config.stubPath };
  const stubPath = config.stubPath?.map((p) => path.resolve(loaded.dir, p));

  // One resolution per distribution named, shared by the executables using it.
  const distributions = new Map<string, Promise<PythonDistribution>>();
  const getDistribution = (spec: DistributionSpec) => {
    const key = JSON.stringify(spec);
    let d = distributions.get(key);
    if (!d) {
      d = (spec.kind === 'host'
        ? resolveHostDistribution(options.python ?? spec.python ?? config.python)
        : spec.kind === 'package'
          ? Promise.all([import('./distribution/package.js'), runtimeDigest()]).then(([m, digest]) =>
              m.resolvePackagedDistribution(spec, packages, { targetTriple: hostTargetTriple(), runtimeDigest: digest }, cacheDir()),
            )
          : // Loaded when used: its tar and zstd modules cost host builds ~40 ms to load.
            import('./distribution/archive.js').then((m) =>
              m.resolveArchiveDistribution(spec, {
                cacheDir: cacheDir(),
                baseDir: loaded.dir,
                log,
                warn: (m) => warn(`oxidize: warning: ${m}`),
                progress: Boolean(options.log && process.stderr.isTTY),
              }),
            )
      ).then((dist) => {
        // Before anything is collected or compiled, and long before cargo.
        checkBuildable(dist);
        log(`python: ${describeDistribution(dist)}`);
        // Also before any work: a stub that cannot be had fails now, naming the ways out.
        return preflightStub(dist, { cacheDir: cacheDir(), packages }).then((from) => {
          log(`runtime stub: ${from}`);
          return dist;
        });
      });
      distributions.set(key, d);
    }
    return d;
  };

  // A target's directory; an install layout goes beside the executables of the same build (the host's triple when none was built).
  let lastTriple: string | undefined;
  const targetDir = async (name: string, triple?: string) =>
    path.join(
      options.outputDir
        ? path.resolve(options.outputDir)
        : path.join(loaded.dir, 'build', triple ?? lastTriple ?? (await getDistribution({ kind: 'host' })).targetTriple, release ? 'release' : 'debug'),
      name,
    );

  const results = new Map<string, unknown>();
  const executables: BuiltExecutable[] = [];
  const manifests: BuiltManifest[] = [];
  for (const name of order) {
    const def = config.targets[name];
    const ctx: TargetContext = {
      name,
      depends: Object.fromEntries((def.depends ?? []).map((d) => [d, results.get(d)])),
      release,
      configDir: loaded.dir,
      defaultPythonDistribution,
      PythonDistribution: archiveDistribution,
    };
    let value: unknown;
    const activity: TargetActivity = { executables: 0 };
    try {
      // Executables made inside are checked with the config file and this target named.
      value = await inConfigPlace({ file: loaded.file, target: name }, () => def.build(ctx), activity);
    } catch (e) {
      if (isOxidizeError(e)) throw e;
      // The config file's line the error came through, when its stack has one.
      const at = where(e, loaded.file);
      const err = new OxidizeError('TARGET_FAILED', `${at.includes(':') ? `${at}: ` : ''}target ${name} threw: ${e instanceof Error ? e.message : String(e)}`, 'fix the target in the config file');
      if (e instanceof Error) err.stack = e.stack;
      throw err;
    }
    if (value === undefined && activity.executables > 0) {
      // `return exe` forgotten: the build would end having built nothing, silently.
      throw configError(
        'TARGET_NO_EXECUTABLE',
        { file: loaded.file, target: name },
        [],
        `→ build() made an executable with toPythonExecutable() but returned nothing, so nothing would be built`,
        'return the executable from build() (`return exe`)',
      );
    }
    if (isPythonExecutable(value)) {
      const dist = await getDistribution(distributionSpecOf(value));
      lastTriple = dist.targetTriple;
      // `oxidize trace` builds beside the normal output, untrimmed and recording.
      const tracing = options.traceVariable !== undefined;
      if (tracing) (value.config as { writeModulesDirectoryEnv?: string }).writeModulesDirectoryEnv ??= options.traceVariable;
      const outputDir = tracing ? path.join(loaded.dir, 'build', dist.targetTriple, 'trace', name) : await targetDir(name, dist.targetTriple);
      const reporter: BuildReporter = {
        log: (message, plugin) => log(`${plugin}: ${message}`),
        warn: (message, plugin) => warn(`oxidize: warning: ${plugin.startsWith('oxidize:') ? '' : `plugin ${plugin}: `}${message}`),
      };
      const build = new Build(value, dist, { release, verbose, outputDir, configDir: loaded.dir, cacheDir: cacheDir(), stubPath, trim: !tracing && (options.trim ?? true), strictImports: options.strictImports ?? false, configFile: loaded.file, target: name }, reporter);
      build.apply(resolvePlugins(value, build.policy, config.plugins ?? []));
      let buildReport: BuildReport | undefined;
      buildReportHooks(build).report.tap('oxidize:build-targets', (r) => {
        buildReport = r;
      });
      const observer = options.onBuild?.(build);
      let report;
      try {
        report = await runPhases(build);
      } catch (e) {
        await observer?.settle(e);
        throw e;
      }
      await observer?.settle();
      if (options.log) log(`${value.name}: ${await embedsLine(dist, report.executablePath)}`);
      const built: BuiltExecutable = {
        kind: 'built-executable',
        name: value.name,
        path: report.executablePath,
        directory: outputDir,
        files: report.files,
        ...(tracing ? { recordVariable: value.config.writeModulesDirectoryEnv } : {}),
        ...(buildReport ? { report: buildReport } : {}),
      };
      executables.push(built);
      results.set(name, built);
    } else if (isFileManifest(value)) {
      // Warnings about the layout name the config file and the target.
      const manifestWarn = (m: string) => warn(`oxidize: warning: ${configWarning({ file: loaded.file, target: name }, [], `→ ${m}`)}`);
      const built = await materializeManifest(value, await targetDir(name), loaded.dir, manifestWarn).catch((e: unknown) => {
        // A file-system failure (a full disk, a file in a directory's place) keeps its own fix.
        const hint = isOxidizeError(e) && e.code === 'CANNOT_WRITE' ? e.hint : 'fix the FileManifest the target returns';
        throw new OxidizeError('INSTALL_FAILED', `target ${name}: ${e instanceof Error ? e.message : String(e)}`, hint, { cause: e });
      });
      manifests.push(built);
      results.set(name, built);
    } else {
      results.set(name, value);
    }
  }
  return { config: loaded, results, executables, manifests };
}
