/**
 * Bytecode compilation by the distribution's own interpreter (its magic
 * number must match the embedded one), in parallel batches, cached by content
 * hash so a rebuild compiles nothing. The workers write plain files into a
 * private scratch directory; they become verified cache entries (a digest
 * checked on every read) here, so an edited cached file is recompiled, never
 * shipped.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import type { OptimizeLevel } from '../resources/types.js';
import { discardEntry, readEntry, writeEntry } from '../cache/entry.js';
import { producerDigest } from '../cache/producer.js';
import { packageRoot } from '../util/paths.js';
import { withTempDir } from '../util/temp.js';
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

const WORKER = path.join(packageRoot, 'src/link/compile_worker.py');

/**
 * Keyed by the interpreter (bytecode magic), the compiler (compile_worker.py:
 * another version may compile with other flags) and the job.
 */
function cachePath(cacheDir: string, dist: PythonDistribution, job: CompileJob): string {
  const key = createHash('sha256')
    .update(`${dist.magic}\0${producerDigest([WORKER])}\0${job.optimize}\0${job.filename}\0`)
    .update(job.source)
    .digest('hex');
  return path.join(cacheDir, 'bytecode', dist.magic, key.slice(0, 2), `${key}.entry`);
}

/** A marshalled code object starts with a code-object type byte (0xe3: TYPE_CODE with FLAG_REF). */
function bytecodeProblem(data: Buffer): string | undefined {
  return data.length > 0 && (data[0] & 0x7f) === 0x63 ? undefined : 'it is not a marshalled code object';
}

/** A module whose source the interpreter rejects; it is packed as source only. */
export interface CompileFailure {
  readonly name: string;
  /** The source file (or the module name when the source has no file). */
  readonly source: string;
  /** The exception as Python prints its last line ("SyntaxError: ..."). */
  readonly error: string;
  /** For a SyntaxError (and its subclasses): its class, message, and 1-based line and column when Python gives them. */
  readonly syntax?: { readonly type: string; readonly msg: string; readonly line?: number; readonly column?: number };
}

/** Runs the compile workers; returns the jobs whose source does not compile. */
async function runWorkers(dist: PythonDistribution, jobs: Array<CompileJob & { out: string }>): Promise<CompileFailure[]> {
  const workers = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, Math.ceil(jobs.length / 50)));
  const script = WORKER;
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
    shares.map((lines) => runProgram(dist.python, ['-I', '-S', '-B', script], { input: lines.join('\n') + '\n', env: { ...process.env, ...dist.pythonEnv } })),
  );
  const failures = new Map<string, CompileFailure>();
  for (const r of results) {
    if (r.code !== 0) {
      throw new OxidizeError('COMPILE_FAILED', `bytecode compiler ${dist.python} failed: ${r.stderr.trim().split('\n').pop()}`);
    }
    for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
      const f = JSON.parse(line) as { source: string; error: string; type?: string; msg?: string; line?: number | null; column?: number | null };
      const job = jobs.find((j) => (j.sourcePath ?? j.name) === f.source);
      const syntax = f.type !== undefined && f.msg !== undefined ? { type: f.type, msg: f.msg, line: f.line ?? undefined, column: f.column ?? undefined } : undefined;
      // One report per module, whatever the number of optimization levels.
      failures.set(f.source, { name: job?.name ?? f.source, source: f.source, error: f.error, ...(syntax ? { syntax } : {}) });
    }
  }
  return [...failures.values()];
}

/**
 * Compiles every job (or takes it from the cache); returns code in job order.
 * A module that does not compile has no code (undefined): python3 would
 * raise its SyntaxError only when it is imported, so the build goes on and
 * reports it in `failures`. Failures are not cached: they are rare and
 * recompiling them is cheap.
 */
export async function compileBytecode(
  dist: PythonDistribution,
  cacheDir: string,
  jobs: readonly CompileJob[],
  warn?: (message: string) => void,
): Promise<{ code: Array<Buffer | undefined>; compiled: number; failures: CompileFailure[] }> {
  const paths = jobs.map((j) => cachePath(cacheDir, dist, j));
  const reads = await Promise.all(paths.map((p) => readEntry(p, { check: bytecodeProblem })));
  const damaged = reads.flatMap((r, i) => (r.status === 'damaged' ? [{ path: paths[i], reason: r.reason }] : []));
  if (damaged.length > 0) {
    const first = damaged[0];
    warn?.(`${damaged.length} cached bytecode file(s) damaged (${first.path}: ${first.reason}); recompiling them`);
    await Promise.all(damaged.map((d) => discardEntry(d.path)));
  }
  const code: Array<Buffer | undefined> = reads.map((r) => (r.status === 'ok' ? r.data : undefined));
  const missing = jobs.flatMap((j, i) => (code[i] === undefined ? [{ ...j, index: i }] : []));
  let failures: CompileFailure[] = [];
  if (missing.length > 0) {
    await withTempDir('bytecode', async (scratch) => {
      const outs = missing.map((_, n) => path.join(scratch, String(n)));
      failures = await runWorkers(dist, missing.map((m, n) => ({ ...m, out: outs[n] })));
      // Those have no code: python3 raises their error only when they are imported.
      const failed = new Set(failures.map((f) => f.source));
      await Promise.all(
        missing.map(async (m, n) => {
          if (failed.has(m.sourcePath ?? m.name)) return;
          const data = await fsp.readFile(outs[n]);
          const problem = bytecodeProblem(data);
          if (problem) throw new OxidizeError('COMPILE_FAILED', `the bytecode compiler wrote a bad result for ${m.name}: ${problem}`);
          code[m.index] = data;
          await writeEntry(paths[m.index], data);
        }),
      );
    });
  }
  return { code, compiled: missing.length - failures.length, failures };
}
