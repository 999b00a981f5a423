/**
 * Compares one module's results under python3 and in an executable, test by
 * test: a test is lost when it passes under python3 and not in the
 * executable (fails, is skipped, or is not reported). Each lost test gets a
 * reason read from what the executable reported.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Outcome, TestResult } from './junit.js';
import type { ModuleRun } from './run-module.js';

export interface Counts {
  pass: number;
  fail: number;
  skip: number;
}

export interface LostTest {
  readonly id: string;
  readonly reason: string;
  /** First line of the evidence (the error or skip reason). */
  readonly evidence: string;
}

export interface ModuleComparison {
  readonly module: string;
  readonly stock: Counts;
  readonly exe: Counts;
  readonly lost: LostTest[];
  /** Tests that pass in the executable and not under python3. */
  readonly gained: number;
  /** Why the executable's run ended early, if it did. */
  readonly runProblem?: string;
}

export function counts(results: Map<string, TestResult> | undefined): Counts {
  const c: Counts = { pass: 0, fail: 0, skip: 0 };
  for (const r of results?.values() ?? []) c[r.outcome]++;
  return c;
}

/** What ended a run early: a hang, a signal, or regrtest never writing its XML. */
export function runProblem(run: ModuleRun): string | undefined {
  if (run.timedOut) return 'the module hung and was killed';
  if (run.signal) return `the interpreter died of ${run.signal}`;
  const timeout = /Timeout \([\d:]+\)!\n[^\n]*\n\s+File "[^"]*", line \d+ in (\w+)/.exec(run.tail);
  if (!run.results && timeout) return `${timeout[1]} hung, and regrtest's timeout ended the whole module`;
  if (!run.results) {
    const last = run.tail.trim().split('\n').filter((l) => l.trim()).pop() ?? '';
    return `regrtest did not finish (exit ${run.exitCode}): ${last.slice(0, 160)}`;
  }
  return undefined;
}

interface Rule {
  readonly pattern: RegExp;
  readonly reason: (m: RegExpExecArray) => string;
}

/** Reasons by evidence, first match wins; the text they produce is what the table groups by. */
export const REENTRY = 'runs sys.executable as python (-c, -m, a script or options); the executable ran its application instead';

