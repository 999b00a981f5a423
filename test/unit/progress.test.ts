/**
 * Progress is an interceptor on the build's hooks: one line per phase with
 * counts, the stub build announced once, a failure marked but not printed
 * (the CLI prints the error once); without it a build writes nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { attachProgress } from '../../src/cli/progress.js';
import { Build } from '../../src/pipeline/build.js';
import type { OxidizePlugin } from '../../src/pipeline/plugin.js';
import { runPhases } from '../../src/pipeline/run-phases.js';
import { repoRoot } from '../helpers/cli.js';
import { pipelineBuild as newBuild } from '../helpers/silent-pipeline.js';

async function withProgress(build: Build): Promise<{ output: string; error?: unknown }> {
  const stream = new PassThrough();
  let output = '';
  stream.on('data', (d: Buffer) => (output += d.toString()));
  const progress = attachProgress(build, { stream, renderer: 'simple' });
  let error: unknown;
  try {
    await runPhases(build);
  } catch (e) {
    error = e;
  }
  await progress.settle(error);
  return { output, error };
}

test('one task per phase with counts; a cold stub build is announced once', async () => {
  const { output, error } = await withProgress(newBuild());
  assert.equal(error, undefined);
  const done = output.split('\n').filter((l) => l.includes('✔'));
  assert.deepEqual(done.slice(0, 3).map((l) => l.replace(/^.*✔ /, '')), [
    'app: collected 10 resources',
    'app: kept 7 resources, dropped 3',
    'app: placed 7 in memory, 0 on the filesystem',
  ]);
  assert.match(done[3], /app: linked \S*app \(payload 3\.0 MiB\)/);
  assert.equal(output.match(/building the runtime stub/g)?.length, 1, output);
});

test('a failed phase is marked without its message, and later phases never start', async () => {
  const boom: OxidizePlugin = { name: 'boom', apply: (ctx) => ctx.hooks.filter.tap('boom-tap', () => { throw new Error('kaboom'); }) };
  const build = newBuild([boom]);
  const { output, error } = await withProgress(build);
  assert.match(String((error as Error).message), /plugin boom failed in filter: kaboom/);
  assert.ok(!output.includes('kaboom'), `progress does not repeat the error:\n${output}`);
  assert.ok(!output.includes('FAILED'), output);
  assert.match(output, /app: collected 10 resources/);
  assert.ok(!/app: (placed|linked)/.test(output), 'later phases never start');
});

test('without progress a build writes nothing to stdout or stderr, whether it succeeds or fails', () => {
  // In a process of its own: the test runner writes to this one's stdout.
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist/test/helpers/silent-pipeline.js')], { encoding: 'utf8' });
  assert.equal(r.status, 0, 'the failing build rejected, the other built');
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
});
