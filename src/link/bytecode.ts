/**
 * Bytecode compilation by the distribution's own interpreter (its magic
 * number must match the embedded one), in parallel batches, cached by content
 * hash so a rebuild compiles nothing.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import type { OptimizeLevel } from '../resources/types.js';
import { packageRoot } from '../util/paths.js';
import { runProgram } from '../util/process.js';

export interface CompileJob {
  /** Module name, for messages. */
  readonly name: string;
  /** File holding the source, when there is one (else the bytes are sent). */
  readonly sourcePath?: string;
  /** The source bytes (hashed for the cache key). */
  readonly source: Uint8Array;
  /** `co_filename` of the code. */
  readonly filename: string;
  readonly optimize: OptimizeLevel;
}

function cachePath(cacheDir: string, dist: PythonDistribution, job: CompileJob): string {
  const key = createHash('sha256')
    .update(`${dist.magic}\0${job.optimize}\0${job.filename}\0`)
    .update(job.source)
    .digest('hex');
  return path.join(cacheDir, 'bytecode', dist.magic, key.slice(0, 2), key);
}

async function runWorkers(dist: PythonDistribution, jobs: Array<CompileJob & { out: string }>): Promise<void> {
  const workers = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, Math.ceil(jobs.length / 50)));
  const script = path.join(packageRoot, 'src/link/compile_worker.py');
  const shares: string[][] = Array.from({ length: workers }, () => []);
  jobs.forEach((j, i) =>
    shares[i % workers].push(
      JSON.stringify({
        source: j.sourcePath ?? j.name,
        ...(j.sourcePath ? {} : { data: Buffer.from(j.source).toString('base64') }),
        filename: j.filename,
        optimize: j.optimize,
        out: j.out,
      }),
    ),
  );
  const results = await Promise.all(
    shares.map((lines) => runProgram(dist.python, ['-I', '-S', '-B', script], { input: lines.join('\n') + '\n' })),
  );
  for (const r of results) {
    if (r.code !== 0) {
      throw new OxidizeError('COMPILE_FAILED', `bytecode compiler ${dist.python} failed: ${r.stderr.trim().split('\n').pop()}`);
    }
    const failure = r.stdout.split('\n').find((l) => l.trim());
    if (failure) {
      const f = JSON.parse(failure) as { source: string; error: string };
      const job = jobs.find((j) => (j.sourcePath ?? j.name) === f.source);
      throw new OxidizeError(
        'COMPILE_FAILED',
        `cannot compile ${f.source}${job ? ` (module ${job.name})` : ''}: ${f.error}`,
        'fix the syntax error, or leave the module out of the executable',
      );
    }
  }
}

/** Compiles every job (or takes it from the cache); returns code in job order. */
export async function compileBytecode(
  dist: PythonDistribution,
  cacheDir: string,
  jobs: readonly CompileJob[],
): Promise<{ code: Buffer[]; compiled: number }> {
  const paths = jobs.map((j) => cachePath(cacheDir, dist, j));
  const cached = await Promise.all(paths.map((p) => fsp.readFile(p).catch(() => undefined)));
  const missing = jobs.map((j, i) => ({ ...j, out: paths[i] })).filter((_, i) => cached[i] === undefined);
  if (missing.length > 0) await runWorkers(dist, missing);
  const code = await Promise.all(paths.map((p, i) => cached[i] ?? fsp.readFile(p)));
  return { code, compiled: missing.length };
}
