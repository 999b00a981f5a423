/**
 * Hooks a plugin owns (as webpack's `createHooksRegistry`): one set per
 * build, created on first use. The owning plugin calls them; other plugins
 * tap them through their own context, so their taps are attributed to them.
 *
 *   const registry = createHooksRegistry('size-report', () => ({ report: new AsyncSeriesHook<[Report]>(['report']) }));
 *   export const getSizeReportHooks = (ctx: PluginContext) => registry.of(ctx);   // for other plugins
 *   // in the owner's apply(ctx): await registry.owned(ctx).report.promise(report);
 */
import type { Build } from './build.js';
import { buildOf, type PluginContext } from './context.js';
import { attributeErrors, tapOnly, type TapOnly } from './hooks.js';

export type TapOnlyHooks<T> = { readonly [K in keyof T]: TapOnly<T[K]> };

export interface HooksRegistry<T extends object> {
  /** The hooks of `ctx`'s build, tap-only, attributed to `ctx`'s plugin. */
  of(ctx: PluginContext): TapOnlyHooks<T>;
  /** The callable hooks of the build: for the owning plugin (and oxidize itself). */
  owned(owner: PluginContext | Build): T;
}

export function createHooksRegistry<T extends object>(name: string, create: () => T): HooksRegistry<T> {
  const byBuild = new WeakMap<Build, T>();
  const owned = (owner: PluginContext | Build): T => {
    const build = buildOf(owner);
    let hooks = byBuild.get(build);
    if (!hooks) {
      hooks = create();
      for (const [key, hook] of Object.entries(hooks)) attributeErrors(`${name}.${key}`, hook as { intercept: (i: object) => void });
      byBuild.set(build, Object.freeze(hooks));
    }
    return hooks;
  };
  return {
    owned,
    of(ctx) {
      const hooks = owned(ctx);
      return Object.freeze(Object.fromEntries(Object.entries(hooks).map(([k, h]) => [k, tapOnly(h as object, ctx.name)]))) as TapOnlyHooks<T>;
    },
  };
}
