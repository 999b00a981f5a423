import { cpSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProject, repoRoot } from './cli.js';

/** Copies a fixture project to a temporary directory (builds write into it) and builds the given targets. */
export function buildFixture(name: string, targets: readonly string[] = [], args: readonly string[] = []): { dir: string; exes: Map<string, string> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `oxidize-${name}-`));
  cpSync(path.join(repoRoot, 'test/fixtures', name), dir, { recursive: true });
  const built = buildProject(dir, [...targets, ...args]);
  return { dir, exes: new Map(built.map((p) => [path.basename(p), p])) };
}
