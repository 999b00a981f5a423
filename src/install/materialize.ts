/**
 * Writes a target's FileManifest under its build directory, with the same
 * installer the executable's own files use: atomic writes, unchanged files
 * left alone, files a previous build installed and this one does not removed.
 */
import * as path from 'node:path';
import { installFiles } from '../link/install.js';
import type { Install } from '../link/link-plan.js';
import { manifestFileData, type FileManifest } from './file-manifest.js';

/** What a target that returned a FileManifest gives its dependants and the CLI. */
export interface BuiltManifest {
  readonly kind: 'built-manifest';
  /** The install directory. */
  readonly directory: string;
  /** Files written, relative to `directory`. */
  readonly files: readonly string[];
  /** Absolute paths of the executables placed with `addExecutable`. */
  readonly executables: readonly string[];
}

export async function materializeManifest(manifest: FileManifest, outputDir: string, configDir: string, warn: (m: string) => void): Promise<BuiltManifest> {
  const { files, executables } = await manifest.resolve(configDir, warn);
  const installs: Install[] = [];
  for (const f of files) {
    const { data, executable } = await manifestFileData(f);
    installs.push({ path: f.path, data, executable });
  }
  const written = await installFiles(outputDir, installs, warn);
  return { kind: 'built-manifest', directory: outputDir, files: written, executables: executables.map((e) => path.join(outputDir, e)) };
}
