/** A PATH directory holding node and the host's python3 (symlinks) and nothing else: no cargo, rustc or cc. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function toollessPath(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-toolless-'));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  // The interpreter itself, not a shim that needs a shell and other programs.
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(python, path.join(bin, 'python3'));
  return bin;
}
