/**
 * Recorded traces: text files of module names, one a line (`#` starts a
 * comment), in a `traces/` folder beside the config, one file per recorded
 * run, so they can be reviewed and committed.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const TRACES_DIR = 'traces';
export const TRACE_SUFFIX = '.txt';

/** The module names of one trace file's text. */
export function parseTrace(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(l));
}

/** A trace file's text: a comment saying how it was made, then the sorted names. */
export function formatTrace(modules: Iterable<string>, comment: readonly string[]): string {
  const names = [...new Set(modules)].filter((m) => m !== '__main__').sort();
  return [...comment.map((c) => `# ${c}`), ...names, ''].join('\n');
}

/** The trace files under `paths` (files, or directories read for `*.txt`), sorted by path. */
export async function traceFiles(baseDir: string, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const full = path.resolve(baseDir, p);
    const st = await fsp.stat(full).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) {
      for (const n of (await fsp.readdir(full)).sort()) if (n.endsWith(TRACE_SUFFIX)) out.push(path.join(full, n));
    } else {
      out.push(full);
    }
  }
  return out;
}

/** The union of the modules of every trace file under `paths`. */
export async function readTraces(baseDir: string, paths: readonly string[]): Promise<{ files: string[]; modules: Set<string> }> {
  const files = await traceFiles(baseDir, paths);
  const modules = new Set<string>();
  for (const f of files) for (const m of parseTrace(await fsp.readFile(f, 'utf8'))) modules.add(m);
  return { files, modules };
}
