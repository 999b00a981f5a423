/**
 * Build-tool mode: `oxidize build --name bin --entry-point pkg.mod[:func]
 * --wheel a.whl ...` with no config file, as Pants and similar tools call
 * PyOxidizer. The options become an in-memory config with PyOxidizer's two
 * targets: `exe` (the executable, from the wheels only) and the default
 * `install` (a directory holding it and its files).
 */
import * as path from 'node:path';
import { pipInstall } from '../../plugins/pip-install/index.js';
import type { BuiltExecutable, OxidizeConfig } from '../config/define.js';
import type { InterpreterConfig } from '../config/interpreter.js';
import { OxidizeError } from '../errors.js';
import { FileManifest } from '../install/file-manifest.js';

export interface BuildToolOptions {
  /** File name of the executable. */
  name: string;
  /** `pkg.mod` (run like `python -m pkg.mod`) or `pkg.mod:func` (call func; its result is the exit status). */
  entryPoint?: string;
  /** Wheel files, installed together by pip with no index, so they may depend on each other. */
  wheels: readonly string[];
  /** Packages (or distributions' metadata directories) placed as files next to the executable instead of in memory. */
  filesystemResources: readonly string[];
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** How the executable starts for an entry point. */
export function entryPointConfig(entryPoint: string | undefined): InterpreterConfig {
  if (entryPoint === undefined) return {};
  const [module, func, extra] = entryPoint.split(':');
  if (extra !== undefined || !DOTTED.test(module) || (func !== undefined && !DOTTED.test(func))) {
    throw new OxidizeError('BAD_ENTRY_POINT', `--entry-point ${JSON.stringify(entryPoint)} is not module or module:function`, 'write it like myapp.cli or myapp.cli:main');
  }
  // `module:function` runs like a console_scripts wrapper: the function's return value is the exit status.
  return { runModule: func === undefined ? module : `${module}:${func}` };
}

export function buildToolConfig(options: BuildToolOptions, cwd: string): OxidizeConfig {
  if (options.wheels.length === 0 && options.entryPoint === undefined) {
    throw new OxidizeError('BUILD_TOOL_NOTHING', 'build-tool mode needs --wheel files or an --entry-point', 'pass --wheel dist/app-1.0-py3-none-any.whl --entry-point app.cli:main');
  }
  if (!/^[A-Za-z0-9._-]+$/.test(options.name)) {
    throw new OxidizeError('BAD_NAME', `--name ${JSON.stringify(options.name)} is not a plain file name`, 'use letters, digits, dots, dashes and underscores');
  }
  for (const w of options.wheels) {
    if (!w.endsWith('.whl')) throw new OxidizeError('NOT_A_WHEEL', `--wheel ${w} is not a .whl file`, 'build wheels first (pip wheel, python -m build) and pass the .whl files');
  }
  const config = entryPointConfig(options.entryPoint);
  const wheels = options.wheels.map((w) => path.resolve(cwd, w));
  const findLinks = [...new Set(wheels.map((w) => path.dirname(w)))].flatMap((d) => ['--find-links', d]);
  return {
    targets: {
      exe: {
        build(ctx) {
          const exe = ctx.defaultPythonDistribution().toPythonExecutable({
            name: options.name,
            config,
            packagingPolicy: {
              resourceLocations: Object.fromEntries(options.filesystemResources.map((p) => [p, 'filesystem-relative:lib'])),
            },
          });
          // --no-index: first-party wheels that depend on each other resolve from these files, never from an index.
          if (wheels.length) exe.addPythonResources(pipInstall(['--no-index', ...findLinks, ...wheels]));
          return exe;
        },
      },
      install: {
        default: true,
        depends: ['exe'],
        build: (ctx) => new FileManifest().addExecutable(ctx.depends.exe as BuiltExecutable),
      },
    },
  };
}
