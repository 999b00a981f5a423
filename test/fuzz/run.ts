/**
 * `npm run fuzz [-- --mutants N --seed S]`: runs mutants of a real
 * executable's appended part and prints the outcomes by mutation kind.
 * Exits 1 if any mutant crashed, hung or silently printed something else.
 */
import { parseArgs } from 'node:util';
import { BAD, formatTable, fuzz } from './harness.js';

const { values } = parseArgs({ options: { mutants: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, workers: { type: 'string' } } });
const mutants = Number(values.mutants);
const seed = Number(values.seed);
const started = Date.now();
const result = await fuzz({
  mutants,
  seed,
  workers: values.workers ? Number(values.workers) : undefined,
  onProgress: (n) => {
    if (n % 500 === 0) process.stderr.write(`${n}/${mutants} mutants\n`);
  },
});
process.stdout.write(`${mutants} mutants (seed ${seed}) of the ${result.appendedBytes} bytes oxidize appends to the stub, in ${Math.round((Date.now() - started) / 1000)} s:\n\n`);
process.stdout.write(`${formatTable(result)}\n`);
for (const f of result.failures) process.stdout.write(`\nFAILED (${f.outcome}): ${f.mutation}\n  ${f.detail}\n`);
const bad = BAD.reduce((n, o) => n + (result.totals.get(o) ?? 0), 0);
process.exitCode = bad > 0 ? 1 : 0;
