import type { Resource } from '../resources/types.js';
import type { Build } from './build.js';
import { Stage, type OxidizePlugin, type ResourceSource } from './plugin.js';

/**
 * A plugin that collects the sources of one kind: for each source the user
 * added with `addPythonResources`, `collect` returns its resources, which
 * are added at `Stage.Default` (after, and so replacing, the standard library).
 */
export function sourcePlugin<T extends ResourceSource>(
  name: string,
  kind: T['kind'],
  collect: (build: Build, source: T) => Promise<Resource[]>,
): OxidizePlugin {
  return {
    name,
    apply(build) {
      build.hooks.collect.tapPromise({ name, stage: Stage.Default }, async (resources) => {
        for (const source of build.sourcesOf<T>(kind)) {
          const found = await collect(build, source);
          build.log(`${name}: ${found.length} resources`);
          resources.add(...found);
        }
        return resources;
      });
    },
  };
}
