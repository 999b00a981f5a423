import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from '../../src/util/process.js';

test('a program that exits without reading its input gives its status, not an EPIPE crash', async () => {
  // Far more than a pipe holds: the write is still pending when `true` exits.
  const input = 'x'.repeat(4 * 1024 * 1024);
  for (let i = 0; i < 5; i++) {
    const r = await runProgram('true', [], { input });
    assert.equal(r.code, 0);
  }
  const failed = await runProgram('sh', ['-c', 'exit 3'], { input });
  assert.equal(failed.code, 3);
});
