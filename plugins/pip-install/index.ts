/**
 * `pipInstall(args, { extraEnv })`: runs `pip install --target <tmp> <args>`
 * with the distribution's own interpreter and collects what it installed,
 * as PyOxidizer's `dist.pip_install([...])`.
 *
 * What pip installed is cached (one verified entry per key, see
 * cache-key.ts) and put back in a temporary directory by later builds, so a
 * warm build does not run pip, which costs seconds even with nothing to fetch.
 */
import * as path from 'node:path';
import {
  cachedEntry, checkOptions, checkStringList, checkStringRecordOption, findResourcesInPath, OxidizeError, processTempDir, runProgram, sourcePlugin, type PluginContext, type OxidizePlugin, type Resource, type ResourceSource,
} from '../../src/plugin-api.js';
import { pipCacheKey } from './cache-key.js';
import { packTree, treeProblem, unpackTree } from './tree-archive.js';

export interface PipInstallSource extends ResourceSource {
  readonly kind: 'pip-install';
  /** Arguments after `pip install --target <tmp>`: requirements, paths, options. */
  readonly args: readonly string[];
  /** Added to pip's environment (after PYOXIDIZER=1). */
  readonly extraEnv: Readonly<Record<string, string>>;
}

export interface PipInstallOptions {
  extraEnv?: Record<string, string>;
}

/** Packages installed by pip, e.g. `pipInstall(['--no-index', '--find-links', 'wheels', 'mypkg'])`. */
export function pipInstall(args: readonly string[], options: PipInstallOptions = {}): PipInstallSource {
  const call = 'pipInstall(args, options)';
  const example = typeof args === 'string' ? `pipInstall([${(args as string).split(/\s+/).filter(Boolean).map((a) => JSON.stringify(a)).join(', ')}])` : "pipInstall(['requests==2.31.0'])";
  checkStringList(call, 'args', args, `give pip's arguments as an array: ${example}`);
  checkOptions(call, options, 'give { extraEnv?: { NAME: "value" } }');
  checkStringRecordOption(call, 'extraEnv', options.extraEnv, 'give { extraEnv: { NAME: "value" } }');
  return { kind: 'pip-install', args: [...args], extraEnv: { ...(options.extraEnv ?? {}) } };
}

/** pip's own error lines, which name what failed. */
function pipErrors(output: string): string {
  const errors = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('ERROR:'))
    .map((l) => l.slice('ERROR:'.length).trim());
  if (errors.length > 0) return errors[errors.length - 1];
  const lines = output.trim().split('\n');
  return lines[lines.length - 1] ?? 'no output';
}

/** Runs pip into a fresh temporary directory and returns it. */
async function pip(ctx: PluginContext, source: PipInstallSource): Promise<string> {
  const target = processTempDir('pip');
  const python = ctx.distribution.python;
  const args = ['-m', 'pip', '--no-input', '--disable-pip-version-check', 'install', '--target', target, '--no-compile', '--no-warn-script-location', ...source.args];
  ctx.log(`pip: ${python} ${args.join(' ')}`);
  const stream = ctx.options.verbose ? (chunk: string) => process.stderr.write(chunk) : undefined;
  const r = await runProgram(python, args, {
    cwd: ctx.options.configDir,
    env: { ...process.env, PYOXIDIZER: '1', ...source.extraEnv },
    onStdout: stream,
    onStderr: stream,
  });
  if (r.code !== 0) {
    if (/No module named pip/.test(r.stderr)) {
      throw new OxidizeError('NO_PIP', `${python} has no pip`, `install it with \`apt-get install python3-pip\`, or use another interpreter with --python`);
    }
    throw new OxidizeError(
      'PIP_FAILED',
      `pip install ${source.args.join(' ')} failed: ${pipErrors(r.stderr + r.stdout)}`,
      'check the requirement and where pip looks (--no-index, --find-links); run with --verbose for pip\'s output',
    );
  }
  return target;
}

export async function runPipInstall(ctx: PluginContext, source: PipInstallSource): Promise<Resource[]> {
  const key = await pipCacheKey({ distribution: ctx.distribution, args: source.args, extraEnv: source.extraEnv, cwd: ctx.options.configDir, env: process.env });
  const entry = path.join(ctx.options.cacheDir, 'pip', `${key}.tree`);
  let target: string | undefined;
  const { data } = await cachedEntry(
    entry,
    async () => {
      target = await pip(ctx, source);
      return Buffer.concat(await packTree(target));
    },
    { what: 'pip result', warn: (m) => ctx.warn(m), check: treeProblem },
  );
  if (target === undefined) {
    ctx.log(`pip: nothing changed since an earlier install, reusing ${entry}`);
    target = processTempDir('pip');
    await unpackTree(Buffer.from(data.buffer, data.byteOffset, data.byteLength), target);
  } else {
    ctx.log(`pip: installed, cached as ${entry}`);
  }
  return findResourcesInPath(target, { extensionSuffixes: ctx.distribution.extensionSuffixes, skipDirectory: (rel) => rel === 'bin' });
}

export function pipInstallPlugin(): OxidizePlugin {
  return sourcePlugin<PipInstallSource>('oxidize:pip-install', 'pip-install', runPipInstall);
}
