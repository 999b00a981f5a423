/** Runs variants through measure.py (alternating, wait4-timed) and summarizes them. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import type { MemorySplit } from './memory.js';
import { summarize, type Summary } from './stats.js';

export interface Variant {
  name: string;
  commands: string[][];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  before?: string[][];
  /** Accept a non-zero exit (pyflakes exits 1 when it reports something). */
  allow_failure?: boolean;
}

export interface Measured {
  name: string;
  wall: Summary;
  rssMb: number;
  /** Instructions of one run (callgrind), when counted. */
  instructions?: number;
  /** Resident memory at exit, when traced. */
  memory?: MemorySplit;
  /** Computed from other rows rather than run (the import limit). */
  derived?: string;
}

export function measure(python: string, variants: Variant[], rounds: number, warmup = 2): Measured[] {
  const r = spawnSync(python, ['-I', '-S', path.join(packageRoot, 'bench/measure.py')], {
    input: JSON.stringify({ rounds, warmup, variants }),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`measuring failed: ${r.stderr || r.stdout}`);
  const raw = JSON.parse(r.stdout) as Record<string, { wall_ms: number[]; rss_kb: number[] }>;
  return variants.map((v) => ({
    name: v.name,
    wall: summarize(raw[v.name].wall_ms),
    rssMb: summarize(raw[v.name].rss_kb).median / 1024,
  }));
}
