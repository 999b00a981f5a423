/**
 * Drives a Build with the built-in plugins (all but the executable writer)
 * and user plugins over a small distribution: tap order, bail in place,
 * attribution of failures, shadowing, and what a plugin context allows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncSeriesHook } from 'tapable';
import { OxidizeError } from '../../src/errors.js';
import { resolvePlugins } from '../../src/pipeline/apply-options.js';
import { Build, type BuildReporter } from '../../src/pipeline/build.js';
import { PythonExecutable, type PythonExecutableOptions } from '../../src/pipeline/executable.js';
import { createHooksRegistry } from '../../src/pipeline/hooks-registry.js';
import { CollectStage, FilterStage, LinkStage, PlaceStage, type LinkContext } from '../../src/pipeline/hooks.js';
import type { OxidizePlugin } from '../../src/pipeline/plugin.js';
import type { PluginContext } from '../../src/pipeline/context.js';
import { runPhases } from '../../src/pipeline/run-phases.js';
import { readPackageRoot } from '../../plugins/read-package-root/index.js';
import { resourceKey, type PlacedResource, type Resource } from '../../src/resources/types.js';
import { projectDir } from '../helpers/cli.js';
import { smallDistribution } from '../helpers/small-distribution.js';

const source = (name: string, text: string, isPackage = false): Resource => ({ type: 'python-module-source', name, isPackage, source: { bytes: Buffer.from(text) } });
const text = (r: Resource | undefined) => (r && r.type === 'python-module-source' && 'bytes' in r.source ? Buffer.from(r.source.bytes).toString() : undefined);

interface Outcome {
  build: Build;
  placed: PlacedResource[];
  byKey: Map<string, PlacedResource>;
}

/** The build's plugins as oxidize resolves them, with a capture in place of the executable writer. */
async function runBuild(
  exe: PythonExecutable | PythonExecutableOptions,
  configPlugins: OxidizePlugin[] = [],
  reporter: BuildReporter = {},
  configDir = projectDir({}),
): Promise<Outcome> {
  const executable = exe instanceof PythonExecutable ? exe : new PythonExecutable(exe);
  const build = new Build(executable, smallDistribution(), { release: false, verbose: true, outputDir: projectDir({}), configDir, cacheDir: projectDir({}) }, reporter);
  let placed: PlacedResource[] = [];
  const capture: OxidizePlugin = {
    name: 'capture',
    apply(ctx) {
      ctx.hooks.link.tap({ name: 'capture', stage: LinkStage.Executable }, (link: LinkContext) => {
        placed = [...link.resources];
      });
    },
  };
  // The build report reads what the writer wrote and runs the interpreter: left out with it.
  const plugins = resolvePlugins(executable, build.policy, configPlugins)
    .filter((p) => p.name !== 'oxidize:build-report')
    .map((p) => (p.name === 'oxidize:executable' ? capture : p));
  build.apply(plugins);
  await runPhases(build);
  return { build, placed, byKey: new Map(placed.map((r) => [resourceKey(r), r])) };
}

test('built-in plugins come first, in the documented order, and user taps follow the built-ins of their stage', async () => {
  const user: OxidizePlugin = {
    name: 'user',
    apply(ctx) {
      ctx.hooks.collect.tap({ name: 'user', stage: CollectStage.Sources }, (r) => r);
      ctx.hooks.filter.tap('user', (r) => r);
      ctx.hooks.place.tap('user', () => undefined);
      ctx.hooks.placed.tap('user', (r) => r);
      ctx.hooks.link.tap({ name: 'user-late', stage: LinkStage.Late }, () => {});
    },
  };
  const exe = new PythonExecutable({ name: 'app', plugins: [{ name: 'per-exe', apply: (ctx) => ctx.hooks.collect.tap('per-exe', (r) => r) }] });
  exe.addPythonResources(readPackageRoot('.', ['mine']), source('mine', ''));
  const { build } = await runBuild(exe, [user], {}, projectDir({ 'mine.py': '' }));
  assert.deepEqual(build.plugins, [
    'oxidize:stdlib', 'oxidize:exclude-stdlib-tests', 'oxidize:read-package-root', 'oxidize:direct-resources',
    'oxidize:packaging-policy', 'oxidize:placement-checks', 'oxidize:interpreter-checks', 'capture', 'user', 'per-exe',
  ]);
  const order = (hook: keyof Build['hooks']) => (build.hooks[hook].taps as Array<{ plugin?: string }>).map((t) => t.plugin);
  assert.deepEqual(order('collect'), ['oxidize:stdlib', 'oxidize:read-package-root', 'user', 'per-exe', 'oxidize:direct-resources']);
  assert.deepEqual(order('filter'), ['oxidize:exclude-stdlib-tests', 'user']);
  assert.deepEqual(order('place'), ['user', 'oxidize:packaging-policy']);
  assert.deepEqual(order('placed'), ['user', 'oxidize:placement-checks', 'oxidize:interpreter-checks']);
  assert.deepEqual(order('link'), ['capture', 'user']);
});

