/**
 * The four phases as tapable hooks, the stage constants of each hook, and
 * the interceptor that attributes every tap's failure to its plugin.
 */
import { AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncBailHook } from 'tapable';
import { pluginError } from '../errors.js';
import type { ResourceCollection } from '../resources/collection.js';
import type { PlacedResource, Resource, ResourceLocation } from '../resources/types.js';

/** What the link phase works on and reports. */
export interface LinkContext {
  /** Every resource with its location, in a stable order. */
  readonly resources: readonly PlacedResource[];
  /** Path of the executable being written. */
  readonly executablePath: string;
  /** Files written, relative to the output directory; link taps add theirs. */
  readonly files: string[];
  /** Size of the payload appended to the stub, once linked. */
  payloadBytes: number;
}

/** The build's hooks with `call`/`promise`: only the runner and the build's owner hold these. */
export interface BuildHooks {
  /** Adds resources to the collection, from the distribution and from sources (waterfall: each tap returns the collection). */
  readonly collect: AsyncSeriesWaterfallHook<[ResourceCollection]>;
  /** Removes what should not ship (waterfall). */
  readonly filter: AsyncSeriesWaterfallHook<[ResourceCollection]>;
  /** Decides one resource's location; the first tap to return one wins (bail). */
  readonly place: SyncBailHook<[Resource], ResourceLocation | undefined>;
  /** Checks or changes the placed set before anything is written (waterfall). */
  readonly placed: AsyncSeriesWaterfallHook<[PlacedResource[]]>;
  /** Writes the executable and its files (series, for side effects). */
  readonly link: AsyncSeriesHook<[LinkContext]>;
}

export type HookName = keyof BuildHooks;
export const HOOK_NAMES: readonly HookName[] = ['collect', 'filter', 'place', 'placed', 'link'];

/*
 * Stage constants, one set per hook. Taps run by stage (lower first), then
 * in the order they were made; built-in plugins are applied before user
 * plugins, so a user tap at a built-in's stage runs after it.
 */

/** `collect`: the standard library first, then sources, then the resources given directly, which so replace both. */
export const CollectStage = { Stdlib: -100, Default: 0, Sources: 0, Direct: 100, Late: 200 } as const;
/** `filter`: the built-in test exclusion runs before user filters. */
export const FilterStage = { Builtin: -100, Default: 0, Late: 100 } as const;
/** `place`: user taps at `Default` decide before the packaging policy, which decides everything left. */
export const PlaceStage = { Early: -100, Default: 0, Policy: 100 } as const;
/** `placed`: user taps at `Default` run before the placement checks, which see the final set. */
export const PlacedStage = { Default: 0, Check: 1000 } as const;
/** `link`: the executable is written at `Executable`; tap at `Late` to see it. */
export const LinkStage = { Early: -100, Default: 0, Executable: 0, Late: 100 } as const;

/** Extra tap options oxidize records: the plugin that made the tap. */
export interface AttributedTap {
  name: string;
  type: string;
  plugin?: string;
  fn: (...args: unknown[]) => unknown;
}

/** Wraps each tap's function so that what it throws names its plugin (or its tap name) and the hook. */
export function attributeErrors(hookName: string, hook: { intercept: (i: object) => void }): void {
  hook.intercept({
    register(tap: AttributedTap) {
      const fn = tap.fn;
      const owner = tap.plugin ?? tap.name;
      if (tap.type === 'promise') {
        tap.fn = (...args: unknown[]) =>
          Promise.resolve()
            .then(() => fn(...args))
            .catch((e: unknown) => {
              throw pluginError(owner, hookName, e);
            });
      } else if (tap.type === 'sync') {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (e) {
            throw pluginError(owner, hookName, e);
          }
        };
      } else {
        tap.fn = (...args: unknown[]) => {
          const callback = args.pop() as (err?: unknown, result?: unknown) => void;
          return fn(...args, (err: unknown, result: unknown) => callback(err ? pluginError(owner, hookName, err) : err, result));
        };
      }
      return tap;
    },
  });
}

export function createBuildHooks(): BuildHooks {
  const hooks: BuildHooks = {
    collect: new AsyncSeriesWaterfallHook(['resources'], 'collect'),
    filter: new AsyncSeriesWaterfallHook(['resources'], 'filter'),
    place: new SyncBailHook(['resource'], 'place'),
    placed: new AsyncSeriesWaterfallHook(['resources'], 'placed'),
    link: new AsyncSeriesHook(['link'], 'link'),
  };
  for (const name of HOOK_NAMES) attributeErrors(name, hooks[name]);
  return Object.freeze(hooks);
}

type TapMethod = 'tap' | 'tapAsync' | 'tapPromise';

/** A hook as a plugin sees it: it can tap, not call. */
export type TapOnly<H, M extends TapMethod = TapMethod> = Pick<H, M & keyof H>;

/** The hooks a plugin taps through its context. */
export interface PluginHooks {
  readonly collect: TapOnly<BuildHooks['collect']>;
  readonly filter: TapOnly<BuildHooks['filter']>;
  /** Synchronous: `tap` only. */
  readonly place: TapOnly<BuildHooks['place'], 'tap'>;
  readonly placed: TapOnly<BuildHooks['placed']>;
  readonly link: TapOnly<BuildHooks['link']>;
}

/**
 * A facade of `hook` with only its tap methods; every tap made through it
 * records `plugin`, whatever the tap is named.
 */
export function tapOnly<H extends object>(hook: H, plugin: string, methods: readonly TapMethod[] = ['tap', 'tapAsync', 'tapPromise']): TapOnly<H> {
  const facade: Record<string, unknown> = {};
  for (const method of methods) {
    const tap = (hook as Record<string, unknown>)[method];
    if (typeof tap !== 'function') continue;
    facade[method] = (options: string | { name: string }, fn: unknown) => {
      const o = typeof options === 'string' ? { name: options } : { ...options };
      tap.call(hook, { ...o, plugin }, fn);
    };
  }
  return Object.freeze(facade) as TapOnly<H>;
}

export function pluginHooks(hooks: BuildHooks, plugin: string): PluginHooks {
  return Object.freeze({
    collect: tapOnly(hooks.collect, plugin),
    filter: tapOnly(hooks.filter, plugin),
    place: tapOnly(hooks.place, plugin, ['tap']),
    placed: tapOnly(hooks.placed, plugin),
    link: tapOnly(hooks.link, plugin),
  });
}
