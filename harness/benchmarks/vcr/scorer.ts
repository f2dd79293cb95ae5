// The VCR scorer in the BenchScorer shape of harness/metrics/scorer.ts, one per bench id
// (vcr_easy, vcr_hard): per-sample results carry the blank counts so the aggregate is the
// references' mean over all blanks, with a bootstrap interval of that ratio.
import { RecordError, readRecordId, readRecordPrediction, type Aggregate, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import { mulberry32, quantileSorted, type Interval } from '../../metrics/stats.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';
import { VCR_PROFILES, isRefusal, isVcrProfile, scoreSample, scoreScoredText, scoredText, type BlankScore, type Tokenize, type VcrProfile } from './score.js';
import { spacyEnglishTokens } from './spacy-en-tokenizer.js';

export interface VcrItem {
  id: string;
  prediction: string;
  crossedText: string[];
}

export const VCR_RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'the sample id (HF question_id, VLMEvalKit index)' },
  { name: 'prediction', required: true, description: 'the raw model output' },
  { name: 'crossed_text', required: true, description: 'the masked phrases of the caption, in order (HF crossed_text, VLMEvalKit answer)' },
];

export function parseVcrRecord(rec: Record<string, unknown>): VcrItem {
  const id = readRecordId(rec);
  const prediction = readRecordPrediction(rec);
  const crossed = rec['crossed_text'];
  if (!Array.isArray(crossed) || crossed.length === 0 || !crossed.every((c): c is string => typeof c === 'string')) {
    throw new RecordError('crossed_text', 'crossed_text must be a non-empty list of strings (the masked phrases)');
  }
  return { id, prediction, crossedText: crossed };
}

/** Jaccard key under Aggregate.byCategory: the references' second metric, next to exact match. */
export const VCR_JACCARD_KEY = 'jaccard';

/**
 * Blank scores per parsed item and scored text, so the profiles of one `--profile all` pass
 * (the same item objects) search once where their scored texts coincide; gone with the items.
 */
const scoredBefore = new WeakMap<VcrItem, Array<{ text: string; blanks: BlankScore[] }>>();

function sharedScore(item: VcrItem, profile: VcrProfile): BlankScore[] {
  const text = scoredText(item.prediction, profile);
  if (isRefusal(text, profile)) return scoreSample(item.prediction, item.crossedText, profile, spacyEnglishTokens);
  const before = scoredBefore.get(item);
  const hit = before?.find((b) => b.text === text);
  if (hit !== undefined) return hit.blanks;
  const blanks = scoreScoredText(text, item.crossedText, spacyEnglishTokens);
  if (before === undefined) scoredBefore.set(item, [{ text, blanks }]);
  else before.push({ text, blanks });
  return blanks;
}

/**
 * One ItemResult per sample: `value` is the sample's exact-match mean over its blanks (for
 * display); `detail` carries blanks, emSum and jaccardSum so `aggregate` can take the mean over
 * all blanks as lmms-eval, VLMEvalKit and the authors do.
 */
export function scoreVcrItems(items: readonly VcrItem[], profile: ProfileId, tokenize: Tokenize = spacyEnglishTokens): ItemResult[] {
  if (!isVcrProfile(profile)) throw new Error(`VCR has no profile '${profile}'; valid: ${VCR_PROFILES.join(', ')}`);
  return items.map((item) => {
    const blanks = tokenize === spacyEnglishTokens ? sharedScore(item, profile) : scoreSample(item.prediction, item.crossedText, profile, tokenize);
    const emSum = blanks.reduce((s, b) => s + b.exactMatch, 0);
    const jaccardSum = blanks.reduce((s, b) => s + b.jaccard, 0);
    return {
      id: item.id,
      value: emSum / blanks.length,
      status: 'scored',
      categories: {},
      detail: {
        blanks: blanks.length,
        emSum,
        jaccardSum,
        refused: blanks.some((b) => b.refused),
        matched: blanks.map((b) => b.maxSimString),
      },
    };
  });
}

function num(detail: Record<string, unknown> | undefined, key: string): number {
  const v = detail?.[key];
  if (typeof v !== 'number') throw new Error(`VCR result lacks detail.${key}`);
  return v;
}

/** Resamples of the ratio bootstrap, and its seed (the seed of every cogeval bootstrap, metrics/stats.ts). */
const RESAMPLES = 2000;
const SEED = 20240520;

/**
 * 95% percentile bootstrap of a ratio Σ num / Σ den over samples: resample whole samples with
 * replacement and recompute the ratio each time, so a sample's blanks stay together and the
 * interval is around the blank-weighted mean the references report (not a mean of sample means).
 */