test('resources given directly replace the standard library and sources; sources replace the standard library', async () => {
  const dir = projectDir({ 'src/json/__init__.py': 'FROM_PACKAGE_ROOT = True\n', 'src/os.py': 'FROM_PACKAGE_ROOT = True\n' });
  const exe = new PythonExecutable({ name: 'app' });
  exe.addPythonResources(source('json', 'MINE = True\n', true), readPackageRoot('src', ['json', 'os']));
  const { byKey } = await runBuild(exe, [], {}, dir);
  assert.equal(text(byKey.get('source:json')), 'MINE = True\n');
  const os = byKey.get('source:os');
  assert.ok(os && os.type === 'python-module-source' && 'path' in os.source && os.source.path.startsWith(dir), 'os.py from readPackageRoot');
  assert.ok(byKey.has('source:json.decoder'), 'the rest of the stdlib package stays');
});

test('stdlib test packages are dropped by a filter tap; application packages named tests stay; includeTest keeps them', async () => {
  const exe = new PythonExecutable({ name: 'app' });
  exe.addPythonResources(source('tests', '', true), source('app.test', ''));
  const dropped = await runBuild(exe);
  for (const k of ['source:test', 'source:test.test_json', 'source:unittest.test']) assert.ok(!dropped.byKey.has(k), `${k} dropped`);
  for (const k of ['source:tests', 'source:app.test', 'source:unittest', 'extension:_speedups', 'extension:sys']) assert.ok(dropped.byKey.has(k), `${k} kept`);
  assert.ok(!dropped.byKey.has('source:thirdparty'), 'site-packages is not the standard library');
  const kept = await runBuild({ name: 'app', packagingPolicy: { includeTest: true } });
  assert.ok(kept.byKey.has('source:test.test_json'));
  assert.ok(!kept.build.plugins.includes('oxidize:exclude-stdlib-tests'));
  const none = await runBuild({ name: 'app', packagingPolicy: { includeStdlib: false } });
  assert.deepEqual(none.placed, []);
});

test("the host's site hooks are not standard library: sitecustomize and usercustomize are not collected; an application's own is", async () => {
  const { byKey } = await runBuild({ name: 'app' });
  assert.ok(byKey.has('source:json') && byKey.has('source:os'));
  assert.ok(!byKey.has('source:sitecustomize') && !byKey.has('source:usercustomize'));
  const exe = new PythonExecutable({ name: 'app' });
  exe.addPythonResources(source('sitecustomize', 'MINE = True\n'));
  assert.equal(text((await runBuild(exe)).byKey.get('source:sitecustomize')), 'MINE = True\n');
});

test('place is a bail hook: the first location wins and later taps are not asked', async () => {
  const asked: string[] = [];
  const plugin: OxidizePlugin = {
    name: 'placer',
    apply(ctx) {
      ctx.hooks.place.tap('placer', (r) => (r.type === 'python-module-source' && r.name.startsWith('json') ? 'filesystem-relative:lib' : undefined));
      ctx.hooks.place.tap({ name: 'after-policy', stage: PlaceStage.Policy + 1 }, (r) => {
        asked.push(resourceKey(r));
        return undefined;
      });
    },
  };
  const { byKey } = await runBuild({ name: 'app' }, [plugin]);
  assert.equal(byKey.get('source:json')?.location, 'filesystem-relative:lib');
  assert.equal(byKey.get('source:json.decoder')?.location, 'filesystem-relative:lib');
  assert.equal(byKey.get('source:os')?.location, 'in-memory');
  assert.deepEqual(asked, [], 'the packaging policy placed everything first');
});

