/**
 * The conformance harness as a library: builds the executables of the
 * fixture, runs test modules under python3 and in each executable (one at a
 * time), and compares them. `main.ts` (npm run conformance) and the
 * end-to-end test call it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTargets } from '../src/build-targets.js';
import { OxidizeError } from '../src/errors.js';
import { cacheDir, packageRoot } from '../src/util/paths.js';
import { compareModule, type ModuleComparison } from './compare.js';
import type { TestResult } from './junit.js';
import { readRun, runModule, type Interpreter, type ModuleRun } from './run-module.js';

export interface Variant {
  readonly name: string;
  /** Target of conformance/fixture/pyoxidizer.config.ts. */
  readonly target: string;
  readonly description: string;
  /** How to start regrtest in the built executable. */
  interpreter(exe: string): Interpreter;
}

export const VARIANTS: readonly Variant[] = [
  {
    name: 'memory',
    target: 'memory',
    description: 'the python command, everything in memory',
    interpreter: (exe) => ({ name: 'memory', command: exe, args: ['-m', 'test'] }),
  },
  {
    name: 'filesystem',
    target: 'filesystem',
    description: 'the python command, test packages filesystem-relative, the rest in memory',
    interpreter: (exe) => ({ name: 'filesystem', command: exe, args: ['-m', 'test'] }),
  },
  {
    // Not run by default: the application personality, whose children run
    // the application again (the entry module stops them).
    name: 'app',
    target: 'app',
    description: 'regrtest as the application, everything in memory',
    interpreter: (exe) => ({ name: 'app', command: exe, args: [] }),
  },
];

/** The variants `npm run conformance` runs unless told otherwise. */
export const DEFAULT_VARIANTS = ['memory', 'filesystem'];

export interface HarnessOptions {
  /** The interpreter measured (Debian's python3.11 with libpython3.11-testsuite). */
  readonly python: string;
  readonly modules: readonly string[];
  readonly variants: readonly Variant[];
  /** Scratch space: built executables and each run's files. */
  readonly workDir: string;
  readonly testTimeoutSeconds: number;
  readonly moduleTimeoutSeconds: number;
  /** Reuse python3's results from earlier runs (they depend only on the interpreter and its tests). */
  readonly reuseStock: boolean;
  /** Compare the runs kept in this earlier work directory again instead of running anything. */
  readonly fromRuns?: string;
  readonly log: (line: string) => void;
}

export interface HarnessResult {
  readonly version: string;
  readonly stock: readonly ModuleRun[];
  readonly variants: ReadonlyArray<{ variant: Variant; exe: string; modules: ModuleComparison[] }>;
}

export interface PythonInfo {
  readonly version: string;
  /** Its test package's directory. */
  readonly testsDir: string;
  /** Top-level names of its standard library (and `test`). */
  readonly stdlibNames: ReadonlySet<string>;
}

/** Checks the interpreter and its test suite. */
export function checkPython(python: string): PythonInfo {
  const code =
    'import sys, os, test.libregrtest, test.test_sys\n' +
    'print(sys.version.split()[0]); print(os.path.dirname(test.__file__)); print(" ".join(sorted(sys.stdlib_module_names)))';
  const r = spawnSync(python, ['-I', '-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new OxidizeError(
      'CONFORMANCE_NO_TESTS',
      `${python} cannot run CPython's test suite (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`,
      'install it and its tests: apt-get install python3.11 libpython3.11-testsuite',
    );
  }
  const [version, testsDir, names] = r.stdout.trim().split('\n');
  return { version, testsDir, stdlibNames: new Set([...names.split(' '), 'test']) };
}

/** Builds the fixture's executables for the variants; returns their paths by variant name. */
export async function buildExecutables(python: string, variants: readonly Variant[], workDir: string): Promise<Map<string, string>> {
  if (variants.length === 0) return new Map();
  const dir = path.join(workDir, 'fixture');
  cpSync(path.join(packageRoot, 'conformance/fixture'), dir, { recursive: true });
  const targets = [...new Set(variants.map((v) => v.target))];
  const { results } = await buildTargets({ path: dir, python, targets, log: () => {} });
  const out = new Map<string, string>();
  for (const v of variants) {
    const built = results.get(v.target) as { path: string } | undefined;
    if (!built) throw new Error(`target ${v.target} built nothing`);
    out.set(v.name, built.path);
  }
  return out;
}

