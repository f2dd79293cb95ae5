// Paired statistics for the regression gate: the exact one-sided McNemar test for 0/1 units and a
// seeded paired bootstrap (p-value and confidence interval of the mean difference) for graded ones.
import { quantileSorted } from '../metrics/stats.js';

/** Default seed of the paired bootstrap (the same one the score CIs use), so a gate is reproducible. */
export const PAIRED_BOOTSTRAP_SEED = 20240520;
/** Default number of bootstrap resamples: p-values resolve to about 1e-4. */
export const PAIRED_BOOTSTRAP_RESAMPLES = 10_000;

/**
 * Exact one-sided McNemar test for a drop. `losses` = pairs right in the baseline and wrong now,
 * `gains` = wrong in the baseline and right now. Under "no change" the losses among the
 * `losses + gains` discordant pairs are Binomial(n, 1/2); the p-value is P(X ≥ losses).
 * The sum is exact (no normal approximation): binomial terms are summed in log space, which stays
 * accurate for n in the tens of thousands.
 */
export function mcnemarExactOneSided(losses: number, gains: number): number {
  if (!Number.isInteger(losses) || !Number.isInteger(gains) || losses < 0 || gains < 0) {
    throw new RangeError(`McNemar counts must be non-negative integers, got losses=${losses}, gains=${gains}`);
  }
  return binomialHalfUpperTail(losses, losses + gains);
}

/** P(X ≥ k) for X ~ Binomial(n, 1/2), summed exactly term by term in log space. */
export function binomialHalfUpperTail(k: number, n: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  // log C(n, k) = Σ_{j=1..k} log((n − k + j) / j); then C(n, i+1) = C(n, i) · (n − i) / (i + 1).
  let logC = 0;
  for (let j = 1; j <= k; j++) logC += Math.log(n - k + j) - Math.log(j);
  const logs: number[] = [];
  for (let i = k; i <= n; i++) {
    logs.push(logC);
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  let max = -Infinity;
  for (const l of logs) if (l > max) max = l;
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - max);
  const p = Math.exp(max + Math.log(sum) - n * Math.LN2);
  return Math.min(1, p);
}

export interface PairedBootstrap {
  /** Mean of current − baseline (fractions). */
  delta: number;
  /** Two-sided `level` percentile interval of the mean difference. */
  lo: number;
  hi: number;
  level: number;
  /** One-sided p-value for a drop: (resamples with mean difference ≥ 0, plus 1) / (resamples + 1). */
  pValue: number;
  resamples: number;
  seed: number;
}

/**
 * Paired bootstrap of the mean difference `current[i] − baseline[i]`: resample item indices with
 * replacement (the same index for both runs), `resamples` times, with mulberry32(`seed`).
 * The p-value counts resamples that show no drop; the +1 in numerator and denominator keeps it
 * above 0 and makes the test valid at the resolution of the resamples (Davison & Hinkley §4.4).
 */
export function pairedBootstrap(
  baseline: ArrayLike<number>,
  current: ArrayLike<number>,
  opts: { resamples?: number; seed?: number; level?: number } = {},
): PairedBootstrap {
  const n = baseline.length;
  if (current.length !== n) throw new RangeError(`paired samples differ in length: ${n} baseline, ${current.length} current`);
  const resamples = opts.resamples ?? PAIRED_BOOTSTRAP_RESAMPLES;
  const seed = opts.seed ?? PAIRED_BOOTSTRAP_SEED;
  const level = opts.level ?? 0.9;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (n === 0) return { delta: Number.NaN, lo: Number.NaN, hi: Number.NaN, level, pValue: Number.NaN, resamples, seed };
  const d = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    d[i] = current[i] - baseline[i];
    sum += d[i];
  }
  const delta = sum / n;
  const means = new Float64Array(resamples);
  let noDrop = 0;
  // mulberry32 inlined (the same sequence as stats.ts mulberry32(seed)): this loop runs n × resamples times.
  let a = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      s += d[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)];
    }
    const m = s / n;
    means[r] = m;
    // Sums of the same values in another order can differ by rounding residue: treat |m| below
    // 1e-12 as exactly 0 (no drop), so that identical runs always give p = 1.
    if (m >= -1e-12) noDrop++;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return {
    delta,
    lo: quantileSorted(means, tail),
    hi: quantileSorted(means, 1 - tail),
    level,
    pValue: (noDrop + 1) / (resamples + 1),
    resamples,
    seed,
  };
}

/** Counts of a paired 0/1 comparison. */
export interface DiscordantCounts {
  /** Right in the baseline, wrong now. */
  losses: number;
  /** Wrong in the baseline, right now. */
  gains: number;
  /** Pairs with the same outcome. */
  ties: number;
}

/** Losses, gains and ties of paired 0/1 values; throws when a value is not exactly 0 or 1. */
export function discordantCounts(baseline: ArrayLike<number>, current: ArrayLike<number>): DiscordantCounts {
  let losses = 0;
  let gains = 0;
  let ties = 0;
  for (let i = 0; i < baseline.length; i++) {
    const b = baseline[i];
    const c = current[i];
    if ((b !== 0 && b !== 1) || (c !== 0 && c !== 1)) throw new RangeError(`pair ${i}: values ${b}, ${c} are not 0/1`);
    if (b === c) ties++;
    else if (b === 1) losses++;
    else gains++;
  }
  return { losses, gains, ties };
}

/** True when every value is exactly 0 or 1 (McNemar applies). */
export function allBinary(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}
