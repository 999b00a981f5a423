/**
 * Runs an executable build through its four phases by calling the hooks,
 * and nothing else: progress is an interceptor the CLI applies
 * (src/cli/progress.ts); a library caller hears nothing.
 */
import * as path from 'node:path';
import { OxidizeError } from '../errors.js';
import { ResourceCollection } from '../resources/collection.js';
import { resourceKey, type PlacedResource, type ResourceLocation } from '../resources/types.js';
import type { Build } from './build.js';
import type { LinkContext } from './hooks.js';

export interface BuildReport {
  readonly executablePath: string;
  readonly files: readonly string[];
  readonly payloadBytes: number;
}

/** The place hook is a bail hook: a resource no tap placed is an error (the packaging policy places everything it sees). */
function located(key: string, loc: ResourceLocation | undefined): ResourceLocation {
  if (loc === undefined) throw new OxidizeError('UNPLACED_RESOURCE', `no plugin gave ${key} a location`, 'return a location for it from a place tap');
  return loc;
}

export async function runPhases(build: Build): Promise<BuildReport> {
  const { hooks } = build;
  const collected = await hooks.collect.promise(new ResourceCollection());
  const kept = await hooks.filter.promise(collected);
  const list = kept.toArray().map((r) => ({ ...r, location: located(resourceKey(r), hooks.place.call(r)) }) as PlacedResource);
  // A stable order makes the payload byte-identical across builds.
  list.sort((a, b) => (resourceKey(a) < resourceKey(b) ? -1 : 1));
  const placed = await hooks.placed.promise(list);
  const link: LinkContext = {
    resources: placed,
    executablePath: path.join(build.options.outputDir, build.executable.name),
    files: [],
    payloadBytes: 0,
  };
  await hooks.link.promise(link);
  return { executablePath: link.executablePath, files: link.files, payloadBytes: link.payloadBytes };
}
