// Each benchmark's scorer, loaded on demand: `cogeval score` scores one benchmark and must start
// fast, so it imports only that scorer instead of the whole registry (every module's adapter,
// prompts and checks). Keyed by BenchId, so a registered benchmark without an entry does not compile;
// tests/benchmarks/registry.test.ts checks each entry against its module.
import type { BenchScorer } from '../metrics/scorer.js';
import type { BenchId } from './registry.js';

type ScorerLoader = () => Promise<BenchScorer<unknown>>;

/** Each scorer's Item type is private to its module; only its own parseRecord's items reach it. */
export const SCORER_LOADERS: Readonly<Record<BenchId, ScorerLoader>> = {
  textvqa: async () => (await import('./textvqa/scorer.js')).textvqaScorer as BenchScorer<unknown>,
  docvqa: async () => (await import('./docvqa/scorer.js')).docvqaScorer as BenchScorer<unknown>,
  chartqa: async () => (await import('./chartqa/scorer.js')).chartqaScorer as BenchScorer<unknown>,
  ocrbench: async () => (await import('./ocrbench/scorer.js')).ocrbenchScorer as BenchScorer<unknown>,
  mmmu: async () => (await import('./mmmu/scorer.js')).mmmuScorer as BenchScorer<unknown>,
  mmvet: async () => (await import('./mmvet/scorer.js')).mmvetScorer as BenchScorer<unknown>,
  mmbench: async () => (await import('./mmbench/scorer.js')).mmbenchScorer as BenchScorer<unknown>,
  vcr_easy: async () => (await import('./vcr/scorer.js')).makeVcrScorer('vcr_easy') as BenchScorer<unknown>,
  vcr_hard: async () => (await import('./vcr/scorer.js')).makeVcrScorer('vcr_hard') as BenchScorer<unknown>,
};

/** The benchmark ids in registry order, without loading the registry. */
export const SCORER_BENCH_IDS = Object.keys(SCORER_LOADERS) as BenchId[];
