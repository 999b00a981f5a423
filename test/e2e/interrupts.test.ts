/**
 * Builds killed at random moments leave the previous executable or the new
 * one, never a half-written file, and no stray files once the next build has
 * run; SIGINT and SIGTERM exit 130 and 143 and show the cursor again.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { processStartTime } from '../../src/util/lock.js';
import { buildProject, cliPath, run } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';

const KILLS = 20;

function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(d, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
}

function tempDirsOf(pid: number): string[] {
  return readdirSync(os.tmpdir()).filter((n) => n.startsWith('oxidize-') && n.includes(`-${pid}-`));
}

/** Starts a build, signals it after `delayMs`; resolves to its exit status. */
function buildAndKill(dir: string, delayMs: number, signal: NodeJS.Signals): Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'build'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(signal), delayMs);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ pid: child.pid!, code, signal: sig, stderr });
    });
  });
}

test(`${KILLS} builds killed at random moments: the old or the new executable, no debris`, async () => {
  const source = (v: number) => `print("version", ${v})\n`;
  const dir = tinyApp('killed', source(0));
  const started = Date.now();
  const [exe] = buildProject(dir);
  // The kill moments spread over one build's length (measured, not asserted).
  const span = Math.max(500, Date.now() - started);
  const outDir = path.dirname(exe);
  const expectedFiles = filesUnder(outDir).sort();
  let current = 0;
  let kills = 0;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM', 'SIGKILL'];
  for (let v = 1; kills < KILLS && v < KILLS * 3; v++) {
    writeFileSync(path.join(dir, 'src/app/__main__.py'), source(v));
    const signal = signals[v % signals.length];
    const r = await buildAndKill(dir, Math.random() * span, signal);
    if (r.code === 0) {
      current = v; // finished before the signal
      continue;
    }
    kills++;
    if (signal === 'SIGKILL' || (r.signal === signal && r.code === null)) {
      // SIGKILL, or a signal that came while node was still starting, before the CLI could handle it.
      assert.equal(r.signal, signal);
    } else {
      assert.equal(r.code, signal === 'SIGINT' ? 130 : 143, r.stderr);
      assert.match(r.stderr, new RegExp(`interrupted by ${signal}`));
      // The build's own cleanup already removed its temporaries and stopped its children.
      assert.deepEqual(filesUnder(outDir).filter((f) => f.endsWith('.tmp')), [], `after ${signal}`);
      assert.deepEqual(tempDirsOf(r.pid), [], 'no temporary directories left');
    }
    const out = run(exe);
    assert.equal(out.code, 0, `the executable is whole after a ${signal}: ${out.stderr}`);
    const shown = Number(out.stdout.trim().split(' ')[1]);
    assert.ok(shown === current || shown === v, `version ${shown}: the previous (${current}) or the new (${v})`);
    current = shown;
    if (signal === 'SIGKILL') {
      // Nothing could clean up: the next build of this output does.
      buildProject(dir);
      current = v;
      assert.deepEqual(filesUnder(outDir).sort(), expectedFiles, 'the next build removed what the killed one left');
      assert.deepEqual(tempDirsOf(r.pid), [], 'the next build removed the temporary directories of the killed one');
    }
  }
  assert.equal(kills, KILLS, 'enough builds were interrupted');
  buildProject(dir);
  assert.deepEqual(filesUnder(outDir).sort(), expectedFiles);
  assert.ok(statSync(exe).mode & 0o100);
});

test('a leftover temporary of a dead build is removed by the next build, one of a live build is not', () => {
  const dir = tinyApp('leftover', 'print("ok")\n');
  const [exe] = buildProject(dir);
  const dead = path.join(path.dirname(exe), `.leftover.${2 ** 22 - 5}-1.0badc0de.tmp`);
  const live = path.join(path.dirname(exe), `.leftover.${process.pid}-${processStartTime(process.pid)}.1234abcd.tmp`);
  writeFileSync(dead, 'x'.repeat(1000));
  writeFileSync(live, 'x');
  buildProject(dir);
  const names = readdirSync(path.dirname(exe));
  assert.ok(!names.includes(path.basename(dead)));
  assert.ok(names.includes(path.basename(live)));
});

/** Processes whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmd.includes(text) ? [`${pid}: ${cmd.slice(0, 120)}`] : [];
      } catch {
        return [];
      }
    });
}

test('SIGTERM during the stub build stops cargo and its compilers', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'oxidize-sigterm-cache-'));
  const dir = tinyApp('sigterm', 'print(1)\n');
  const child = spawn(process.execPath, [cliPath, 'build', '--verbose'], { cwd: dir, env: { ...process.env, OXIDIZE_CACHE_DIR: cache }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (/Compiling oxidize/.test(stderr)) resolve();
    });
    void exited.then(() => resolve());
  });
  assert.ok(processesMentioning(cache).length > 0, 'cargo is running');
  child.kill('SIGTERM');
  assert.equal(await exited, 143, stderr);
  assert.deepEqual(processesMentioning(cache), [], 'no cargo or rustc left behind');
  rmSync(cache, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

test('Ctrl-C on a terminal shows the cursor again and exits 130', { skip: spawnSync('python3', ['-c', 'import pty']).status !== 0 && 'needs python3 pty' }, () => {
  const dir = tinyApp('cursor', `print(${Date.now()})\n`);
  // Runs the CLI on a pseudo-terminal, sends SIGINT once the progress display started, prints what the terminal got.
  const driver = `
import fcntl, os, pty, signal, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
# A terminal of 0 columns would make the progress display wrap every character.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
out, sent = b"", False
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not sent and b"collect" in out:
        os.kill(pid, signal.SIGINT)
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.stderr.write("status=%d sent=%s\\n" % (os.waitstatus_to_exitcode(status), sent))
`;
  const r = spawnSync('python3', ['-c', driver, process.execPath, cliPath, 'build'], { cwd: dir, encoding: 'latin1', env: { ...process.env, CI: '' }, timeout: 120_000 });
  assert.match(r.stderr, /status=130 sent=True/, r.stderr + r.stdout);
  const hidden = r.stdout.lastIndexOf('\x1b[?25l');
  assert.ok(hidden >= 0, 'the progress display hid the cursor');
  assert.ok(r.stdout.lastIndexOf('\x1b[?25h') > hidden, 'and it was shown again');
});
