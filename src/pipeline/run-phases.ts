/**
 * Runs an executable build through its four phases, showing one progress
 * task per phase with counts.
 */
import * as path from 'node:path';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
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

function useSpinner(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

function megabytes(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

export async function runPhases(build: Build): Promise<BuildReport> {
  let collection = new ResourceCollection();
  let placed: PlacedResource[] = [];
  const link: LinkContext = {
    resources: [],
    executablePath: path.join(build.options.outputDir, build.executable.name),
    files: [],
    payloadBytes: 0,
  };
  const name = build.executable.name;
  const tasks = new Listr(
    [
      {
        title: `${name}: collect`,
        task: async (_, task) => {
          collection = await build.hooks.collect.promise(collection);
          task.title = `${name}: collected ${collection.size} resources`;
        },
      },
      {
        title: `${name}: filter`,
        task: async (_, task) => {
          const before = collection.size;
          collection = await build.hooks.filter.promise(collection);
          task.title = `${name}: kept ${collection.size} resources, dropped ${before - collection.size}`;
        },
      },
      {
        title: `${name}: place`,
        task: async (_, task) => {
          const list = collection.toArray().map((r) => {
            const key = resourceKey(r);
            return { ...r, location: located(key, build.hooks.place.call(r)) } as PlacedResource;
          });
          // A stable order makes the payload byte-identical across builds.
          list.sort((a, b) => (resourceKey(a) < resourceKey(b) ? -1 : 1));
          placed = await build.hooks.placed.promise(list);
          const mem = placed.filter((r) => r.location === 'in-memory').length;
          task.title = `${name}: placed ${mem} in memory, ${placed.length - mem} on the filesystem`;
        },
      },
      {
        title: `${name}: link`,
        task: async (_, task) => {
          (link as { resources: readonly PlacedResource[] }).resources = placed;
          await build.hooks.link.promise(link);
          task.title = `${name}: linked ${path.relative(process.cwd(), link.executablePath) || link.executablePath} (payload ${megabytes(link.payloadBytes)})`;
        },
      },
    ],
    {
      renderer: useSpinner() ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      exitOnError: true,
      registerSignalListeners: false,
      // Progress goes to stderr: stdout carries only what commands print for scripts.
      rendererOptions: { collapseErrors: false, logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
      fallbackRendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
    },
  );
  await tasks.run();
  return { executablePath: link.executablePath, files: link.files, payloadBytes: link.payloadBytes };
}
