/**
 * What the distribution's interpreter has without a payload, and what it
 * imports to start: found by running it with `-S -I -c` (no site, no
 * environment) and reading `sys.modules`, `sys.builtin_module_names` and the
 * frozen module names. Asked once per distribution and process.
 */
import type { PythonDistribution } from '../distribution/types.js';
import { OxidizeError } from '../errors.js';
import { cachedProbe } from '../distribution/probe-cache.js';
import { runProgram } from '../util/process.js';

export interface InterpreterModules {
  /** Compiled into the interpreter (`sys.builtin_module_names` and the distribution's builtin extension modules). */
  readonly builtin: ReadonlySet<string>;
  /** Frozen into the interpreter (`os`, `codecs`, `io`, ... on 3.11). */
  readonly frozen: ReadonlySet<string>;
  /** In `sys.modules` once a bare interpreter has started (`-S -I -c pass`). */
  readonly startup: readonly string[];
  /** Top-level names of the standard library on every platform (`sys.stdlib_module_names`). */
  readonly stdlib: ReadonlySet<string>;
}

// Prints only: importing anything more would change what it reports.
const PROBE = [
  'import sys',
  'm = sorted(sys.modules)',
  'import _imp',
  'f = getattr(_imp, "_frozen_module_names", lambda: ())()',
  'print(" ".join(m)); print(" ".join(sys.builtin_module_names)); print(" ".join(f))',
  'print(" ".join(sorted(getattr(sys, "stdlib_module_names", ()))))',
].join('\n');

const known = new Map<string, Promise<InterpreterModules>>();

async function probe(dist: PythonDistribution): Promise<InterpreterModules> {
  // Cached on disk while the interpreter stays the same (see probe-cache.ts).
  const out = await cachedProbe(
    dist.python,
    PROBE,
    async () => {
      const r = await runProgram(dist.python, ['-S', '-I', '-c', PROBE]);
      if (r.code !== 0) throw new OxidizeError('PROBE_FAILED', `cannot list ${dist.python}'s start-up modules: ${r.stderr.trim().split('\n').pop()}`);
      return r.stdout;
    },
    () => [dist.python],
  );
  const [startup = '', builtin = '', frozen = '', stdlib = ''] = out.split('\n');
  const words = (s: string) => s.split(' ').filter(Boolean);
  return {
    builtin: new Set([...words(builtin), ...dist.builtinModules]),
    frozen: new Set(words(frozen).filter((n) => !n.startsWith('__'))),
    startup: words(startup).filter((n) => n !== '__main__'),
    stdlib: new Set(words(stdlib)),
  };
}

export function interpreterModules(dist: PythonDistribution): Promise<InterpreterModules> {
  let p = known.get(dist.id);
  if (!p) known.set(dist.id, (p = probe(dist)));
  return p;
}

/**
 * Whether a module belongs to the standard library (or oxidize's importer):
 * its top-level name is in `sys.stdlib_module_names`, or is one of the
 * modules the stdlib directory holds beside those (`__hello__`,
 * `__phello__`, `_sysconfigdata_*`).
 */
export function isStdlibModule(m: InterpreterModules, name: string): boolean {
  const top = name.split('.')[0];
  return m.stdlib.has(top) || top.startsWith('__') || top.startsWith('_sysconfigdata_') || top.startsWith('_oxidize');
}
