// The benchmark → scorer map (from the benchmark modules) and profile resolution (unknown names list the valid ones).
import { BENCHMARKS, BENCH_IDS, type BenchId } from '../benchmarks/registry.js';
import type { BenchScorer } from './scorer.js';
import type { ProfileId } from './types.js';
import { benchNamed, profileOf } from './resolve.js';

/**
 * Each benchmark module's scorer, by id. Each scorer's Item type is private to its module; only
 * the items its own parseRecord produced are ever handed to it, so erasing the type is safe.
 */
export const SCORERS = Object.fromEntries(BENCHMARKS.map((m) => [m.id, m.scorer])) as Record<BenchId, BenchScorer<unknown>>;

export function resolveBench(name: string): BenchId {
  return benchNamed(BENCH_IDS, name);
}

export function resolveProfile(bench: BenchId, name: string | undefined): ProfileId {
  return profileOf(bench, SCORERS[bench], name);
}
