/**
 * The `oxidize` package: `defineConfig` and the config types for
 * pyoxidizer.config.ts, the source helpers, and the plugin API.
 */
export * from './plugin-api.js';
export {
  defineConfig, type BuiltExecutable, type ConfigEnv, type ConfigExport, type DistributionHandle, type OxidizeConfig,
  type TargetContext, type TargetDefinition,
} from './config/define.js';
export { buildTargets, type BuildTargetsOptions, type BuildTargetsResult } from './build-targets.js';
export { readPackageRoot, type PackageRootSource } from '../plugins/read-package-root/index.js';
