import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
let hooked = false;

/**
 * A temporary directory that lives until the process exits: resources
 * collected into it are read when the build links, after the plugin is done.
 */
export function processTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `oxidize-${prefix}-`));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
