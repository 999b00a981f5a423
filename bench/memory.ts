/** Resident memory at exit, split by kind (bench/rss.py), the median of a few traced runs per variant. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import { quantile } from './stats.js';

export interface MemorySplit {
  /** Heap, stacks and private copies. */
  anonMb: number;
  /** Mapped files: the executable (its payload pages that were touched) and shared libraries. */
  fileMb: number;
  /** Memory files: extension modules and libraries loaded from memory. */
  shmemMb: number;
  /** Peak resident set (VmHWM). */
  peakMb: number;
}

export interface Traced {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export function memorySplit(python: string, variants: Traced[], runs = 3): Map<string, MemorySplit> {
  const r = spawnSync(python, ['-I', '-S', path.join(packageRoot, 'bench/rss.py')], {
    input: JSON.stringify({ runs, variants }),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`tracing memory failed: ${r.stderr || r.stdout}`);
  const raw = JSON.parse(r.stdout) as Record<string, Array<Record<'anon_kb' | 'file_kb' | 'shmem_kb' | 'hwm_kb', number>>>;
  const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5) / 1024;
  return new Map(
    Object.entries(raw).map(([name, rs]) => [
      name,
      {
        anonMb: median(rs.map((x) => x.anon_kb)),
        fileMb: median(rs.map((x) => x.file_kb)),
        shmemMb: median(rs.map((x) => x.shmem_kb)),
        peakMb: median(rs.map((x) => x.hwm_kb)),
      },
    ]),
  );
}