/** The executables an earlier (kept) harness run built, by variant name. */
function builtBefore(workDir: string, variants: readonly Variant[]): Map<string, string> {
  const build = path.join(workDir, 'fixture', 'build');
  const out = new Map<string, string>();
  for (const triple of readdirSync(build)) {
    for (const profile of readdirSync(path.join(build, triple))) {
      for (const v of variants) {
        const dir = path.join(build, triple, profile, v.target);
        if (!existsSync(dir)) continue;
        const exe = readdirSync(dir).find((f) => statSync(path.join(dir, f)).isFile() && (statSync(path.join(dir, f)).mode & 0o111) !== 0);
        if (exe) out.set(v.name, path.join(dir, exe));
      }
    }
  }
  for (const v of variants) if (!out.has(v.name)) throw new Error(`no executable of ${v.target} under ${build}`);
  return out;
}

/** Where python3's results for this interpreter and test suite are kept between runs. */
function stockCacheDir(python: string, info: PythonInfo): string {
  const binary = statSync(python);
  const tests = statSync(path.join(info.testsDir, '__init__.py'));
  const key = createHash('sha256')
    .update(`${realpathSync(python)}\0${info.version}\0${binary.size}\0${binary.mtimeMs}\0${tests.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(cacheDir(), 'conformance', `python3-${key}`);
}

interface StoredRun extends Omit<ModuleRun, 'results' | 'reentries'> {
  results: Array<[string, TestResult]> | null;
}

function loadStock(file: string): ModuleRun | undefined {
  if (!existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, 'utf8')) as StoredRun;
  return { ...s, results: s.results ? new Map(s.results) : undefined, reentries: new Set() };
}

function saveStock(file: string, run: ModuleRun): void {
  const { reentries: _, ...rest } = run;
  const s: StoredRun = { ...rest, results: run.results ? [...run.results] : null };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  // A complete file or none: another harness may read it.
  renameSync(tmp, file);
}

function summary(run: ModuleRun): string {
  const c = { pass: 0, fail: 0, skip: 0 };
  for (const r of run.results?.values() ?? []) c[r.outcome]++;
  const end = run.timedOut ? ' HUNG' : run.signal ? ` ${run.signal}` : run.results ? '' : ` no XML (exit ${run.exitCode})`;
  return `${c.pass} passed, ${c.fail} failed, ${c.skip} skipped in ${run.seconds.toFixed(1)} s${end}`;
}

export async function runHarness(o: HarnessOptions): Promise<HarnessResult> {
  const info = checkPython(o.python);
  const version = info.version;
  o.log(`python ${o.python} ${version}; building ${o.variants.map((v) => v.target).join(', ')}`);
  const exes = o.fromRuns ? builtBefore(o.fromRuns, o.variants) : await buildExecutables(o.python, o.variants, o.workDir);
  const stockDir = stockCacheDir(o.python, info);
  const opts = (who: string, module: string) => ({
    workDir: path.join(o.workDir, 'runs', who, module),
    testTimeoutSeconds: o.testTimeoutSeconds,
    moduleTimeoutSeconds: o.moduleTimeoutSeconds,
  });
  const python: Interpreter = { name: 'python3', command: o.python, args: ['-m', 'test'] };
  const stock: ModuleRun[] = [];
  const compared = o.variants.map((variant) => {
    const exe = exes.get(variant.name)!;
    return { variant, exe, interpreter: variant.interpreter(exe), modules: [] as ModuleComparison[] };
  });
  for (const [i, module] of o.modules.entries()) {
    const file = path.join(stockDir, `${module}.json`);
    let s = o.reuseStock || o.fromRuns ? loadStock(file) : undefined;
    if (!s) {
      s = await runModule(python, module, opts('python3', module));
      if (!s.timedOut) saveStock(file, s);
    }
    stock.push(s);
    o.log(`[${i + 1}/${o.modules.length}] ${module}: python3 ${summary(s)}`);
    for (const c of compared) {
      const run = o.fromRuns
        ? readRun(path.join(o.fromRuns, 'runs', c.variant.name, module), module)
        : await runModule(c.interpreter, module, opts(c.variant.name, module));
      const cmp = compareModule(s, run, { exePrefix: c.exe, stdlibNames: info.stdlibNames, stdlibDir: path.dirname(info.testsDir) });
      c.modules.push(cmp);
      o.log(`    ${c.variant.name}: ${summary(run)}, ${cmp.lost.length} lost`);
    }
  }
  return { version, stock, variants: compared };
}

/** A fresh scratch directory for a harness run. */
export function scratchDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'oxidize-conformance-'));
}
