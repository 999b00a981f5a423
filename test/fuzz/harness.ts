/**
 * The fuzz harness: builds two small applications on one stub, then runs
 * mutants of the first (see mutations.ts) and sorts what each did into
 * outcome classes. A crash (a signal), a hang or a changed output that exits
 * 0 is a failure; a one-line rejection, or the unchanged program, is not.
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEntry } from '../../src/cache/entry.js';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import { stubEntryPath, stubKey } from '../../src/link/stub.js';
import { cacheDir } from '../../src/util/paths.js';
import { buildProject } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';
import { fields, mutate, rng, type Mutation, type Target } from './mutations.js';

export const OUTCOMES = ['same output', 'ran the other program', 'rejected in one line', 'Python error', 'other exit status', 'wrong output', 'signal', 'hang'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that fail the run. */
export const BAD: readonly Outcome[] = ['wrong output', 'signal', 'hang'];

const APP = `import json, importlib.resources
from app import helper
data = importlib.resources.files("app").joinpath("data.txt").read_text()
print(json.dumps({"sum": helper.total(100), "data": data, "keys": sorted(json.loads('{"b": 1, "a": 2}'))}))
`;

export interface FuzzOptions {
  mutants: number;
  seed: number;
  /** Mutants run at once (each on its own copy). */
  workers?: number;
  /** Seconds before a run counts as a hang. */
  timeout?: number;
  onProgress?: (done: number) => void;
}

export interface FuzzResult {
  /** Outcome counts per mutation kind. */
  table: Map<string, Map<Outcome, number>>;
  totals: Map<Outcome, number>;
  /** The first few failures, to reproduce. */
  failures: Array<{ mutation: string; outcome: Outcome; detail: string }>;
  appendedBytes: number;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runExe(exe: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
    const child = spawn(exe, [], { cwd: path.dirname(exe), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(0, 1 << 16)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(0, 1 << 16)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

function classify(r: Run, expected: Run, other: Run): Outcome {
  if (r.timedOut) return 'hang';
  if (r.signal) return 'signal';
  if (r.code === 0) {
    if (r.stdout === expected.stdout) return 'same output';
    if (r.stdout === other.stdout) return 'ran the other program';
    return 'wrong output';
  }
  const lines = r.stderr.trimEnd().split('\n');
  if (r.code === 70 && lines.length === 1 && lines[0].startsWith('oxidize: ') && r.stdout === '') return 'rejected in one line';
  if (r.code === 1 && /Traceback|Error/.test(r.stderr)) return 'Python error';
  return 'other exit status';
}

/** Applies a mutation to the file open as `fd`; the returned function undoes it (given the file open again). */
function apply(fd: number, m: Mutation, pristine: Buffer): (fd: number) => void {
  for (const p of m.patches) writeSync(fd, p.data, 0, p.data.length, p.offset);
  if (m.tail) {
    ftruncateSync(fd, m.tail.from);
    if (m.tail.data.length) writeSync(fd, m.tail.data, 0, m.tail.data.length, m.tail.from);
  }
  return (fd) => {
    if (m.tail) {
      ftruncateSync(fd, m.tail.from);
      const rest = pristine.subarray(m.tail.from);
      if (rest.length) writeSync(fd, rest, 0, rest.length, m.tail.from);
    }
    for (const p of m.patches) writeSync(fd, pristine, p.offset, p.data.length, p.offset);
  };
}

/** Builds the two applications; returns the mutation target and where the first executable is. */
export async function prepare(): Promise<{ target: Target; exe: string; otherExe: string }> {
  const extra = { 'src/app/helper.py': 'def total(n):\n    return sum(range(n))\n', 'src/app/data.txt': 'payload data\n' };
  const [exe] = buildProject(tinyApp('fuzzed', APP, extra));
  const [otherExe] = buildProject(tinyApp('fuzzed', APP.replace('helper.total(100)', 'helper.total(7)'), extra));
  const entry = await readEntry(stubEntryPath(cacheDir(), await stubKey(await resolveHostDistribution())));
  if (entry.status !== 'ok') throw new Error('the stub entry is not in the cache');
  const target = { bytes: readFileSync(exe), stubSize: entry.data.length, other: readFileSync(otherExe) };
  if (!target.bytes.subarray(0, target.stubSize).equals(target.other.subarray(0, target.stubSize))) throw new Error('the two executables do not share the stub');
  return { target, exe, otherExe };
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { target, exe, otherExe } = await prepare();
  const timeoutMs = (options.timeout ?? 10) * 1000;
  const expected = await runExe(exe, timeoutMs);
  const other = await runExe(otherExe, timeoutMs);
  if (expected.code !== 0 || other.code !== 0 || expected.stdout === other.stdout) {
    throw new Error(`the fuzzed applications do not run as they should: ${expected.stderr}${other.stderr}`);
  }
  const fieldList = fields(target);
  const random = rng(options.seed);
  const mutants = Array.from({ length: options.mutants }, () => mutate(target, random, fieldList));
  const table = new Map<string, Map<Outcome, number>>();
  const totals = new Map<Outcome, number>();
  const failures: FuzzResult['failures'] = [];
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-fuzz-'));
  let next = 0;
  let done = 0;
  const worker = async (n: number) => {
    // Each worker mutates its own copy in place: patches are undone after each run.
    const copy = path.join(work, `w${n}`, 'fuzzed');
    rmSync(path.dirname(copy), { recursive: true, force: true });
    mkdirSync(path.dirname(copy), { recursive: true });
    copyFileSync(exe, copy);
    chmodSync(copy, 0o755);
    // Outputs name no path, so a copy's expected output is the original's.
    while (next < mutants.length) {
      const m = mutants[next++];
      const fd = openSync(copy, 'r+');
      const undo = apply(fd, m, target.bytes);
      closeSync(fd);
      const r = await runExe(copy, timeoutMs);
      const outcome = classify(r, expected, other);
      const again = openSync(copy, 'r+');
      undo(again);
      closeSync(again);
      const row = table.get(m.kind) ?? new Map<Outcome, number>();
      row.set(outcome, (row.get(outcome) ?? 0) + 1);
      table.set(m.kind, row);
      totals.set(outcome, (totals.get(outcome) ?? 0) + 1);
      if (BAD.includes(outcome) && failures.length < 10) {
        failures.push({ mutation: `${m.kind}: ${m.description}`, outcome, detail: `exit ${r.code} ${r.signal ?? ''} ${r.stderr.slice(0, 300)}` });
      }
      options.onProgress?.(++done);
    }
  };
  const workers = options.workers ?? Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  try {
    await Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { table, totals, failures, appendedBytes: target.bytes.length - target.stubSize };
}

/** The outcome table as Markdown: one row per mutation kind. */
export function formatTable(r: FuzzResult): string {
  const used = OUTCOMES.filter((o) => r.totals.has(o));
  const lines = [`| mutation | ${used.join(' | ')} |`, `| --- |${used.map(() => ' ---: |').join('')}`];
  for (const [kind, row] of [...r.table].sort()) lines.push(`| ${kind} | ${used.map((o) => row.get(o) ?? 0).join(' | ')} |`);
  lines.push(`| **all** | ${used.map((o) => r.totals.get(o) ?? 0).join(' | ')} |`);
  return lines.join('\n');
}
