import { spawn } from 'node:child_process';
import { trackChild } from './interrupt.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Options of `runProgram`. Declared here rather than as node's SpawnOptions
 * because the type is part of the public API, whose declarations must
 * compile without @types/node.
 */
export interface RunProgramOptions {
  cwd?: string;
  /** The whole environment of the program (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Written to the program's stdin, which is then closed. */
  input?: string;
  onStderr?: (chunk: string) => void;
  onStdout?: (chunk: string) => void;
}

/**
 * Runs a program to completion, collecting its output; never rejects for a
 * non-zero exit. It runs in its own process group, so an interrupted build
 * stops it and everything it started (cargo's rustc, pip's builds).
 */
export function runProgram(
  file: string,
  args: readonly string[],
  options: RunProgramOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      options.onStdout?.(d);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onStderr?.(d);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    // A program that exits without reading its input (python -c) closes the pipe first: not an error.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
  });
}
