// `npm test`: the runtime's cargo tests, then every TypeScript test (unit and
// end-to-end) with Node's test runner, whose summary closes the output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

function run(cmd, args, env = process.env) {
  return spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env }).status ?? 1;
}

function step(cmd, args, env = process.env) {
  const status = run(cmd, args, env);
  if (status !== 0) process.exit(status);
}

// The stub links a Python only when asked to: the unit tests need none.
step('cargo', ['test', '--offline', '--quiet', '--manifest-path', 'runtime-rust/Cargo.toml', '--lib'], { ...process.env, OXIDIZE_PYTHON_INCLUDE: '', OXIDIZE_PYTHON_STATIC_LIB: '' });

const only = process.argv.slice(2);
const tests = only.length ? only : files(path.join(root, 'dist/test')).sort();
// Every temporary directory the tests, the builds and the programs they run
// make goes under one directory of this run, removed when it ends: a test that
// fails (or forgets) does not leave gigabytes of executables behind.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'oxidize-npm-test-'));
const status = run(process.execPath, ['--test', '--test-reporter=spec', ...tests], { ...process.env, TMPDIR: tmp });
try {
  rmSync(tmp, { recursive: true, force: true });
} catch (e) {
  console.error(`could not remove ${tmp}: ${e.message}`);
}
process.exit(status);
