/**
 * One executable's build: the object plugins receive. Its hooks are the
 * four phases; the runner (`run-phases.ts`) calls them in order.
 */
import { AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncBailHook } from 'tapable';
import { resolvePolicy, type ResolvedPolicy } from '../config/policy.js';
import type { PythonDistribution } from '../distribution/types.js';
import { pluginError } from '../errors.js';
import type { ResourceCollection } from '../resources/collection.js';
import type { PlacedResource, Resource, ResourceLocation } from '../resources/types.js';
import type { PythonExecutable } from './executable.js';
import type { ResourceSource } from './plugin.js';

export interface BuildOptions {
  /** `--release` was given: names the output directory and is passed to the config (the stub is always optimized). */
  readonly release: boolean;
  readonly verbose: boolean;
  /** Directory the executable and its files are written to. */
  readonly outputDir: string;
  /** Directory of the config file; relative paths in sources resolve against it. */
  readonly configDir: string;
  /** oxidize's cache directory. */
  readonly cacheDir: string;
}

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

export interface BuildHooks {
  /** Adds resources to the collection, from the distribution and from sources. */
  readonly collect: AsyncSeriesWaterfallHook<[ResourceCollection]>;
  /** Removes what should not ship. */
  readonly filter: AsyncSeriesWaterfallHook<[ResourceCollection]>;
  /** Decides one resource's location; the first tap to return one wins. */
  readonly place: SyncBailHook<[Resource], ResourceLocation | undefined>;
  /** Checks or changes the placed set before anything is written. */
  readonly placed: AsyncSeriesWaterfallHook<[PlacedResource[]]>;
  /** Writes the executable and its files. */
  readonly link: AsyncSeriesHook<[LinkContext]>;
}

function wrapTapErrors(hookName: string, hook: { intercept: (i: object) => void }): void {
  hook.intercept({
    register(tap: { name: string; type: string; fn: (...args: unknown[]) => unknown }) {
      const fn = tap.fn;
      if (tap.type === 'promise') {
        tap.fn = (...args: unknown[]) =>
          Promise.resolve()
            .then(() => fn(...args))
            .catch((e: unknown) => {
              throw pluginError(tap.name, hookName, e);
            });
      } else if (tap.type === 'sync') {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (e) {
            throw pluginError(tap.name, hookName, e);
          }
        };
      } else {
        tap.fn = (...args: unknown[]) => {
          const callback = args.pop() as (err?: unknown, result?: unknown) => void;
          return fn(...args, (err: unknown, result: unknown) => callback(err ? pluginError(tap.name, hookName, err) : err, result));
        };
      }
      return tap;
    },
  });
}

export class Build {
  readonly hooks: BuildHooks;
  readonly executable: PythonExecutable;
  readonly distribution: PythonDistribution;
  readonly policy: ResolvedPolicy;
  readonly options: BuildOptions;
  private readonly logger: (message: string) => void;

  constructor(executable: PythonExecutable, distribution: PythonDistribution, options: BuildOptions, logger: (m: string) => void) {
    this.executable = executable;
    this.distribution = distribution;
    this.options = options;
    this.policy = resolvePolicy(executable.packagingPolicy);
    this.logger = logger;
    const hooks: BuildHooks = {
      collect: new AsyncSeriesWaterfallHook(['resources'], 'collect'),
      filter: new AsyncSeriesWaterfallHook(['resources'], 'filter'),
      place: new SyncBailHook(['resource'], 'place'),
      placed: new AsyncSeriesWaterfallHook(['resources'], 'placed'),
      link: new AsyncSeriesHook(['link'], 'link'),
    };
    for (const [name, hook] of Object.entries(hooks)) wrapTapErrors(name, hook);
    this.hooks = Object.freeze(hooks);
  }

  /** The sources of one kind added to this executable, for the plugin that collects them. */
  sourcesOf<T extends ResourceSource>(kind: T['kind']): T[] {
    return this.executable.sources.filter((s): s is T => s.kind === kind);
  }

  /** A message shown with --verbose. */
  log(message: string): void {
    if (this.options.verbose) this.logger(message);
  }
}
