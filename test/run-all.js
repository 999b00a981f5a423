// `npm test`: the runtime's cargo tests, then every TypeScript test (unit and
// end-to-end) with Node's test runner, whose summary closes the output.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

function step(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The stub links a Python only when asked to: the unit tests need none.
step('cargo', ['test', '--offline', '--quiet', '--manifest-path', 'runtime-rust/Cargo.toml', '--lib'], { ...process.env, OXIDIZE_PYTHON_INCLUDE: '', OXIDIZE_PYTHON_STATIC_LIB: '' });

const only = process.argv.slice(2);
const tests = only.length ? only : files(path.join(root, 'dist/test')).sort();
step(process.execPath, ['--test', '--test-reporter=spec', ...tests]);
