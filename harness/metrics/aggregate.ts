// Turns per-unit results into a benchmark score on the CogVLM2 table's scale, with a 95%
// confidence interval, per-category breakdowns and counts of fallbacks and judge outcomes.
import type { Aggregate, BenchScorer } from './scorer.js';
import type { BenchId, ItemResult, ItemStatus, JudgeMode, ProfileId } from './types.js';
import { bootstrapMeanInterval, mean, wilsonInterval, type Interval } from './stats.js';
import { pyRound } from './py.js';

export interface CategoryScore {
  value: number;
  n: number;
  ci: Interval;
}

export interface BenchScore {
  bench: BenchId;
  profile: ProfileId;
  judgeMode: JudgeMode;
  /** 'percent' → value in 0–100 with one decimal; 'points1000' → OCRBench points of 1000. */
  scale: 'percent' | 'points1000';
  /** The score as a fraction in [0, 1] (the profile's native value before scaling). */
  fraction: number;
  /** The score on the table's scale, unrounded. */
  value: number;
  /** As the table prints it (one decimal, or whole points). */
  display: string;
  ci: Interval;
  /** Units (items or MMBench groups) that count towards the score. */
  n: number;
  /** All units, by status (random fallbacks, judge hand-offs, failures are reported). */
  counts: Record<ItemStatus, number>;
  byCategory: Record<string, Record<string, CategoryScore>>;
  /** Several grading runs (MM-Vet official): each run's unrounded total and the population std between them, on the table's scale. */
  runs?: { values: number[]; std: number };
}

export function scaleFactor(scale: 'percent' | 'points1000'): number {
  return scale === 'percent' ? 100 : 1000;
}

/** Formats a fraction on the table's scale: percent with one decimal, or whole points. */
export function displayValue(fraction: number, scale: 'percent' | 'points1000'): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const v = fraction * scaleFactor(scale);
  return scale === 'percent' ? pyRound(v, 1).toFixed(1) : String(pyRound(v, 0));
}

function intervalOf(values: readonly number[], binary: boolean): Interval {
  if (binary) {
    let k = 0;
    for (const v of values) k += v;
    return wilsonInterval(k, values.length);
  }
  return bootstrapMeanInterval(values);
}

function scaleInterval(ci: Interval, f: number): Interval {
  return { lo: ci.lo * f, hi: ci.hi * f, method: ci.method };
}

/** Default aggregation: mean of counted unit values; per-category means. */
export function meanAggregate(results: readonly ItemResult[]): Aggregate {
  const counted = results.filter((r) => r.value !== null);
  const byCategory: Aggregate['byCategory'] = {};
  const buckets = new Map<string, Map<string, number[]>>();
  for (const r of counted) {
    for (const [key, raw] of Object.entries(r.categories)) {
      const labels = Array.isArray(raw) ? raw : [raw];
      let byValue = buckets.get(key);
      if (!byValue) buckets.set(key, (byValue = new Map()));
      for (const label of labels) {
        let list = byValue.get(label);
        if (!list) byValue.set(label, (list = []));
        list.push(r.value as number);
      }
    }
  }
  for (const [key, byValue] of buckets) {
    byCategory[key] = {};
    for (const [label, list] of byValue) byCategory[key][label] = { value: mean(list), n: list.length };
  }
  return { value: mean(counted.map((r) => r.value as number)), byCategory };
}

export function countStatuses(results: readonly ItemResult[]): Record<ItemStatus, number> {
  const counts: Record<ItemStatus, number> = {
    scored: 0,
    random_fallback: 0,
    needs_judge: 0,
    judge_failed: 0,
    not_applicable: 0,
  };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Scores a benchmark's results under one profile onto the table's scale, with CIs. */
export function benchScore<Item>(
  scorer: BenchScorer<Item>,
  results: readonly ItemResult[],
  profile: ProfileId,
  judgeMode: JudgeMode,
): BenchScore {
  const agg = scorer.aggregate ? scorer.aggregate(results, profile) : meanAggregate(results);
  const f = scaleFactor(scorer.scale);
  const counted = results.filter((r) => r.value !== null);
  const values = counted.map((r) => r.value as number);
  const byCategory: BenchScore['byCategory'] = {};
  for (const [key, byValue] of Object.entries(agg.byCategory)) {
    byCategory[key] = {};
    for (const [label, s] of Object.entries(byValue)) {
      const catValues = counted
        .filter((r) => {
          const raw = r.categories[key];
          return Array.isArray(raw) ? raw.includes(label) : raw === label;
        })
        .map((r) => r.value as number);
      // OCRBench reports categories as points (hits), the total as points of 1000.
      const cf = scorer.scale === 'points1000' ? s.n : f;
      byCategory[key][label] = { value: s.value * cf, n: s.n, ci: scaleInterval(s.ci ?? intervalOf(catValues, scorer.binary), cf) };
    }
  }
  return {
    bench: scorer.bench,
    profile,
    judgeMode,
    scale: scorer.scale,
    fraction: agg.value,
    value: agg.value * f,
    display: displayValue(agg.value, scorer.scale),
    ci: scaleInterval(agg.ci ?? intervalOf(values, scorer.binary), f),
    n: counted.length,
    counts: countStatuses(results),
    byCategory,
    ...(agg.runs ? { runs: { values: agg.runs.values.map((v) => v * f), std: agg.runs.std * f } } : {}),
  };
}
