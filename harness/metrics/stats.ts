// Confidence intervals for benchmark scores: Wilson score interval for 0/1 units and a
// seeded percentile bootstrap for graded units (ANLS, VQA accuracy, MM-Vet).
import { bootstrapGroupsWasm } from './bootstrap-wasm.js';

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  lo: number;
  hi: number;
  method: 'wilson' | 'bootstrap';
}

/** Wilson score interval for k successes out of n (fractions in [0, 1]). */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { lo: Number.NaN, hi: Number.NaN, method: 'wilson' };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 (k = n) the exact lower (upper) bound is 0 (1); avoid rounding residue there.
  const lo = k === 0 ? 0 : Math.max(0, centre - half);
  const hi = k === n ? 1 : Math.min(1, centre + half);
  return { lo, hi, method: 'wilson' };
}

/** mulberry32: a small, fast, seedable 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolated quantile of a sorted array (numpy's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Percentile bootstrap of the mean: `resamples` resamples with replacement, seeded so that the
 * same values always give the same interval. `useWasm: false` forces the JavaScript loop (tests
 * compare the two; the numbers are the same).
 */
export function bootstrapMeanInterval(values: readonly number[], resamples = 2000, seed = 20240520, useWasm = true): Interval {
  const n = values.length;
  if (n === 0) return { lo: Number.NaN, hi: Number.NaN, method: 'bootstrap' };
  const data = Float64Array.from(values);
  const means = new Float64Array(resamples);
  // mulberry32 inlined (same sequence as mulberry32(seed)): this loop runs n × resamples times.
  // floor(u / 2^32 · n) == trunc(u · (n / 2^32)): n / 2^32 is exact and u · n < 2^53, so both
  // products are the exact value rounded once; the multiplication saves a division per draw.
  const scale = n / 4294967296;
  // mulberry32's state after k draws is seed + k · STEP (mod 2^32), so resample r starts at
  // seed + r · n · STEP. Four resamples are drawn side by side: four independent sums instead of
  // one chain of dependent additions. Each sum still adds its own draws in the same order, so every
  // mean — and so the interval — is bit-identical to drawing the resamples one after another.
  const STEP = 0x6d2b79f5;
  const s0 = seed >>> 0;
  const start = (r: number): number => (s0 + Math.imul((r * n) | 0, STEP)) | 0;
  let r = 0;
  // r · n fits in 32 bits here (resamples · n < 2^31); beyond that, resample r's start is computed
  // in the sequential loop below instead.
  const sideBySide = resamples * n < 2 ** 31 ? resamples - (resamples % 4) : 0;
  // The same four-at-a-time loop in WebAssembly SIMD (bootstrap-wasm.ts) where available.
  if (useWasm && bootstrapGroupsWasm(data, sideBySide / 4, start, means)) r = sideBySide;
  for (; r < sideBySide; r += 4) {
    let a0 = start(r);
    let a1 = start(r + 1);
    let a2 = start(r + 2);
    let a3 = start(r + 3);
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    for (let i = 0; i < n; i++) {
      a0 = (a0 + STEP) | 0;
      a1 = (a1 + STEP) | 0;
      a2 = (a2 + STEP) | 0;
      a3 = (a3 + STEP) | 0;
      let t0 = Math.imul(a0 ^ (a0 >>> 15), a0 | 1);
      let t1 = Math.imul(a1 ^ (a1 >>> 15), a1 | 1);
      let t2 = Math.imul(a2 ^ (a2 >>> 15), a2 | 1);
      let t3 = Math.imul(a3 ^ (a3 >>> 15), a3 | 1);
      t0 ^= t0 + Math.imul(t0 ^ (t0 >>> 7), t0 | 61);
      t1 ^= t1 + Math.imul(t1 ^ (t1 >>> 7), t1 | 61);
      t2 ^= t2 + Math.imul(t2 ^ (t2 >>> 7), t2 | 61);
      t3 ^= t3 + Math.imul(t3 ^ (t3 >>> 7), t3 | 61);
      m0 += data[(((t0 ^ (t0 >>> 14)) >>> 0) * scale) | 0];
      m1 += data[(((t1 ^ (t1 >>> 14)) >>> 0) * scale) | 0];
      m2 += data[(((t2 ^ (t2 >>> 14)) >>> 0) * scale) | 0];
      m3 += data[(((t3 ^ (t3 >>> 14)) >>> 0) * scale) | 0];
    }
    means[r] = m0 / n;
    means[r + 1] = m1 / n;
    means[r + 2] = m2 / n;
    means[r + 3] = m3 / n;
  }
  // The remaining resamples one after another, continuing the same sequence.
  let a = r === 0 ? s0 | 0 : start(r);
  for (; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      a = (a + STEP) | 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += data[(((t ^ (t >>> 14)) >>> 0) * scale) | 0];
    }
    means[r] = sum / n;
  }
  means.sort();
  return { lo: quantileSorted(means, 0.025), hi: quantileSorted(means, 0.975), method: 'bootstrap' };
}

/** Plain mean (NaN for no values). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
