import type { OptimizeLevel, ResourceLocation } from '../resources/types.js';

/** What gets packed and where it goes. */
export interface PackagingPolicy {
  /** Where resources go. Default: `in-memory`. */
  resourcesLocation?: ResourceLocation;
  /**
   * Where a resource goes when it cannot go to `resourcesLocation`
   * (a shared library asked to be in memory). Default: none, which is an error.
   */
  resourcesLocationFallback?: ResourceLocation;
  /** Pack test packages (`test`, `*.tests`, `*.test`, `idlelib.idle_test`, ...). Default: false. */
  includeTest?: boolean;
  /** Pack module source beside bytecode (tracebacks show source lines). Default: true. */
  includeSources?: boolean;
  /** Optimization levels to compile bytecode at. Default: [0]. */
  bytecodeOptimizeLevels?: OptimizeLevel[];
  /** Pack the distribution's standard library. Default: true. */
  includeStdlib?: boolean;
}

export const DEFAULT_POLICY: Required<Omit<PackagingPolicy, 'resourcesLocationFallback'>> & Pick<PackagingPolicy, 'resourcesLocationFallback'> = {
  resourcesLocation: 'in-memory',
  resourcesLocationFallback: undefined,
  includeTest: false,
  includeSources: true,
  bytecodeOptimizeLevels: [0],
  includeStdlib: true,
};

export type ResolvedPolicy = typeof DEFAULT_POLICY;

export function resolvePolicy(p: PackagingPolicy = {}): ResolvedPolicy {
  const r = { ...DEFAULT_POLICY };
  for (const [k, v] of Object.entries(p)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  return r;
}
