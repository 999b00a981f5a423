/**
 * The executable's `optimizeLevel` is among the bytecode levels packed, so
 * `-O` code runs level-N bytecode; an explicit list without it keeps the
 * user's choice and warns once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytecodeLevelsFor } from '../../src/config/policy.js';
import { Build } from '../../src/pipeline/build.js';
import { PythonExecutable } from '../../src/pipeline/executable.js';
import { projectDir } from '../helpers/cli.js';
import { smallDistribution } from '../helpers/small-distribution.js';

test('the running level is added to the default levels', () => {
  assert.deepEqual(bytecodeLevelsFor(undefined, [0], 0), { levels: [0] });
  assert.deepEqual(bytecodeLevelsFor(undefined, [0], 1), { levels: [0, 1] });
  assert.deepEqual(bytecodeLevelsFor(undefined, [0], 2), { levels: [0, 2] });
});

test('an explicit list with the running level is kept; without it, it is kept and warned about; an empty one (sources only) is kept', () => {
  assert.deepEqual(bytecodeLevelsFor([2, 1], [2, 1], 1), { levels: [2, 1] });
  const r = bytecodeLevelsFor([0], [0], 2);
  assert.deepEqual(r.levels, [0]);
  assert.match(r.warning ?? '', /^config\.optimizeLevel is 2 but packagingPolicy\.bytecodeOptimizeLevels \[0\] packs no level-2 bytecode.*; add 2 to bytecodeOptimizeLevels/);
  assert.equal(r.warning!.split('\n').length, 1);
  assert.deepEqual(bytecodeLevelsFor([], [], 1), { levels: [] });
});

function build(options: ConstructorParameters<typeof PythonExecutable>[0]) {
  const warnings: string[] = [];
  const dir = projectDir({});
  const b = new Build(new PythonExecutable(options), smallDistribution(), { release: false, verbose: false, outputDir: dir, configDir: dir, cacheDir: dir, target: 'exe' }, { warn: (m, p) => warnings.push(`${p}: ${m}`) });
  return { policy: b.policy, warnings };
}

test("a build's policy packs the executable's optimizeLevel; a conflicting explicit list warns once, naming the target", () => {
  assert.deepEqual(build({ name: 'x' }).policy.bytecodeOptimizeLevels, [0]);
  const one = build({ name: 'x', config: { optimizeLevel: 1 } });
  assert.deepEqual(one.policy.bytecodeOptimizeLevels, [0, 1]);
  assert.deepEqual(one.warnings, []);
  const explicit = build({ name: 'x', config: { optimizeLevel: 2 }, packagingPolicy: { bytecodeOptimizeLevels: [1] } });
  assert.deepEqual(explicit.policy.bytecodeOptimizeLevels, [1]);
  assert.equal(explicit.warnings.length, 1);
  assert.match(explicit.warnings[0], /^oxidize:packaging-policy: targets\.exe → config\.optimizeLevel is 2 but/);
});
