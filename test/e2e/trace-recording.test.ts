/**
 * `oxidize trace` records the modules of a run however it ends (normally,
 * through sys.exit, after an uncaught exception) and those of its
 * multiprocessing children (fork and spawn); a plugin tapping the
 * module-trace plugin's `drop` hook keeps what it wants.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { oxidize, projectDir, run } from '../helpers/cli.js';

const CONFIG = `
import { defineConfig, getModuleTraceHooks, moduleTrace, readPackageRoot } from 'oxidize';
// Keeps the colorsys module, which no trace saw, by taking it out of what module-trace drops.
const keepColorsys = {
  name: 'keep-colorsys',
  apply(ctx) {
    getModuleTraceHooks(ctx).drop.tap('keep-colorsys', (resources) => resources.filter((r) => !('name' in r && r.name === 'colorsys')));
  },
};
export default defineConfig({
  targets: {
    rec: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'rec', config: { runModule: 'rec' }, plugins: [moduleTrace({ traces: ['traces/exit.txt'] }), keepColorsys] })
          .addPythonResources(readPackageRoot('.', ['rec'])),
    },
  },
});
`;

// Each way of ending imports a module only it imports.
// Children run functions of a module of their own: a spawned child imports it by name.
const KIDS = `
def child_fork():
    import statistics

def child_spawn():
    import fractions
`;

const REC = `
import sys
from rec.kids import child_fork, child_spawn

def main(how):
    if how == "exit":
        import difflib
        sys.exit(3)
    if how == "raise":
        import textwrap
        raise RuntimeError("boom")
    if how == "children":
        import multiprocessing
        for method, target in (("fork", child_fork), ("spawn", child_spawn)):
            p = multiprocessing.get_context(method).Process(target=target)
            p.start()
            p.join()
            assert p.exitcode == 0, (method, p.exitcode)
        print("children done")
    if how == "colorsys":
        import colorsys
        print(colorsys.rgb_to_hsv(1, 0, 0))

if __name__ == "__main__":
    main(sys.argv[1])
`;

let dir: string;
const traced = (name: string) => readFileSync(path.join(dir, 'traces', `${name}.txt`), 'utf8').split('\n');

before(() => {
  dir = projectDir({ 'pyoxidizer.config.ts': CONFIG, 'rec/__init__.py': '', 'rec/__main__.py': REC, 'rec/kids.py': KIDS }, 'oxidize-rec-');
});

test('a run ending in sys.exit is recorded and its status forwarded', () => {
  const r = oxidize(['trace', '--name', 'exit', '--', 'exit'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(traced('exit').includes('difflib'));
  // The count said is the number of modules the file lists (__main__ is in neither).
  const listed = traced('exit').filter((l) => l && !l.startsWith('#'));
  assert.ok(!listed.includes('__main__'));
  assert.match(r.stderr, new RegExp(`trace: ${listed.length} modules written to `));
});

test('a run ending in an uncaught exception is recorded', () => {
  const r = oxidize(['trace', '--name', 'raise', '--', 'raise'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /RuntimeError: boom/);
  assert.ok(traced('raise').includes('textwrap'));
});

test('multiprocessing children, forked and spawned, are recorded with the parent', () => {
  const r = oxidize(['trace', '--name', 'children', '--', 'children'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /children done/);
  const lines = traced('children');
  assert.ok(lines.includes('statistics'), 'the forked child');
  assert.ok(lines.includes('fractions'), 'the spawned child');
  assert.ok(Number(/(\d+) processes/.exec(lines[0])?.[1]) >= 3, lines[0]);
});

test("a plugin tapping module-trace's drop hook keeps a module no trace saw", () => {
  const b = oxidize(['build'], { cwd: dir });
  assert.equal(b.code, 0, b.stderr);
  const exe = path.join(dir, b.stdout.trim());
  const kept = run(exe, ['colorsys']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.match(kept.stdout, /\(0\.0, 1\.0, 1\)/);
  assert.match(run(exe, ['raise']).stderr, /No module named 'textwrap'/, 'what only another trace saw is dropped');
});
