/** Builds the first-party fixture wheels (greetapp depends on greetlib) offline, with pip and no index. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './cli.js';

const FIXTURES = path.join(repoRoot, 'test/fixtures/wheels');

/** Writes greetlib-1.0 and greetapp-1.0 wheels into `dest`; returns their paths. */
export function buildFixtureWheels(dest: string): string[] {
  const work = mkdtempSync(path.join(os.tmpdir(), 'oxidize-wheel-src-'));
  for (const project of ['greetlib', 'greetapp']) {
    const dir = path.join(work, project);
    cpSync(path.join(FIXTURES, project), dir, { recursive: true });
    copyFileSync(path.join(FIXTURES, 'fixture_backend.py'), path.join(dir, 'fixture_backend.py'));
    const r = spawnSync('python3', ['-m', 'pip', 'wheel', '--no-index', '--no-build-isolation', '--no-deps', '--disable-pip-version-check', '-q', '-w', dest, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pip wheel ${project} failed:\n${r.stderr}`);
  }
  return readdirSync(dest).filter((f) => f.endsWith('.whl')).sort().map((f) => path.join(dest, f));
}