const RULES: readonly Rule[] = [
  { pattern: /conformance: the executable was started again as its application/, reason: () => REENTRY },
  { pattern: /_xxsubinterpreters|Py_NewInterpreter|subinterpreter/i, reason: () => 'sub-interpreters' },
  {
    pattern: /imp\.py", line \d+, in find_module/,
    reason: () => 'imp.find_module looks for files in sys.path directories; the standard library is inside the executable',
  },
  {
    pattern: /can't open file '[^']*': \[Errno 20\] Not a directory/,
    reason: () => 'runs a file that is inside the executable as a script (python opens scripts with C stdio, which the file view does not serve)',
  },
  {
    pattern: /'NoneType' object has no attribute 'rfind'/,
    reason: () => 'an extension module loaded from memory has no file (spec.origin is None)',
  },
  {
    pattern: /AssertionError: tmp\w+[-.\w]*\.(whl|egg)\b/,
    reason: () =>
      "importlib.resources.as_file() of a packed file gives a temporary copy named tmpXXXX<name>, where python3 gives the file itself: the test wants the wheel's or egg's own name",
  },
  { pattern: /_oxidize\.PathGuard/, reason: () => "the file view's guards (os.stat, open, ...) are not the builtin functions: they cannot be pickled" },
  { pattern: /'OxidizedFinder' object has no attribute 'path'/, reason: () => "the payload's loader has no .path attribute" },
  { pattern: /in load_dynamic/, reason: () => 'imp.load_dynamic needs a file; an extension module in memory has none' },
  { pattern: /_pth\b|sys\.path is incorrect/, reason: () => 'a ._pth file next to the executable is not read (sys.path comes from the command line and the payload)' },
  {
    pattern: /Makefile|get_makefile_filename|config-3\.\d+|pyconfig\.h/,
    reason: () => "sys.prefix is the executable's directory: the installation's build files (Makefile, config-3.X, pyconfig.h) are not there",
  },
  { pattern: /NameError: name '__file__' is not defined/, reason: () => 'a module in memory has no __file__' },
  { pattern: /\bsys\.flags\b/, reason: () => 'sys.flags differ from python3' },
];

/**
 * Top-level names of the standard library and its test package: a module
 * outside them that is not found was written by the test to a directory it
 * put on sys.path.
 */
export interface Context {
  readonly exePrefix: string;
  readonly stdlibNames: ReadonlySet<string>;
  /** The standard library's directory (where python3 finds it). */
  readonly stdlibDir: string;
}

function missingModule(name: string, ctx: Context): string {
  const top = name.split('.')[0];
  const dir = path.join(ctx.stdlibDir, ...name.split('.'));
  if (name.includes('.') && existsSync(dir) && !existsSync(path.join(dir, '__init__.py'))) {
    return 'imports a namespace package inside a regular package (a directory without __init__.py), which was not found';
  }
  if (ctx.stdlibNames.has(top)) return `module ${name} is not importable in the executable`;
  return 'imports a module it wrote to a directory or zip file on sys.path, which was not found there';
}

function firstLine(detail: string): string {
  const lines = detail.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  // The last line of a traceback names the exception; a skip reason is one line.
  return (lines.pop() ?? '').slice(0, 200);
}

/**
 * The reason a test is lost. Errors naming files under the executable's path
 * come from code reading files next to modules in memory.
 */
export function classify(result: TestResult | undefined, problem: string | undefined, ctx: Context): { reason: string; evidence: string } {
  const c = classifyRaw(result, problem, ctx);
  return { reason: scrub(c.reason, ctx), evidence: scrub(c.evidence, ctx) };
}

/**
 * Paths of one harness run made stable: the executable's path, the run's
 * scratch directory and its temporary directories, so the same reason reads
 * the same in every run.
 */
export function scrub(text: string, ctx: Context): string {
  const work = ctx.exePrefix.split('/fixture/')[0];
  return text
    .split(ctx.exePrefix)
    .join('<exe>')
    .split(work)
    .join('<work>')
    .replace(/\/tmp\/oxc-\w+/g, '<tmp>');
}

function classifyRaw(result: TestResult | undefined, problem: string | undefined, ctx: Context): { reason: string; evidence: string } {
  if (!result) {
    if (problem) return { reason: problem, evidence: '' };
    return { reason: 'not reported (a subTest failed, or the test did not run)', evidence: '' };
  }
  // Paths made stable before anything is cut or renumbered.
  const evidence = scrub(firstLine(result.detail), ctx);
  // The exception that ended the test decides first: its module, then the rules over the whole text.
  const missing = /No module named '([^']+)'/.exec(evidence);
  if (missing) return { reason: missingModule(missing[1], ctx), evidence };
  for (const rule of RULES) {
    const m = rule.pattern.exec(result.detail);
    if (m) return { reason: rule.reason(m), evidence };
  }
  const missingInside = /No module named '([^']+)'/.exec(result.detail);
  if (missingInside) return { reason: missingModule(missingInside[1], ctx), evidence };
  // Modules in memory name their files under the executable in every
  // traceback: what matters is the error's own line.
  const exe = '<exe>';
  if (evidence.includes(`'${exe}'`) && /Not a directory/.test(evidence)) {
    return { reason: "treats the executable's path as a directory (it is the standard library's directory, sys._stdlib_dir, but stays a file)", evidence };
  }
  if (evidence.includes(`${exe}/`) && /cannot open shared object file/.test(evidence)) {
    return { reason: 'loads a packed library by its path with the dynamic loader itself', evidence };
  }
  if (evidence.includes(`${exe}/`) && /Not a directory/.test(evidence)) {
    return {
      reason:
        'reaches a packed file or directory through the system rather than the file view (os.chdir into it, os.statvfs, a child process executing it, C code listing a directory): the view serves Python\'s file functions and C\'s open, fopen and stat of files',
      evidence,
    };
  }
  if (evidence.includes(`${exe}/`) && /Error|No such file/.test(evidence)) {
    return { reason: 'reads or lists files under the executable path (modules in memory)', evidence };
  }
  if (result.outcome === 'skip') return { reason: `skipped in the executable: ${evidence.slice(0, 120)}`, evidence };
  // Fall back to the exception type and message, without volatile numbers and addresses.
  const generic = evidence.replace(/0x[0-9a-f]+/g, '0x…').replace(/\d{3,}/g, 'N').slice(0, 140);
  return { reason: `other: ${generic}`, evidence };
}

/** When the test module itself failed to load, the error regrtest printed for it. */
function moduleFailure(run: ModuleRun): TestResult | undefined {
  if (!run.results || run.results.size > 0 || !/failed \(uncaught exception\)|crashed --/.test(run.tail)) return undefined;
  const lines = run.tail.split('\n');
  const end = lines.findIndex((l) => /failed \(uncaught exception\)|== Tests result/.test(l));
  return { outcome: 'fail', detail: lines.slice(0, end < 0 ? lines.length : end).join('\n') };
}

export function compareModule(stock: ModuleRun, exe: ModuleRun, ctx: Context): ModuleComparison {
  const problem = runProblem(exe);
  const failedToLoad = moduleFailure(exe);
  const lost: LostTest[] = [];
  let gained = 0;
  const exeOutcome = (id: string): Outcome | undefined => exe.results?.get(id)?.outcome;
  for (const [id, r] of stock.results ?? []) {
    if (r.outcome !== 'pass') continue;
    if (exeOutcome(id) === 'pass') continue;
    const result = exe.results?.get(id) ?? failedToLoad;
    const why = exe.reentries.has(id) ? { reason: REENTRY, evidence: firstLine(result?.detail ?? '') } : classify(result, problem, ctx);
    lost.push({ id, ...why });
  }
  for (const [id, r] of exe.results ?? []) {
    if (r.outcome === 'pass' && stock.results?.get(id)?.outcome !== 'pass') gained++;
  }
  return { module: stock.module, stock: counts(stock.results), exe: counts(exe.results), lost, gained, runProblem: problem };
}
