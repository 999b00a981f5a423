import type { Build } from './build.js';

/** A plugin taps the hooks of every executable build it is applied to. */
export interface OxidizePlugin {
  /** Shown in progress and in errors the plugin causes. */
  readonly name: string;
  apply(build: Build): void;
}

/**
 * Tap stages. Taps run in ascending stage order: a plugin that decides for
 * some resources in `place` taps at `Stage.Default` and so runs before the
 * packaging policy, which decides for everything left (`Stage.Policy`).
 */
export const Stage = {
  Early: -100,
  Default: 0,
  Policy: 100,
  Late: 200,
} as const;

/**
 * Something to collect, as given to `addPythonResources`. Source plugins
 * recognise their own `kind` in the collect hook (see `Build.sourcesOf`).
 */
export interface ResourceSource {
  readonly kind: string;
}
