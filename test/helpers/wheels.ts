/** Fixture projects built into wheels offline, with pip, no index and test/fixtures/wheel_backend.py. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli.js';

const FIXTURES = path.join(repoRoot, 'test/fixtures/wheels');
const BACKEND = path.join(repoRoot, 'test/fixtures/wheel_backend.py');

/** Copies the fixture project `src` to `dest` with the wheel backend its pyproject.toml names. */
export function copyWheelProject(src: string, dest: string): void {
  cpSync(src, dest, { recursive: true });
  copyFileSync(BACKEND, path.join(dest, 'wheel_backend.py'));
}

/** Writes the first-party greetlib-1.0 and greetapp-1.0 (which depends on it) wheels into `dest`; returns their paths. */
export function buildFixtureWheels(dest: string): string[] {
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-wheel-src-'));
  for (const project of ['greetlib', 'greetapp']) {
    const dir = path.join(work, project);
    copyWheelProject(path.join(FIXTURES, project), dir);
    const r = spawnSync('python3', ['-m', 'pip', 'wheel', '--no-index', '--no-build-isolation', '--no-deps', '--disable-pip-version-check', '-q', '-w', dest, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pip wheel ${project} failed:\n${r.stderr}`);
  }
  return readdirSync(dest).filter((f) => f.endsWith('.whl')).sort().map((f) => path.join(dest, f));
}
