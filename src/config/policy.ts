import { OxidizeError } from '../errors.js';
import type { OptimizeLevel, ResourceLocation } from '../resources/types.js';

/**
 * PyOxidizer's resource policies:
 * - `in-memory-only`: everything in the executable; extension modules and
 *   shared libraries load from anonymous memory files;
 * - `filesystem-relative-only:<prefix>`: everything in files under
 *   `<prefix>` next to the executable (still indexed in the payload);
 * - `prefer-in-memory-fallback-filesystem-relative:<prefix>`: in memory,
 *   except what the platform loads from files (extension modules and shared
 *   libraries), which goes under `<prefix>`.
 */
export type ResourcesPolicy =
  | 'in-memory-only'
  | `filesystem-relative-only:${string}`
  | `prefer-in-memory-fallback-filesystem-relative:${string}`;

/** What gets packed and where it goes. */
export interface PackagingPolicy {
  /** Default: `in-memory-only`. */
  resourcesPolicy?: ResourcesPolicy;
  /**
   * Locations by name, overriding the policy: a key is a package or module
   * name (dotted) and applies to it, its submodules and their resources, or
   * a distribution's metadata directory name ("black-22.12.0.dist-info").
   * The longest matching key wins.
   */
  resourceLocations?: Record<string, ResourceLocation>;
  /** Pack the standard library's test packages (`test`, `unittest.test`, `lib2to3.tests`, `idlelib.idle_test`, ...). Default: false. */
  includeTest?: boolean;
  /** Pack module source beside bytecode (tracebacks and inspect show source lines). Default: true. */
  includeSources?: boolean;
  /** Optimization levels to compile bytecode at. Default: [0]. */
  bytecodeOptimizeLevels?: OptimizeLevel[];
  /** Pack the distribution's standard library. Default: true. */
  includeStdlib?: boolean;
  /**
   * Which of the distribution's extension modules to pack (PyOxidizer's filters):
   * `all`; `minimal`, only those the interpreter needs to start; `no-libraries`, none
   * that link a library beyond the C runtime (libc, libm, libpthread, libdl, libutil, librt);
   * `no-gpl`, none that link a GPL-licensed library or one whose licence the distribution
   * does not state. Modules compiled into libpython always stay. Default: `all`.
   */
  extensionModuleFilter?: ExtensionModuleFilter;
  /** Modules and packages to leave out, each with everything below it: `['tkinter', 'idlelib', 'ensurepip']`; `*` matches any characters. Default: []. */
  exclude?: string[];
  /** File in the output directory that lists the licences of what is packed; `false` writes none. Default: `COPYING.txt`. */
  licensesFile?: string | false;
}

export type ExtensionModuleFilter = 'all' | 'minimal' | 'no-libraries' | 'no-gpl';
export const EXTENSION_MODULE_FILTERS: readonly ExtensionModuleFilter[] = ['all', 'minimal', 'no-libraries', 'no-gpl'];

export type ResolvedPolicy = Required<PackagingPolicy>;

export const DEFAULT_POLICY: ResolvedPolicy = {
  resourcesPolicy: 'in-memory-only',
  resourceLocations: {},
  includeTest: false,
  includeSources: true,
  bytecodeOptimizeLevels: [0],
  includeStdlib: true,
  extensionModuleFilter: 'all',
  exclude: [],
  licensesFile: 'COPYING.txt',
};

const POLICY = /^(in-memory-only|filesystem-relative-only:.*|prefer-in-memory-fallback-filesystem-relative:.*)$/;

export function resolvePolicy(p: PackagingPolicy = {}): ResolvedPolicy {
  const r = { ...DEFAULT_POLICY };
  for (const [k, v] of Object.entries(p)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  if (!POLICY.test(r.resourcesPolicy)) {
    throw new OxidizeError(
      'BAD_POLICY',
      `resourcesPolicy ${JSON.stringify(r.resourcesPolicy)} is not a policy`,
      'use in-memory-only, filesystem-relative-only:<prefix> or prefer-in-memory-fallback-filesystem-relative:<prefix>',
    );
  }
  if (!EXTENSION_MODULE_FILTERS.includes(r.extensionModuleFilter)) {
    throw new OxidizeError('BAD_POLICY', `extensionModuleFilter ${JSON.stringify(r.extensionModuleFilter)} is not a filter`, `use one of ${EXTENSION_MODULE_FILTERS.join(', ')}`);
  }
  if (r.licensesFile !== false && (typeof r.licensesFile !== 'string' || !r.licensesFile || /[/\0]/.test(r.licensesFile))) {
    throw new OxidizeError('BAD_POLICY', `licensesFile ${JSON.stringify(r.licensesFile)} must be a plain file name or false`, "for example 'COPYING.txt'");
  }
  if (r.bytecodeOptimizeLevels.length === 0 && !r.includeSources) {
    throw new OxidizeError('BAD_POLICY', 'with includeSources false, bytecodeOptimizeLevels must name at least one level', 'add a level, for example [0]');
  }
  return r;
}

/**
 * The levels to compile bytecode at for an executable running at
 * `optimizeLevel` (its config's `sys.flags.optimize`): the policy's, plus the
 * running level unless the user listed levels without it (then `warning`
 * says so, once). Without bytecode of the running level, modules would run
 * level-0 bytecode (`__debug__` true, asserts kept) under `-O`.
 */
export function bytecodeLevelsFor(
  userLevels: readonly OptimizeLevel[] | undefined,
  resolved: readonly OptimizeLevel[],
  optimizeLevel: OptimizeLevel,
): { levels: OptimizeLevel[]; warning?: string } {
  if (resolved.includes(optimizeLevel)) return { levels: [...resolved] };
  // An explicit list without the level is the user's choice; an empty one packs sources only, compiled at start-up.
  if (userLevels !== undefined) {
    if (userLevels.length === 0) return { levels: [...resolved] };
    return {
      levels: [...resolved],
      warning:
        `config.optimizeLevel is ${optimizeLevel} but packagingPolicy.bytecodeOptimizeLevels [${userLevels.join(', ')}] packs no level-${optimizeLevel} bytecode, so modules are not compiled for it; ` +
        `add ${optimizeLevel} to bytecodeOptimizeLevels (or remove the key)`,
    };
  }
  return { levels: [...resolved, optimizeLevel].sort((a, b) => a - b) };
}

/** The prefix of a `...:<prefix>` policy or location. */
export function prefixOf(value: string): string {
  return value.slice(value.indexOf(':') + 1);
}
