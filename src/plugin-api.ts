/**
 * The API plugins are written against; built-in plugins use nothing else.
 * Re-exported by the package entry point (`oxidize`).
 */
export type { BuildOptions } from './pipeline/build.js';
export type { ExecutableView, PluginContext } from './pipeline/context.js';
export {
  CollectStage, FilterStage, LinkStage, PlacedStage, PlaceStage, type LinkContext, type PluginHooks, type TapOnly,
} from './pipeline/hooks.js';
export { createHooksRegistry, type HooksRegistry, type TapOnlyHooks } from './pipeline/hooks-registry.js';
export type { OxidizePlugin, ResourceSource } from './pipeline/plugin.js';
export { sourcePlugin } from './pipeline/source-plugin.js';
export { PythonExecutable, type PythonExecutableOptions } from './pipeline/executable.js';
export { ResourceCollection } from './resources/collection.js';
export { findResourcesInPath, type ScanOptions } from './resources/scan.js';
export {
  LISTING_FILES, METADATA_NAME, metadataBelongsTo, normalizeProjectName, projectName, providedTopLevel, type MetadataListing,
} from './resources/distribution-metadata.js';
export { processTempDir } from './util/temp.js';
export { cachedEntry, type CachedEntryOptions } from './cache/public-entry.js';
export { runProgram, type RunResult } from './util/process.js';
export { resourceKey, resourceOwner } from './resources/types.js';
export type {
  Content, FileResource, OptimizeLevel, PlacedResource, PythonDistributionResource, PythonExtensionModule,
  PythonModuleBytecode, PythonModuleSource, PythonPackageResource, Resource, ResourceLocation, ResourceType, SharedLibrary,
} from './resources/types.js';
export type { PythonDistribution } from './distribution/types.js';
export type { InterpreterConfig } from './config/interpreter.js';
export type { PackagingPolicy, ResolvedPolicy, ResourcesPolicy } from './config/policy.js';
export { OxidizeError } from './errors.js';
export { configError, type ConfigPlace } from './config/validate.js';
export { didYouMean } from './config/shape.js';
/** Argument checks for source functions called from a config (one-line CONFIG_TYPE errors naming the file and target). */
export { checkBooleanOption, checkOptions, checkString, checkStringList, checkStringRecordOption } from './config/arguments.js';
/** Hook classes for hooks a plugin owns (see `createHooksRegistry`). */
export { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
