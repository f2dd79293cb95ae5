// Scorer throughput: items/s of every benchmark scorer on 10,000 synthetic items (tinybench), and
// the time to rescore a full-size prediction set of every benchmark under every profile.
import { Bench } from 'tinybench';
import { benchScore } from '../harness/metrics/aggregate.js';
import { SCORERS } from '../harness/metrics/registry.js';
import { BENCH_IDS } from '../harness/benchmarks/registry.js';
import { FULL_SIZE, syntheticRecords } from './synthetic.js';
import type { BenchResult } from './result.js';

const ITEMS = 10_000;
/**
 * Runs per scorer: tinybench keeps going until both the time budget and the minimum run count
 * are met, so a slow scorer stops after MIN_RUNS runs instead of 64 (its default minimum).
 */
const TIME_MS = 1500;
const MIN_RUNS = 3;
/** Timed under every profile too (vcr_hard has the same rules and costs as vcr_easy). */
const ALL_PROFILES_OF: readonly string[] = ['vcr_easy'];

/** Parses the records of every benchmark, scores them under every profile and aggregates with CIs. */
function rescoreEverything(records: Record<string, Record<string, unknown>[]>): number {
  let units = 0;
  for (const bench of BENCH_IDS) {
    const scorer = SCORERS[bench];
    const items = records[bench].map((r) => scorer.parseRecord(r));
    for (const profile of scorer.profiles) {
      const results = scorer.scoreItems(items, profile, { judgeMode: 'exact-matching' });
      units += benchScore(scorer, results, profile, 'exact-matching').n;
    }
  }
  return units;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const bench = new Bench({ time: TIME_MS, iterations: MIN_RUNS, warmupTime: 300, warmupIterations: 1 });
  for (const id of BENCH_IDS) {
    const scorer = SCORERS[id];
    const items = syntheticRecords(id, ITEMS, 3).map((r) => scorer.parseRecord(r));
    const profiles = ALL_PROFILES_OF.includes(id) ? scorer.profiles : [scorer.defaultProfile];
    for (const profile of profiles) {
      // Fresh item objects for every run (copied untimed): VCR shares work between profiles of
      // the same parsed items, so reusing them would time a second profile, not a first scoring.
      let fresh = items;
      const beforeEach = (): void => {
        fresh = items.map((item) => ({ ...(item as object) }));
      };
      bench.add(`${id} (${profile})`, () => {
        scorer.scoreItems(fresh, profile, { judgeMode: 'exact-matching' });
      }, { beforeEach });
    }
  }
  await bench.run();
  for (const task of bench.tasks) {
    const latencyMs = task.result && 'latency' in task.result ? task.result.latency.p50 : Number.NaN;
    results.push({
      name: `scorer ${task.name}`,
      metric: `items/s on ${ITEMS.toLocaleString('en')} synthetic items (median of ${task.runs} runs)`,
      value: Math.round(ITEMS / ((latencyMs ?? Number.NaN) / 1000)),
      unit: 'items/s',
    });
  }
  // The target: a full-size set of every benchmark (FULL_SIZE), every profile, with CIs.
  const records = Object.fromEntries(BENCH_IDS.map((b) => [b, syntheticRecords(b, FULL_SIZE[b], 7)]));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    rescoreEverything(records);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const total = Object.values(FULL_SIZE).reduce((a, b) => a + b, 0);
  results.push({
    name: `rescore all ${BENCH_IDS.length} benchmarks, every profile`,
    metric: `median wall time of 5 runs: ${total.toLocaleString('en')} items parsed, scored under each profile, aggregated with 95% CIs`,
    value: Math.round(times[2]),
    unit: 'ms',
    target: '< 2000 ms on one core',
    pass: times[2] < 2000,
  });
  return results;
}
