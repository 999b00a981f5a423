/**
 * The resources given directly to `addPythonResources`: collected after the
 * standard library and the sources, so a module given this way replaces one
 * of the same name (a `json` of your own wins over the stdlib's).
 */
import { CollectStage, type OxidizePlugin } from '../../src/plugin-api.js';

export function directResourcesPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:direct-resources',
    apply(ctx) {
      ctx.hooks.collect.tap({ name: 'oxidize:direct-resources', stage: CollectStage.Direct }, (resources) => {
        ctx.log(`${ctx.executable.resources.length} resources`);
        return resources.add(...ctx.executable.resources);
      });
    },
  };
}
