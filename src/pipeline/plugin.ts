import type { PluginContext } from './context.js';

/**
 * A plugin taps the hooks of every executable build it is applied to.
 * `apply` runs once per build, with a context of its own.
 */
export interface OxidizePlugin {
  /** Shown in progress and in errors the plugin causes. */
  readonly name: string;
  apply(ctx: PluginContext): void;
}

/**
 * Something to collect, as given to `addPythonResources`. Source plugins
 * recognise their own `kind` in the collect hook (see `PluginContext.sourcesOf`).
 */
export interface ResourceSource {
  readonly kind: string;
}
