/**
 * `node library-build.js <config dir> <target> <result file>`: builds a target
 * with `buildTargets()` as a tool embedding oxidize would (no options for
 * output) and writes what it returned, or the error, to the result file.
 */
import { writeFileSync } from 'node:fs';
import { buildTargets } from '../../src/index.js';

const [dir, target, out] = process.argv.slice(2);
try {
  const { executables } = await buildTargets({ path: dir, targets: [target] });
  writeFileSync(out, JSON.stringify({ executables: executables.map((e) => e.path) }));
} catch (e) {
  writeFileSync(out, JSON.stringify({ error: (e as Error).message }));
}
