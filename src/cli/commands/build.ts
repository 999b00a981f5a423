import { buildTargets, type BuildTargetsResult } from '../../build-targets.js';
import { buildToolConfig } from '../../build-tool/config.js';
import { OxidizeError } from '../../errors.js';
import { buildOutput } from '../build-output.js';
import { buildJson, buildLines } from '../build-report.js';
import { many, parseVars } from '../vars.js';

export interface BuildCommandOptions {
  path?: string;
  release?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  python?: string;
  output?: string;
  json?: boolean;
  var?: unknown;
  varEnv?: unknown;
  name?: string;
  entryPoint?: string;
  wheel?: unknown;
  filesystemResource?: unknown;
  /** False with `--no-trim`. */
  trim?: boolean;
  strictImports?: boolean;
}

/** Whether the command line asks for build-tool mode (no config file). */
export function isBuildToolMode(o: BuildCommandOptions): boolean {
  return o.name !== undefined || o.entryPoint !== undefined || many(o.wheel).length > 0 || many(o.filesystemResource).length > 0;
}

/** Builds from the config, or from the command line in build-tool mode; shared by `build` and `run`. */
export async function buildFromCommandLine(targets: readonly string[], o: BuildCommandOptions): Promise<BuildTargetsResult> {
  const common = { release: o.release, verbose: o.verbose, python: o.python, outputDir: o.output, trim: o.trim, strictImports: o.strictImports, targets, ...buildOutput(o) };
  if (!isBuildToolMode(o)) return buildTargets({ ...common, path: o.path, vars: parseVars(o.var, o.varEnv) });
  if (o.name === undefined) {
    throw new OxidizeError('BUILD_TOOL_NAME', 'build-tool mode (--wheel, --entry-point) needs --name for the executable', 'add --name <file name>');
  }
  if (o.path !== undefined || many(o.var).length || many(o.varEnv).length) {
    throw new OxidizeError('BUILD_TOOL_CONFIG', 'build-tool mode reads no config file, so --path, --var and --var-env do not apply', 'drop them, or drop --name/--wheel/--entry-point to build from the config');
  }
  const config = buildToolConfig({ name: o.name, entryPoint: o.entryPoint, wheels: many(o.wheel), filesystemResources: many(o.filesystemResource) }, process.cwd());
  return buildTargets({ ...common, config });
}

export async function buildCommand(targets: readonly string[], o: BuildCommandOptions): Promise<number> {
  const result = await buildFromCommandLine(targets, o);
  process.stdout.write(o.json ? `${JSON.stringify(buildJson(result), null, 2)}\n` : buildLines(result).map((l) => `${l}\n`).join(''));
  return 0;
}
