import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetDefinition } from '../../src/config/define.js';
import { defaultTarget, resolveTargetOrder } from '../../src/config/targets.js';
import { OxidizeError } from '../../src/errors.js';

const t = (depends: string[] = [], isDefault = false): TargetDefinition => ({ depends, default: isDefault, build: () => undefined });

test('the first target is the default unless one is marked', () => {
  assert.equal(defaultTarget({ a: t(), b: t() }), 'a');
  assert.equal(defaultTarget({ a: t(), b: t([], true) }), 'b');
});

test('two default targets are an error', () => {
  assert.throws(() => defaultTarget({ a: t([], true), b: t([], true) }), /a and b are all marked default/);
});

test('no targets is an error', () => {
  assert.throws(() => defaultTarget({}), (e: unknown) => e instanceof OxidizeError && e.code === 'NO_TARGETS');
});

test('dependencies resolve first, each once, in declaration order', () => {
  const targets = { exe: t(), resources: t(), install: t(['exe', 'resources']), msi: t(['install', 'exe']) };
  assert.deepEqual(resolveTargetOrder(targets, ['msi']), ['exe', 'resources', 'install', 'msi']);
});

test('targets named on the command line resolve in that order', () => {
  const targets = { a: t(), b: t(), c: t(['a']) };
  assert.deepEqual(resolveTargetOrder(targets, ['b', 'c']), ['b', 'a', 'c']);
  assert.deepEqual(resolveTargetOrder(targets, ['c', 'b', 'a']), ['a', 'c', 'b']);
});

test('with no names the default target and its dependencies resolve', () => {
  assert.deepEqual(resolveTargetOrder({ a: t(), b: t(['a'], true) }, []), ['a', 'b']);
});

test('unknown targets and dependencies name the known ones', () => {
  assert.throws(() => resolveTargetOrder({ a: t() }, ['nope']), (e: unknown) => e instanceof OxidizeError && e.message === 'unknown target nope' && e.hint === 'known targets: a');
  assert.throws(() => resolveTargetOrder({ a: t(['ghost']) }, ['a']), /target a depends on unknown target ghost/);
});

test('cycles are reported with their path', () => {
  assert.throws(() => resolveTargetOrder({ a: t(['b']), b: t(['c']), c: t(['a']) }, ['a']), /cycle: a -> b -> c -> a/);
});
