// The regression gate's cost: gate() on a full-size pair of runs (all seven benchmarks, ≈19,300
// paired units, 10,000 bootstrap resamples each) and the exact McNemar tail at large n.
import { gate } from '../harness/report/gate.js';
import { mcnemarExactOneSided } from '../harness/report/paired.js';
import type { ScoreSource, UnitOutcome } from '../harness/report/baseline.js';
import { SCORERS } from '../harness/metrics/registry.js';
import { mulberry32 } from '../harness/metrics/stats.js';
import { BENCH_IDS } from '../harness/benchmarks/registry.js';
import { FULL_SIZE } from './synthetic.js';
import type { BenchResult } from './result.js';

/** Two full-size sources: the current one a little worse on every benchmark. */
function sources(): { current: ScoreSource; baseline: ScoreSource } {
  const rand = mulberry32(99);
  const current: ScoreSource = { kind: 'run', path: 'current', label: 'current', benches: {} };
  const baseline: ScoreSource = { kind: 'run', path: 'baseline', label: 'baseline', benches: {} };
  for (const bench of BENCH_IDS) {
    const binary = SCORERS[bench].binary;
    const base: UnitOutcome[] = [];
    const cur: UnitOutcome[] = [];
    for (let i = 0; i < FULL_SIZE[bench]; i++) {
      const v = binary ? (rand() < 0.7 ? 1 : 0) : Math.round(rand() * 100) / 100;
      const w = binary ? (rand() < 0.05 ? 1 - v : v) : Math.min(1, Math.max(0, v + (rand() - 0.52) * 0.1));
      base.push({ id: String(i), value: v, status: 'scored' });
      cur.push({ id: String(i), value: w, status: 'scored' });
    }
    const f = SCORERS[bench].scale === 'points1000' ? 1000 : 100;
    const mean = (u: UnitOutcome[]): number => (u.reduce((a, x) => a + (x.value ?? 0), 0) / u.length) * f;
    const entry = (units: UnitOutcome[]) => ({ bench, scale: SCORERS[bench].scale, value: mean(units), profile: SCORERS[bench].defaultProfile, judgeMode: 'exact-matching' as const, units, failedSamples: 0, missingSamples: 0, judgeFailures: 0 });
    baseline.benches[bench] = entry(base);
    current.benches[bench] = entry(cur);
  }
  return { current, baseline };
}

function medianMs(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

export async function run(): Promise<BenchResult[]> {
  const { current, baseline } = sources();
  const units = Object.values(FULL_SIZE).reduce((a, b) => a + b, 0);
  const gateMs = medianMs(5, () => {
    gate(current, baseline);
  });
  const mcnemarUs = medianMs(101, () => {
    for (let k = 0; k < 100; k++) mcnemarExactOneSided(2600 + k, 2400);
  }) * 10; // per call, µs (100 calls per run)
  return [
    {
      name: 'gate: full-size run vs baseline run',
      metric: `median wall time of 5 gate() calls: ${units.toLocaleString('en')} paired units over all seven benchmarks, 10,000 paired-bootstrap resamples per benchmark (Δ CI, and p for graded ones), exact McNemar for 0/1 ones`,
      value: Math.round(gateMs),
      unit: 'ms',
      target: '< 10,000 ms (a CI step)',
      pass: gateMs < 10_000,
    },
    {
      name: 'exact McNemar tail, 5,000 discordant pairs',
      metric: 'median time per mcnemarExactOneSided(≈2,600, 2,400) (log-space exact sum over ≈2,400 terms)',
      value: Math.round(mcnemarUs),
      unit: 'µs',
    },
  ];
}