test('a failing tap is reported under its plugin name and hook, not the tap name', async () => {
  const boom: OxidizePlugin = {
    name: 'boom',
    apply(ctx) {
      ctx.hooks.filter.tapPromise({ name: 'boom-tap', stage: FilterStage.Default }, async () => {
        throw new Error('kaboom');
      });
    },
  };
  await assert.rejects(runBuild({ name: 'app' }, [boom]), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.message, 'plugin boom failed in filter: kaboom');
    assert.equal(e.plugin, 'boom');
    assert.equal(e.hook, 'filter');
    assert.equal((e.cause as Error).message, 'kaboom', 'the cause is kept');
    return true;
  });
  const picky: OxidizePlugin = { name: 'picky', apply: (ctx) => ctx.hooks.place.tap('x', () => ctx.error('no place for this', 'configure picky')) };
  await assert.rejects(runBuild({ name: 'app' }, [picky]), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.message, 'plugin picky: no place for this');
    assert.equal(e.hint, 'configure picky');
    assert.equal(e.plugin, 'picky');
    return true;
  });
  const broken: OxidizePlugin = { name: 'broken', apply: () => { throw new Error('bad apply'); } };
  await assert.rejects(runBuild({ name: 'app' }, [broken]), /plugin broken failed in apply: bad apply/);
});

test('the placement checks are a placed tap that sees what user taps changed', async () => {
  const escape: OxidizePlugin = { name: 'escape', apply: (ctx) => ctx.hooks.place.tap('escape', () => 'filesystem-relative:../outside') };
  await assert.rejects(runBuild({ name: 'app' }, [escape]), (e: unknown) => {
    assert.ok(e instanceof OxidizeError);
    assert.equal(e.code, 'BAD_LOCATION');
    assert.equal(e.plugin, 'oxidize:placement-checks');
    return true;
  });
  const memoryFile: OxidizePlugin = {
    name: 'memory-file',
    apply(ctx) {
      ctx.hooks.placed.tap('memory-file', (list) => [...list, { type: 'file', path: 'NOTES', data: { bytes: Buffer.from('') }, executable: false, location: 'in-memory' } as PlacedResource]);
    },
  };
  await assert.rejects(runBuild({ name: 'app' }, [memoryFile]), /FILE_IN_MEMORY|file NOTES was placed in memory/);
});

test('a plugin gets a context: hooks it can tap but not call, read-only views, messages tagged with its name', async () => {
  let seen: PluginContext | undefined;
  const lines: string[] = [];
  const spy: OxidizePlugin = {
    name: 'spy',
    apply(ctx) {
      seen = ctx;
      ctx.log('hello');
      ctx.warn('careful');
    },
  };
  await runBuild({ name: 'app', config: { sysPaths: ['$ORIGIN/lib'] } }, [spy], {
    log: (m, p) => lines.push(`log ${p}: ${m}`),
    warn: (m, p) => lines.push(`warn ${p}: ${m}`),
  });
  const ctx = seen!;
  assert.ok(lines.includes('log spy: hello') && lines.includes('warn spy: careful'), lines.join('\n'));
  assert.ok(!('build' in ctx));
  for (const hook of Object.values(ctx.hooks)) {
    for (const call of ['call', 'callAsync', 'promise', 'intercept', 'taps']) assert.equal((hook as Record<string, unknown>)[call], undefined, call);
  }
  assert.throws(() => ((ctx.distribution as { python: string }).python = '/bin/sh'), TypeError);
  assert.throws(() => (ctx.policy.bytecodeOptimizeLevels as number[]).push(2), TypeError);
  assert.throws(() => (ctx.executable.config.sysPaths as string[]).push('/tmp'), TypeError);
  assert.throws(() => ((ctx.options as { outputDir: string }).outputDir = '/'), TypeError);
  assert.throws(() => ((ctx as { hooks: unknown }).hooks = {}), TypeError);
});

test('plugins own hooks of their own, per build; taps on them are attributed to the tapping plugin', async () => {
  const registry = createHooksRegistry('counter', () => ({ counted: new AsyncSeriesHook<[number]>(['count']) }));
  const got: number[] = [];
  const counter: OxidizePlugin = {
    name: 'counter',
    apply(ctx) {
      ctx.hooks.filter.tapPromise('counter', async (resources) => {
        await registry.owned(ctx).counted.promise(resources.size);
        return resources;
      });
    },
  };
  const listener = (fail: boolean): OxidizePlugin => ({
    name: 'listener',
    apply(ctx) {
      const hooks = registry.of(ctx);
      assert.equal((hooks.counted as Record<string, unknown>).promise, undefined, 'tap-only for other plugins');
      hooks.counted.tap('listener-tap', (n) => {
        if (fail) throw new Error('not this many');
        got.push(n);
      });
    },
  });
  await runBuild({ name: 'app' }, [counter, listener(false)]);
  await runBuild({ name: 'app' }, [counter, listener(false)]);
  assert.equal(got.length, 2, 'one set of hooks per build, each called once');
  assert.ok(got[0] > 5);
  await assert.rejects(runBuild({ name: 'app' }, [counter, listener(true)]), /plugin listener failed in counter\.counted: not this many/);
});
