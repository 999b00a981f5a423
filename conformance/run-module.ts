/**
 * Runs one CPython test module under regrtest, in a single process, with
 * its own working and temporary directory, and reads back the JUnit XML.
 *
 * Guards: regrtest's own `--timeout` dumps the stacks and exits when a test
 * module runs too long; past `moduleTimeoutSeconds` the whole process group
 * (the interpreter and every child it started) is killed. Children of the
 * executable that would run its application again instead of behaving as
 * `python` are stopped by the entry module (conformance/fixture).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJunit, type TestResult } from './junit.js';

/** How to start regrtest: `command ...args [regrtest options] module`. */
export interface Interpreter {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface ModuleRun {
  readonly module: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed after the module time limit. */
  readonly timedOut: boolean;
  readonly seconds: number;
  /** Undefined when regrtest wrote no XML (it did not get to the end). */
  readonly results: Map<string, TestResult> | undefined;
  /** The last lines regrtest printed. */
  readonly tail: string;
  /** Tests that started the executable again as if it were python (see conformance/fixture). */
  readonly reentries: ReadonlySet<string>;
}

export interface RunOptions {
  /** Directory for this run's files (XML, log, cwd); emptied first. TMPDIR is a short directory of its own, removed after the run. */
  readonly workDir: string;
  /** regrtest's `--timeout` for the module. */
  readonly testTimeoutSeconds: number;
  /** The hard limit after which the process group is killed. */
  readonly moduleTimeoutSeconds: number;
}

/** The environment of a run: the caller's, without what would change how Python starts. */
export function cleanEnvironment(base: NodeJS.ProcessEnv, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (k.startsWith('PYTHON') || k.startsWith('OXIDIZE_CONFORMANCE')) continue;
    env[k] = v;
  }
  env.TMPDIR = tmp;
  // Same terminal-independent output under every interpreter.
  env.TERM = 'dumb';
  delete env.COLUMNS;
  return env;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function runModule(interp: Interpreter, module: string, opts: RunOptions): Promise<ModuleRun> {
  rmSync(opts.workDir, { recursive: true, force: true });
  const cwd = path.join(opts.workDir, 'cwd');
  mkdirSync(cwd, { recursive: true });
  // A short TMPDIR: Unix socket paths (multiprocessing's listeners under
  // tempfile's pymp-XXXX directories) must fit in 108 bytes, whatever the
  // length of the work directory's path.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'oxc-'));
  const xml = path.join(opts.workDir, 'junit.xml');
  const reentryLog = path.join(opts.workDir, 'reentries.log');
  const log = createWriteStream(path.join(opts.workDir, 'output.log'));
  const args = [...interp.args, '--junit-xml', xml, '--timeout', String(opts.testTimeoutSeconds), module];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    // Its own process group, so a hang is ended with every child it started.
    const env = { ...cleanEnvironment(process.env, tmp), OXIDIZE_CONFORMANCE_LOG: reentryLog };
    const child = spawn(interp.command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.moduleTimeoutSeconds * 1000);
    let done = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Children the tests left behind go with their group.
      killGroup(child.pid);
      log.end();
      rmSync(tmp, { recursive: true, force: true });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const results = existsSync(xml) ? parseJunit(readFileSync(xml, 'utf8')) : undefined;
      const reentries = new Set(existsSync(reentryLog) ? readFileSync(reentryLog, 'utf8').split('\n').filter(Boolean) : []);
      writeFileSync(path.join(opts.workDir, 'run.json'), JSON.stringify({ exitCode, signal, timedOut, seconds }));
      resolve({ module, exitCode, signal, timedOut, seconds, results, tail, reentries });
    };
    child.on('error', (e) => {
      tail += `\ncannot start ${interp.command}: ${e.message}`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

/** A run read back from its directory (kept with --keep), to compare it again. */
export function readRun(workDir: string, module: string): ModuleRun {
  const file = (name: string) => path.join(workDir, name);
  const meta = existsSync(file('run.json'))
    ? (JSON.parse(readFileSync(file('run.json'), 'utf8')) as Pick<ModuleRun, 'exitCode' | 'signal' | 'timedOut' | 'seconds'>)
    : { exitCode: null, signal: null, timedOut: false, seconds: 0 };
  const results = existsSync(file('junit.xml')) ? parseJunit(readFileSync(file('junit.xml'), 'utf8')) : undefined;
  const tail = existsSync(file('output.log')) ? readFileSync(file('output.log'), 'utf8').slice(-4000) : '';
  const reentries = new Set(existsSync(file('reentries.log')) ? readFileSync(file('reentries.log'), 'utf8').split('\n').filter(Boolean) : []);
  return { module, ...meta, results, tail, reentries };
}
