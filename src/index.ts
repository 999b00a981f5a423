/**
 * The `oxidize` package: `defineConfig` and the config types for
 * pyoxidizer.config.ts, the source helpers, and the plugin API.
 */
export * from './plugin-api.js';
export {
  defineConfig, type BuiltExecutable, type ConfigEnv, type ConfigExport, type ConfigValue, type DistributionHandle, type OxidizeConfig,
  type TargetContext, type TargetDefinition,
} from './config/define.js';
export {
  PythonDistribution, defaultPythonDistribution, type DefaultPythonDistributionOptions, type PythonDistributionOptions, type PythonDistributionArchiveOptions, type PythonDistributionVersionOptions,
} from './distribution/handle.js';
export { buildTargets, type BuildObserver, type BuildTargetsOptions, type BuildTargetsResult } from './build-targets.js';
export { readPackageRoot, type PackageRootOptions, type PackageRootSource } from '../plugins/read-package-root/index.js';
export { pipInstall, type PipInstallOptions, type PipInstallSource } from '../plugins/pip-install/index.js';
export { getVirtualenvHooks, readVirtualenv, type SystemSite, type VirtualenvSource } from '../plugins/read-virtualenv/index.js';
export { moduleTrace, getModuleTraceHooks, type ModuleTraceOptions, type TrimStats } from '../plugins/module-trace/index.js';
export { getExecutableHooks, type LinkStats } from './link/linker.js';
export { FileManifest, glob, type GlobOptions } from './install/file-manifest.js';
export type { BuiltManifest } from './install/materialize.js';
