/** A short fuzz run (the full one is `npm run fuzz`): no mutant crashes, hangs or lies. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAD, formatTable, fuzz } from '../fuzz/harness.js';

test('300 mutants of a real executable: no signal, no hang, no wrong output', async () => {
  const result = await fuzz({ mutants: 300, seed: Date.now() % 100000 });
  const total = [...result.totals.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, 300);
  for (const outcome of BAD) assert.equal(result.totals.get(outcome) ?? 0, 0, `${outcome}:\n${formatTable(result)}\n${JSON.stringify(result.failures, null, 1)}`);
  assert.ok((result.totals.get('rejected in one line') ?? 0) > 0, 'some mutants were rejected');
});
