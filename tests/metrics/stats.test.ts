// Confidence-interval helpers: Wilson interval, seeded bootstrap, quantiles.
import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, mean, mulberry32, quantileSorted, wilsonInterval } from '../../harness/metrics/stats.js';
import { bootstrapGroupsWasm } from '../../harness/metrics/bootstrap-wasm.js';

describe('wilsonInterval', () => {
  it('matches the textbook value for 81/100', () => {
    // p = 0.81, n = 100, z = 1.96: centre 0.79853, half-width 0.07632 (statsmodels proportion_confint(method="wilson")).
    const ci = wilsonInterval(81, 100);
    expect(ci.lo).toBeCloseTo(0.7222, 4);
    expect(ci.hi).toBeCloseTo(0.8749, 4);
    expect(ci.method).toBe('wilson');
  });
  it('stays inside [0, 1] at the extremes and is not degenerate', () => {
    const all = wilsonInterval(50, 50);
    expect(all.hi).toBe(1);
    expect(all.lo).toBeGreaterThan(0.9);
    expect(all.lo).toBeLessThan(1);
    const none = wilsonInterval(0, 50);
    expect(none.lo).toBe(0);
    expect(none.hi).toBeGreaterThan(0);
  });
  it('narrows as n grows', () => {
    const small = wilsonInterval(45, 100);
    const big = wilsonInterval(450, 1000);
    expect(big.hi - big.lo).toBeLessThan(small.hi - small.lo);
  });
  it('is NaN for no items', () => {
    expect(Number.isNaN(wilsonInterval(0, 0).lo)).toBe(true);
  });
});

describe('bootstrapMeanInterval', () => {
  const values = Array.from({ length: 400 }, (_, i) => ((i * 37) % 11) / 10);
  it('is deterministic for a fixed seed and brackets the mean', () => {
    const a = bootstrapMeanInterval(values);
    const b = bootstrapMeanInterval(values);
    expect(a).toEqual(b);
    const m = mean(values);
    expect(a.lo).toBeLessThan(m);
    expect(a.hi).toBeGreaterThan(m);
  });
  it('has roughly the normal-theory width', () => {
    const m = mean(values);
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
    const se = sd / Math.sqrt(values.length);
    const ci = bootstrapMeanInterval(values);
    expect(ci.hi - ci.lo).toBeGreaterThan(2 * 1.96 * se * 0.85);
    expect(ci.hi - ci.lo).toBeLessThan(2 * 1.96 * se * 1.15);
  });
  it('differs for another seed', () => {
    expect(bootstrapMeanInterval(values, 2000, 1)).not.toEqual(bootstrapMeanInterval(values, 2000, 2));
  });
  it('gives the intervals it gave before resamples were drawn side by side (bit for bit)', () => {
    // Printed by the one-resample-at-a-time implementation (commit 033c84c) for these inputs.
    expect(bootstrapMeanInterval(values)).toEqual({ lo: 0.46649375000000015, hi: 0.5304999999999999, method: 'bootstrap' });
    expect(bootstrapMeanInterval(values, 2003, 7)).toEqual({ lo: 0.4665125000000001, hi: 0.5295000000000004, method: 'bootstrap' });
    const big = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 31) / 30);
    expect(bootstrapMeanInterval(big)).toEqual({ lo: 0.49185166666666563, hi: 0.5084800000000004, method: 'bootstrap' });
    expect(bootstrapMeanInterval(big, 2000, 20240520, false)).toEqual({ lo: 0.49185166666666563, hi: 0.5084800000000004, method: 'bootstrap' });
  });
  it('runs on WebAssembly SIMD on this Node (the JavaScript loop is only a fallback)', () => {
    const data = new Float64Array([0, 1, 0.5]);
    const means = new Float64Array(4);
    expect(bootstrapGroupsWasm(data, 1, (r) => r * 3 * 0x6d2b79f5, means)).toBe(true);
    for (const m of means) expect([0, 1 / 6, 1 / 3, 0.5, 2 / 3, 5 / 6, 1].some((v) => Math.abs(v - m) < 1e-12)).toBe(true);
  });
  it('equals its definition: mulberry32 draws, resample after resample, each mean summed in draw order', () => {
    const definition = (xs: number[], resamples: number, seed: number): [number, number] => {
      const rand = mulberry32(seed);
      const means: number[] = [];
      for (let r = 0; r < resamples; r++) {
        let sum = 0;
        for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(rand() * xs.length)];
        means.push(sum / xs.length);
      }
      means.sort((a, b) => a - b);
      return [quantileSorted(means, 0.025), quantileSorted(means, 0.975)];
    };
    const draw = mulberry32(99);
    for (const n of [1, 2, 3, 7, 101, 1000]) {
      const xs = Array.from({ length: n }, () => Math.round(draw() * 30) / 30 + draw() * 1e-9);
      for (const resamples of [1, 3, 4, 5, 7, 64, 2001]) {
        for (const seed of [0, 20240520, 0xffffffff]) {
          const expected = definition(xs, resamples, seed);
          // WebAssembly SIMD (the default where available) and the JavaScript loop alike.
          for (const useWasm of [true, false]) {
            const ci = bootstrapMeanInterval(xs, resamples, seed, useWasm);
            expect([ci.lo, ci.hi], `n=${n} resamples=${resamples} seed=${seed} wasm=${useWasm}`).toEqual(expected);
          }
        }
      }
    }
  });
});

describe('helpers', () => {
  it('quantileSorted interpolates linearly like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
  it('mulberry32 yields floats in [0, 1) and depends on the seed', () => {
    const r = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => r());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(8)()).not.toBe(mulberry32(7)());
  });
});
