/**
 * Instruction counts from callgrind: they repeat exactly from run to run,
 * whatever else the machine does, so ratios computed from them are stable on
 * a shared, noisy machine where wall times are not. Python's string hashing is
 * seeded (PYTHONHASHSEED=0) so dict layouts, and so counts, repeat too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Counted {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export function haveCallgrind(): boolean {
  return spawnSync('valgrind', ['--version']).status === 0;
}

function callgrind(c: Counted, outFile: string): number {
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, ...c.argv], {
    cwd: c.cwd,
    env: { ...process.env, PYTHONHASHSEED: '0', ...c.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const m = r.stderr.match(/Collected : (\d+)/);
  if (!m) throw new Error(`callgrind did not count ${c.argv.join(' ')}:\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

/** Instructions executed by one run of the command. */
export function instructions(c: Counted): number {
  return callgrind(c, '/dev/null');
}

/** Instructions of one run, and those spent inside functions whose name matches (inclusive of what they call). */
export function instructionsIn(c: Counted, fn: RegExp): { total: number; inside: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-callgrind-'));
  try {
    const out = path.join(dir, 'callgrind.out');
    const total = callgrind(c, out);
    const annotated = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', out], { encoding: 'utf8', maxBuffer: 256 << 20 });
    let inside = 0;
    for (const line of annotated.stdout.split('\n')) {
      const m = line.match(/^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(\S+)/);
      if (m && fn.test(m[2])) inside = Math.max(inside, Number(m[1].replace(/,/g, '')));
    }
    return { total, inside };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