export function bootstrapRatioInterval(num: readonly number[], den: readonly number[], resamples = RESAMPLES, seed = SEED): Interval {
  return bootstrapRatioIntervals([num], den, resamples, seed)[0];
}

/**
 * bootstrapRatioInterval of several numerators over one denominator in one pass: the draws
 * depend only on the seed and the sample count, so each interval equals its own call's.
 */
export function bootstrapRatioIntervals(nums: readonly (readonly number[])[], den: readonly number[], resamples = RESAMPLES, seed = SEED): Interval[] {
  const n = den.length;
  if (n === 0) return nums.map(() => ({ lo: Number.NaN, hi: Number.NaN, method: 'bootstrap' }));
  const draw = mulberry32(seed);
  const count = nums.length;
  // One row per sample (its numerators, then its denominator): each draw reads one row.
  const stride = count + 1;
  const table = new Float64Array(n * stride);
  for (let k = 0; k < n; k++) {
    for (let m = 0; m < count; m++) table[k * stride + m] = nums[m][k];
    table[k * stride + count] = den[k];
  }
  const ratios = nums.map(() => new Float64Array(resamples));
  if (count === 2) {
    // aggregateVcr's case (exact match and Jaccard), with the sums in locals: same additions, same order.
    // mulberry32 (metrics/stats.ts) inlined with its state in a local, which V8 keeps unboxed.
    const [r0, r1] = ratios;
    let state = seed >>> 0;
    for (let r = 0; r < resamples; r++) {
      let a0 = 0;
      let a1 = 0;
      let b = 0;
      for (let i = 0; i < n; i++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const row = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) * 3;
        a0 += table[row];
        a1 += table[row + 1];
        b += table[row + 2];
      }
      r0[r] = a0 / b;
      r1[r] = a1 / b;
    }
  }
  const sums = new Float64Array(count);
  for (let r = 0; count !== 2 && r < resamples; r++) {
    sums.fill(0);
    let b = 0;
    for (let i = 0; i < n; i++) {
      const row = Math.floor(draw() * n) * stride;
      for (let m = 0; m < count; m++) sums[m] += table[row + m];
      b += table[row + count];
    }
    for (let m = 0; m < count; m++) ratios[m][r] = sums[m] / b;
  }
  return ratios.map((rs) => {
    rs.sort();
    return { lo: quantileSorted(rs, 0.025), hi: quantileSorted(rs, 0.975), method: 'bootstrap' };
  });
}

/**
 * Exact match and Jaccard as the mean over every blank of every scored sample, each with a
 * bootstrap interval that resamples samples and recomputes the blank-weighted ratio.
 */
export function aggregateVcr(results: readonly ItemResult[]): Aggregate {
  const blanks: number[] = [];
  const em: number[] = [];
  const jac: number[] = [];
  for (const r of results) {
    if (r.value === null) continue;
    blanks.push(num(r.detail, 'blanks'));
    em.push(num(r.detail, 'emSum'));
    jac.push(num(r.detail, 'jaccardSum'));
  }
  const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
  const total = sum(blanks);
  const value = total > 0 ? sum(em) / total : Number.NaN;
  const [ci, jacCi] = bootstrapRatioIntervals([em, jac], blanks);
  return {
    value,
    ci,
    byCategory: {
      metric: {
        exact_match: { value, n: total, ci },
        [VCR_JACCARD_KEY]: { value: total > 0 ? sum(jac) / total : Number.NaN, n: total, ci: jacCi },
      },
    },
  };
}

/** The BenchScorer of one VCR benchmark (`bench` is vcr_easy or vcr_hard; the rules are the same). */
export function makeVcrScorer<B extends string>(bench: B) {
  return {
    bench,
    profiles: VCR_PROFILES as readonly VcrProfile[],
    // The table's figures equal the authors' leaderboard (their script, 5,000 test samples).
    defaultProfile: 'official' as VcrProfile,
    scale: 'percent' as const,
    // Exact match is 0/1 per blank, but a sample's value is a mean over its blanks; the interval
    // is aggregateVcr's ratio bootstrap (binary false also makes the gate's paired test a bootstrap).
    binary: false,
    recordFields: VCR_RECORD_FIELDS,
    parseRecord: parseVcrRecord,
    scoreItems: (items: readonly VcrItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] => scoreVcrItems(items, profile),
    aggregate: (results: readonly ItemResult[], _profile: ProfileId): Aggregate => aggregateVcr(results),
  };
}
