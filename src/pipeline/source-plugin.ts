import type { Resource } from '../resources/types.js';
import type { PluginContext } from './context.js';
import { CollectStage } from './hooks.js';
import type { OxidizePlugin, ResourceSource } from './plugin.js';

/**
 * A plugin that collects the sources of one kind: for each source the user
 * added with `addPythonResources`, `collect` returns its resources, which
 * are added at `CollectStage.Sources` (after, and so replacing, the standard
 * library; before the resources given directly).
 */
export function sourcePlugin<T extends ResourceSource>(
  name: string,
  kind: T['kind'],
  collect: (ctx: PluginContext, source: T) => Promise<Resource[]>,
): OxidizePlugin {
  return {
    name,
    apply(ctx) {
      ctx.hooks.collect.tapPromise({ name, stage: CollectStage.Sources }, async (resources) => {
        for (const source of ctx.sourcesOf<T>(kind)) {
          const found = await collect(ctx, source);
          ctx.log(`${found.length} resources`);
          resources.add(...found);
        }
        return resources;
      });
    },
  };
}
