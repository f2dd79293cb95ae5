// Paired statistics of the gate: the exact McNemar tail against exact BigInt arithmetic, and the
// paired bootstrap's determinism, interval and false-alarm rate on simulated no-change data.
import { describe, expect, it } from 'vitest';
import { allBinary, binomialHalfUpperTail, discordantCounts, mcnemarExactOneSided, pairedBootstrap } from '../../harness/report/paired.js';
import { mulberry32 } from '../../harness/metrics/stats.js';

/** P(X ≥ k), X ~ Binomial(n, 1/2), from exact integer binomial coefficients. */
function exactTail(k: number, n: number): number {
  let c = 1n; // C(n, 0)
  let tail = 0n;
  for (let i = 0; i <= n; i++) {
    if (i >= k) tail += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  if (tail === 0n) return 0;
  // tail / 2^n as a double: keep the top 64 bits of tail.
  const shift = Math.max(0, tail.toString(2).length - 64);
  return Number(tail >> BigInt(shift)) * 2 ** (shift - n);
}

describe('binomialHalfUpperTail / mcnemarExactOneSided', () => {
  it('gives the textbook values', () => {
    expect(binomialHalfUpperTail(10, 10)).toBeCloseTo(1 / 1024, 15);
    expect(binomialHalfUpperTail(5, 10)).toBeCloseTo(638 / 1024, 14);
    expect(binomialHalfUpperTail(0, 7)).toBe(1);
    expect(binomialHalfUpperTail(8, 7)).toBe(0);
    expect(mcnemarExactOneSided(0, 0)).toBe(1);
    expect(mcnemarExactOneSided(12, 8)).toBeCloseTo(0.2517223358154297, 12); // Σ_{k≥12} C(20,k) / 2^20
  });

  it('matches exact integer arithmetic for every k up to n = 120 and at n = 3000', () => {
    for (let n = 1; n <= 120; n += 7) {
      for (let k = 0; k <= n; k++) {
        const want = exactTail(k, n);
        expect(Math.abs(binomialHalfUpperTail(k, n) - want)).toBeLessThanOrEqual(want * 1e-11 + 1e-300);
      }
    }
    for (const k of [1400, 1500, 1501, 1580, 1700, 2000]) {
      const want = exactTail(k, 3000);
      expect(Math.abs(binomialHalfUpperTail(k, 3000) - want) / want).toBeLessThan(1e-9);
    }
  });

  it('is one-sided: gains never make a drop significant', () => {
    expect(mcnemarExactOneSided(0, 40)).toBe(1);
    expect(mcnemarExactOneSided(30, 5)).toBeLessThan(1e-4);
    expect(mcnemarExactOneSided(5, 30)).toBeGreaterThan(0.99);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarExactOneSided(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarExactOneSided(1.5, 3)).toThrow(RangeError);
  });

  it('holds its level: under no change it fires in at most α of simulated 0/1 comparisons', () => {
    const rand = mulberry32(7);
    let fired = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      let losses = 0;
      let gains = 0;
      for (let i = 0; i < 200; i++) {
        const r = rand();
        if (r < 0.08) losses++;
        else if (r < 0.16) gains++;
      }
      if (mcnemarExactOneSided(losses, gains) < 0.05) fired++;
    }
    expect(fired / trials).toBeLessThanOrEqual(0.05);
    expect(fired / trials).toBeGreaterThan(0.01); // not vacuous: it does fire on chance drops
  });
});

describe('pairedBootstrap', () => {
  const rand = mulberry32(3);
  const base = Array.from({ length: 300 }, () => Math.round(rand() * 100) / 100);

  it('finds no drop between identical runs (p = 1, interval [0, 0])', () => {
    const r = pairedBootstrap(base, base, { resamples: 2000 });
    expect(r).toMatchObject({ delta: 0, lo: 0, hi: 0, pValue: 1 });
  });

  it('gives the smallest p-value, 1 / (B + 1), when every unit dropped', () => {
    const cur = base.map((v) => v - 0.1);
    const r = pairedBootstrap(base, cur, { resamples: 999 });
    expect(r.delta).toBeCloseTo(-0.1, 12);
    expect(r.lo).toBeCloseTo(-0.1, 12);
    expect(r.hi).toBeCloseTo(-0.1, 12);
    expect(r.pValue).toBe(1 / 1000);
  });

  it('is reproducible with a seed and changes with another seed', () => {
    const cur = base.map((v, i) => (i % 3 === 0 ? Math.max(0, v - 0.3) : Math.min(1, v + 0.05)));
    const a = pairedBootstrap(base, cur, { resamples: 1000, seed: 5 });
    const b = pairedBootstrap(base, cur, { resamples: 1000, seed: 5 });
    const c = pairedBootstrap(base, cur, { resamples: 1000, seed: 6 });
    expect(a).toEqual(b);
    expect(c.lo).not.toBe(a.lo);
    expect(a.lo).toBeLessThan(a.delta);
    expect(a.hi).toBeGreaterThan(a.delta);
  });

  it('holds its level roughly: under no change it fires in about α of simulated graded comparisons', () => {
    const r = mulberry32(11);
    let fired = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const b: number[] = [];
      const c: number[] = [];
      for (let i = 0; i < 150; i++) {
        const v = r();
        b.push(v);
        c.push(Math.min(1, Math.max(0, v + (r() - 0.5) * 0.4)));
      }
      if (pairedBootstrap(b, c, { resamples: 400, seed: t }).pValue < 0.05) fired++;
    }
    // The percentile bootstrap is approximate: allow sampling error around 5% (sd ≈ 1.3% here).
    expect(fired / trials).toBeLessThan(0.1);
    expect(fired / trials).toBeGreaterThan(0.01);
  });

  it('refuses unpaired inputs', () => {
    expect(() => pairedBootstrap([1, 0], [1])).toThrow(/differ in length/);
  });
});

describe('discordantCounts', () => {
  it('counts losses, gains and ties, and refuses graded values', () => {
    expect(discordantCounts([1, 1, 0, 0, 1], [0, 1, 1, 0, 0])).toEqual({ losses: 2, gains: 1, ties: 2 });
    expect(() => discordantCounts([0.5], [1])).toThrow(/not 0\/1/);
    expect(allBinary([0, 1, 1])).toBe(true);
    expect(allBinary([0, 0.9])).toBe(false);
  });
});
