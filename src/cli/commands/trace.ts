/**
 * `oxidize trace [--target T] [--name NAME] -- <args>`: builds the target
 * untrimmed with module recording on, runs it once with the arguments,
 * forwards its exit status, and stores the modules it imported (its own and
 * its child processes') as one file in `traces/` beside the config.
 * `oxidize trace --list` shows the traces there.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { formatTrace, parseTrace, traceFiles, TRACES_DIR, TRACE_SUFFIX } from '../../../plugins/module-trace/traces.js';
import { buildTargets } from '../../build-targets.js';
import { findConfigFile } from '../../config/load.js';
import { OxidizeError } from '../../errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { processTempDir } from '../../util/temp.js';
import { buildOutput } from '../build-output.js';

const RECORD_VARIABLE = 'OXIDIZE_TRACE_MODULES_DIR';

export interface TraceOptions {
  path?: string;
  python?: string;
  verbose?: boolean;
  quiet?: boolean;
  target?: string;
  name?: string;
  list?: boolean;
}

/** `20261121-153047-123` for a run at that time (UTC): names sort in recording order. */
export function traceStamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${p(d.getUTCMilliseconds(), 3)}`;
}

async function listTraces(opts: TraceOptions): Promise<number> {
  const dir = path.dirname(await findConfigFile(path.resolve(opts.path ?? '.')));
  const files = await traceFiles(dir, [TRACES_DIR]);
  if (files.length === 0) {
    process.stderr.write(`no traces in ${path.join(dir, TRACES_DIR)}; record one with \`oxidize trace -- <arguments>\`\n`);
    return 0;
  }
  for (const f of files) {
    const text = await fsp.readFile(f, 'utf8');
    const about = text.split('\n').find((l) => l.startsWith('# '))?.slice(2) ?? '';
    process.stdout.write(`${path.relative(process.cwd(), f) || f}\t${parseTrace(text).length} modules\t${about}\n`);
  }
  return 0;
}

function runOnce(exe: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
}

export async function traceCommand(args: readonly string[], opts: TraceOptions): Promise<number> {
  if (opts.list) return listTraces(opts);
  if (opts.name !== undefined && !/^[\w.-]+$/.test(opts.name)) {
    throw new OxidizeError('BAD_TRACE_NAME', `trace name ${JSON.stringify(opts.name)} is not a plain file name`, 'use letters, digits, dots, dashes and underscores');
  }
  const { config, executables } = await buildTargets({
    path: opts.path,
    python: opts.python,
    verbose: opts.verbose,
    targets: opts.target ? [opts.target] : [],
    traceVariable: RECORD_VARIABLE,
    ...buildOutput(opts),
  });
  const exe = executables[executables.length - 1];
  if (!exe) throw new OxidizeError('NOTHING_TO_RUN', `target ${opts.target ?? '(default)'} built no executable`, 'name a target whose build returns an executable with --target');
  const file = path.join(config.dir, TRACES_DIR, `${opts.name ?? traceStamp(new Date())}${TRACE_SUFFIX}`);
  if (opts.name !== undefined && (await fsp.stat(file).catch(() => undefined))) {
    throw new OxidizeError('TRACE_EXISTS', `trace ${path.relative(process.cwd(), file)} exists`, 'choose another --name, or delete the file to record it again');
  }

  const record = processTempDir('trace');
  await fsp.mkdir(record, { recursive: true });
  const variable = exe.recordVariable ?? RECORD_VARIABLE;
  const { code, signal } = await runOnce(exe.path, args, { ...process.env, [variable]: record });

  // One file per process that exited: the program and its children.
  const modules = new Set<string>();
  const written = (await fsp.readdir(record)).sort();
  // __main__ names the program, not a module to keep: the trace leaves it out, and so does the count.
  for (const n of written) for (const m of parseTrace(await fsp.readFile(path.join(record, n), 'utf8'))) if (m !== '__main__') modules.add(m);
  if (written.length === 0) {
    process.stderr.write(`oxidize: warning: ${exe.name} recorded no modules (killed by a signal?); no trace written\n`);
  } else {
    const about = `oxidize trace of ${exe.name} (${opts.target ?? 'default target'}): ${args.map((a) => JSON.stringify(a)).join(' ') || 'no arguments'}; exit ${signal ?? code}; ${written.length} process${written.length === 1 ? '' : 'es'}`;
    await writeFileAtomic(file, [Buffer.from(formatTrace(modules, [about]))]);
    process.stderr.write(`trace: ${modules.size} modules written to ${path.relative(process.cwd(), file) || file}\n`);
  }
  await fsp.rm(record, { recursive: true, force: true });
  if (signal) process.kill(process.pid, signal);
  return code;
}
