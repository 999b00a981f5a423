/**
 * A Build over the small distribution with the built-in plugins, the
 * executable writer replaced by a stand-in that announces a cold stub build
 * (as ensureStub does) and writes nothing. Run as a script, it builds once
 * with a plugin that logs and warns, and once with a failing plugin, with
 * no progress attached: it must print nothing (test/unit/progress.test.ts).
 */
import { executableHooks } from '../../src/link/linker.js';
import { resolvePlugins } from '../../src/pipeline/apply-options.js';
import { Build } from '../../src/pipeline/build.js';
import { PythonExecutable } from '../../src/pipeline/executable.js';
import { LinkStage } from '../../src/pipeline/hooks.js';
import type { OxidizePlugin } from '../../src/pipeline/plugin.js';
import { runPhases } from '../../src/pipeline/run-phases.js';
import { projectDir } from './cli.js';
import { smallDistribution } from './small-distribution.js';

const fakeWriter: OxidizePlugin = {
  name: 'oxidize:executable',
  apply(ctx) {
    ctx.hooks.link.tapPromise({ name: 'oxidize:executable', stage: LinkStage.Executable }, async (link) => {
      executableHooks.owned(ctx).buildingStub.call();
      link.payloadBytes = 3 * 1048576;
    });
  },
};

export function pipelineBuild(extra: OxidizePlugin[] = [], verbose = false): Build {
  const exe = new PythonExecutable({ name: 'app' });
  const build = new Build(exe, smallDistribution(), { release: false, verbose, outputDir: projectDir({}), configDir: projectDir({}), cacheDir: projectDir({}) });
  // The build report reads what the writer wrote and runs the interpreter: not here.
  const builtins = resolvePlugins(exe, build.policy).filter((p) => p.name !== 'oxidize:build-report');
  build.apply([...builtins.map((p) => (p.name === 'oxidize:executable' ? fakeWriter : p)), ...extra]);
  return build;
}

if (process.argv[1]?.endsWith('silent-pipeline.js')) {
  const chatty: OxidizePlugin = { name: 'chatty', apply: (ctx) => (ctx.log('detail'), ctx.warn('warning')) };
  const failing: OxidizePlugin = { name: 'boom', apply: (ctx) => ctx.hooks.collect.tap('boom', () => { throw new Error('kaboom'); }) };
  await runPhases(pipelineBuild([chatty], true));
  const failed = await runPhases(pipelineBuild([failing])).then(() => false, () => true);
  process.exitCode = failed ? 0 : 1;
}
