/**
 * Checks the placed set as a whole, after every other `placed` tap, before
 * anything is written: locations are well-formed and stay inside the output
 * directory, a module's parts share a location kind, plain files are on
 * the filesystem.
 */
import * as path from 'node:path';
import { OxidizeError, PlacedStage, resourceKey, type OxidizePlugin, type PlacedResource } from '../../src/plugin-api.js';

const LOCATION = /^(in-memory|filesystem-relative:(.*))$/s;

/** Throws unless `location` is `in-memory` or `filesystem-relative:<prefix>` with a relative prefix that stays below the output directory. */
export function checkLocation(r: PlacedResource): void {
  const m = LOCATION.exec(String(r.location));
  const prefix = m?.[2];
  const escapes = prefix !== undefined && (path.posix.isAbsolute(prefix) || prefix.split('/').includes('..'));
  if (!m || escapes) {
    throw new OxidizeError(
      'BAD_LOCATION',
      `${r.type} ${resourceKey(r)} has location ${JSON.stringify(r.location)}`,
      "use 'in-memory' or 'filesystem-relative:<prefix>' with a relative prefix (no '..')",
    );
  }
}

export function checkPlacement(resources: readonly PlacedResource[]): void {
  const moduleOnFilesystem = new Map<string, boolean>();
  for (const r of resources) {
    checkLocation(r);
    const fs = r.location !== 'in-memory';
    if (r.type === 'python-module-source' || r.type === 'python-module-bytecode') {
      const seen = moduleOnFilesystem.get(r.name);
      if (seen !== undefined && seen !== fs) {
        throw new OxidizeError('SPLIT_MODULE', `module ${r.name} has parts in memory and parts on the filesystem`, 'give its source and bytecode the same location');
      }
      moduleOnFilesystem.set(r.name, fs);
    }
    if (r.type === 'file' && !fs) {
      throw new OxidizeError('FILE_IN_MEMORY', `file ${r.path} was placed in memory`, "files are installed next to the executable: give them a 'filesystem-relative:<prefix>' location");
    }
  }
}

export function placementChecksPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:placement-checks',
    apply(ctx) {
      ctx.hooks.placed.tap({ name: 'oxidize:placement-checks', stage: PlacedStage.Check }, (resources) => {
        checkPlacement(resources);
        return resources;
      });
    },
  };
}
