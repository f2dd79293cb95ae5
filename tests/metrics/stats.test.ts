// Confidence-interval helpers: Wilson interval, seeded bootstrap, quantiles.
import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, mean, mulberry32, quantileSorted, wilsonInterval } from '../../harness/metrics/stats.js';

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
