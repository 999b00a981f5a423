/**
 * `oxidize run` exits with the program's status: a Ctrl-C the program
 * handles (it exits 3 here) does not make oxidize report an interruption
 * and exit 130; a program killed by a signal kills oxidize the same way.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const interrupt = fileURLToPath(new URL('../../src/util/interrupt.js', import.meta.url));

/** A node process with the CLI's signal handling running `sh -c script` in the foreground, in a process group of its own. */
function runUnderCli(script: string): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const driver = `
    const m = await import(${JSON.stringify(interrupt)});
    m.installInterruptHandlers();
    process.exitCode = await m.runInForeground('sh', ['-c', ${JSON.stringify(script)}]);
  `;
  // detached: its own process group, so the program's `kill -INT 0` (a terminal's Ctrl-C) reaches only it and the driver.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', driver], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

test('a Ctrl-C the program handles: oxidize exits with the program\'s status, saying nothing', async () => {
  const r = await runUnderCli('trap "sleep 0.5; echo cleaned up; exit 3" INT; kill -INT 0; sleep 0.3; echo not reached; exit 9');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout.trim(), 'cleaned up');
  assert.doesNotMatch(r.stderr, /interrupted/);
});

test('the program\'s exit status is oxidize\'s; a program killed by a signal kills oxidize with it', async () => {
  assert.equal((await runUnderCli('exit 7')).status, 7);
  const killed = await runUnderCli('kill -TERM $$');
  assert.equal(killed.signal, 'SIGTERM', killed.stderr);
  assert.doesNotMatch(killed.stderr, /interrupted/);
});
