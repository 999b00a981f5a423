/**
 * Faults of the machine, not of the project, are one line naming the path,
 * the cause and the fix: an execute-only executable, a read-only or full
 * output directory (made with mounts in a private mount namespace).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildProject, cliPath } from '../helpers/cli.js';
import { tinyApp } from '../helpers/tiny-app.js';

const root = process.getuid?.() === 0;
const canUnshare = root && spawnSync('unshare', ['-m', 'true']).status === 0;

function errorLines(stderr: string): string[] {
  return stderr.trim().split('\n').filter((l) => l.startsWith('oxidize: error:'));
}

test('an execute-only executable says it must be readable and how', { skip: !root && 'needs root to run as another user' }, () => {
  const [exe] = buildProject(tinyApp('exec-only', 'print("hi")\n'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-exec-only-'));
  chmodSync(dir, 0o755);
  const copy = path.join(dir, 'exec-only');
  copyFileSync(exe, copy);
  chmodSync(copy, 0o111);
  // Root reads anything: run it as nobody.
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', copy], { encoding: 'utf8' });
  assert.equal(r.status, 70, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`cannot read its own file \\(permission denied\\).*run \`chmod a\\+r ${copy}\``));
});

/** Runs `setup` (shell, $1 = the output directory's parent) in a private mount namespace, then the build there. */
function buildUnder(dir: string, setup: string): { status: number | null; stderr: string; stray: string } {
  const script = `set -e; ${setup}; set +e; "$2" "$3" build; status=$?; echo "stray: $(find "$1" -name '*.tmp' | wc -l)" >&2; exit $status`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', path.join(dir, 'build'), process.execPath, cliPath], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stray: /stray: (\d+)/.exec(r.stderr)?.[1] ?? '?' };
}

test('a read-only output directory is one line with the path, the cause and the fix', { skip: !canUnshare && 'needs root and unshare -m' }, () => {
  const dir = tinyApp('readonly', 'print(1)\n');
  const [exe] = buildProject(dir);
  writeFileSync(path.join(dir, 'src/app/__main__.py'), 'print(2)\n');
  const out = path.dirname(exe);
  const r = buildUnder(dir, `mount --bind "${out}" "${out}"; mount -o remount,ro,bind "${out}"`);
  assert.equal(r.status, 1, r.stderr);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`cannot write ${out}/\\S+: ${out} is on a read-only file system \\(EROFS\\); build in a directory on a writable file system`));
});

test('a full output directory is one line with the path, the cause and the fix; nothing half-written stays', { skip: !canUnshare && 'needs root and unshare -m' }, () => {
  const dir = tinyApp('full', 'print(1)\n');
  const r = buildUnder(dir, 'mkdir -p "$1"; mount -t tmpfs -o size=4m tmpfs "$1"');
  assert.equal(r.status, 1, r.stderr);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /cannot write .*\/full: no space left on the device holding .*\/exe \(ENOSPC\); free some space there \(df -h .*\) or build elsewhere/);
  assert.equal(r.stray, '0', 'the partly written temporary file was removed');
});
