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
}

export type ResolvedPolicy = Required<PackagingPolicy>;

export const DEFAULT_POLICY: ResolvedPolicy = {
  resourcesPolicy: 'in-memory-only',
  resourceLocations: {},
  includeTest: false,
  includeSources: true,
  bytecodeOptimizeLevels: [0],
  includeStdlib: true,
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
  if (r.bytecodeOptimizeLevels.length === 0 && !r.includeSources) {
    throw new OxidizeError('BAD_POLICY', 'with includeSources false, bytecodeOptimizeLevels must name at least one level', 'add a level, for example [0]');
  }
  return r;
}

/** The prefix of a `...:<prefix>` policy or location. */
export function prefixOf(value: string): string {
  return value.slice(value.indexOf(':') + 1);
}
