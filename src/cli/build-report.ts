/**
 * The data `oxidize build --json` prints: what each target produced, in
 * resolution order. The size report of each executable (issue 13) belongs
 * in its `executables` entry; this is the one place that assembles them.
 */
import * as path from 'node:path';
import type { BuildReport } from '../../plugins/build-report/index.js';
import type { BuildTargetsResult } from '../build-targets.js';
import type { BuiltExecutable } from '../config/define.js';
import type { BuiltManifest } from '../install/materialize.js';

export interface BuildJson {
  config: string;
  executables: Array<{ target: string; name: string; path: string; directory: string; files: readonly string[]; report?: BuildReport }>;
  installs: Array<{ target: string; directory: string; files: readonly string[]; executables: readonly string[] }>;
}

export function buildJson(result: BuildTargetsResult): BuildJson {
  const out: BuildJson = { config: result.config.file, executables: [], installs: [] };
  for (const [target, value] of result.results) {
    const kind = (value as { kind?: unknown } | undefined)?.kind;
    if (kind === 'built-executable') {
      const e = value as BuiltExecutable;
      out.executables.push({ target, name: e.name, path: e.path, directory: e.directory, files: e.files, ...(e.report ? { report: e.report } : {}) });
    } else if (kind === 'built-manifest') {
      const m = value as BuiltManifest;
      out.installs.push({ target, directory: m.directory, files: m.files, executables: m.executables });
    }
  }
  return out;
}

/** The lines `oxidize build` prints: each executable, then each install directory, relative to the working directory. */
export function buildLines(result: BuildTargetsResult): string[] {
  const shown = (p: string) => path.relative(process.cwd(), p) || p;
  return [...result.executables.map((e) => shown(e.path)), ...result.manifests.map((m) => shown(m.directory))];
}
