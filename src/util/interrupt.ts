/**
 * What an interrupted build must undo. Code that starts a child process or
 * creates a temporary file or directory registers it here while it lives;
 * on SIGINT or SIGTERM the CLI's handler stops the children (their whole
 * process group: cargo's rustc, pip's builds), removes the temporaries,
 * shows the terminal cursor again and exits with 128 + the signal number.
 *
 * Only the CLI installs the handler: a library caller keeps its own signal
 * handling, and the registry then just costs a Set insertion.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { rmSync, writeSync } from 'node:fs';

const children = new Set<ChildProcess>();
const temporaries = new Set<string>();
let installed = false;
let exitHooked = false;
/** The program `oxidize run` runs: while it lives, signals are its to handle. */
let foreground: ChildProcess | undefined;
/** The CLI's SIGINT/SIGTERM handler, once installed. */
let handler: ((signal: NodeJS.Signals) => void) | undefined;

/** Tracks a running child until it exits. It must have been spawned `detached` (its own process group). */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
}

/** Tracks a temporary file or directory; call the returned function once it is renamed or removed. */
export function trackTemporary(path: string): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', removeTemporaries);
  }
  temporaries.add(path);
  return () => {
    temporaries.delete(path);
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops every tracked child: SIGTERM, then SIGKILL for those still running after `graceMs`. */
export async function stopChildren(graceMs = 3000): Promise<void> {
  for (const c of children) signalGroup(c, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  for (const c of children) signalGroup(c, 'SIGKILL');
}

/** Removes every tracked temporary (synchronously: it also runs at exit). */
export function removeTemporaries(): void {
  for (const p of temporaries) rmSync(p, { recursive: true, force: true });
  temporaries.clear();
}

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Installs the CLI's SIGINT/SIGTERM handling (once). */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (foreground) {
      // Ctrl-C reached the program too (it shares the terminal's process group): it decides
      // what to do, and oxidize exits with its status. A SIGTERM sent to oxidize is passed on.
      if (signal !== 'SIGINT') foreground.kill(signal);
      return;
    }
    if (stopping) return; // a second Ctrl-C while cleaning up changes nothing
    stopping = true;
    void stopChildren().finally(() => {
      removeTemporaries();
      // Straight to fd 2: the progress renderer holds back what goes through
      // process.stderr while it draws, and it hid the cursor.
      const restore = process.stderr.isTTY ? '\x1b[?25h\n' : '';
      writeSync(2, `${restore}oxidize: interrupted by ${signal}; temporary files removed\n`);
      process.exit(EXIT_CODES[signal]);
    });
  };
  handler = onSignal;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Runs a program in the foreground (`oxidize run`) and resolves to its exit
 * status. While it runs, Ctrl-C is left to it (an application that catches
 * KeyboardInterrupt and exits 0 makes this 0) and SIGTERM is passed to it.
 * A program killed by a signal kills oxidize with the same signal (the shell
 * sees what it would have seen running the program itself); where that
 * cannot be done, the status is 128 + the signal's number.
 */
export function runInForeground(file: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    foreground = child;
    child.on('error', (e) => {
      foreground = undefined;
      reject(e);
    });
    child.on('exit', (code, signal) => {
      foreground = undefined;
      if (signal) {
        // Without oxidize's own handlers, the signal's default action ends the process.
        if (handler) for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, handler);
        try {
          process.kill(process.pid, signal);
        } catch {
          /* fall through to the status */
        }
        resolve(128 + (constants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? 1);
    });
  });
}
