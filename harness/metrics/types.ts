// Shared scorer vocabulary: profile ids, per-item results and benchmark scores.

/** Scorer profiles of scoring.md §2.1. Stable identifiers; never rename. */
export const PROFILE_IDS = [
  'lmms-eval',
  'lmms-eval@2024-05',
  'vlmevalkit',
  'vlmevalkit@2024-05',
  'official',
  'pix2struct',
  'vqa-v2@2021',
  'vqa-v2@2016',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** A registered benchmark's id (the list is harness/benchmarks/registry.ts BENCH_IDS). */
export type { BenchId } from '../benchmarks/registry.js';

/** Judge mode qualifier (MMMU, MMBench): scoring.md §2.1. */
export type JudgeMode = 'exact-matching' | 'llm';

/**
 * Outcome of one scored unit (an item, or an MMBench circular group).
 * - scored: `value` is the item's score in [0, 1].
 * - random_fallback: scored, but the reference drew a random guess (counted in reports).
 * - needs_judge: the reference would call an LLM judge and none is configured; scored as the
 *   reference's exact-matching policy does (`value` may be 0) and counted.
 * - judge_failed: the judge could not give a verdict; excluded from the score, counted.
 * - not_applicable: the profile cannot score this item (e.g. a list gold under VLMEvalKit MMMU);
 *   excluded, counted.
 */
export type ItemStatus = 'scored' | 'random_fallback' | 'needs_judge' | 'judge_failed' | 'not_applicable';

export interface ItemResult {
  id: string;
  /** Score in [0, 1]; null when the unit is excluded (judge_failed, not_applicable). */
  value: number | null;
  status: ItemStatus;
  /** Category labels for breakdowns, e.g. { category: 'Scene Text-centric VQA' }. A list counts the unit in each. */
  categories: Record<string, string | string[]>;
  /** Whatever explains the verdict (parsed letter, normalised answer, …). */
  detail?: Record<string, unknown>;
}
