// The benchmark registry: every benchmark module, one line each, in report order. Adding a
// benchmark is a folder harness/benchmarks/<id>/ and one line here (docs/adding-a-benchmark.md).
import { ConfigError } from '../errors.js';
import type { BenchmarkModule } from './types.js';
import { idsInWords } from '../metrics/resolve.js';
import { textvqa } from './textvqa/index.js';
import { docvqa } from './docvqa/index.js';
import { chartqa } from './chartqa/index.js';
import { ocrbench } from './ocrbench/index.js';
import { mmmu } from './mmmu/index.js';
import { mmvet } from './mmvet/index.js';
import { mmbench } from './mmbench/index.js';
import { vcrEasy, vcrHard } from './vcr/index.js';

export const BENCHMARKS = [textvqa, docvqa, chartqa, ocrbench, mmmu, mmvet, mmbench, vcrEasy, vcrHard] as const;

/** A registered benchmark's id. */
export type BenchId = (typeof BENCHMARKS)[number]['id'];

/** Every benchmark id, in registry (report) order. */
export const BENCH_IDS: readonly BenchId[] = BENCHMARKS.map((m) => m.id);

const BY_ID = new Map<string, BenchmarkModule>(BENCHMARKS.map((m) => [m.id, m as BenchmarkModule]));

/** The module of a registered benchmark. */
export function benchmark(id: BenchId): BenchmarkModule {
  const m = BY_ID.get(id);
  if (m === undefined) throw new ConfigError(`unknown benchmark "${id}"; valid benchmarks: ${BENCH_IDS.join(', ')}`);
  return m;
}

/** Whether a string names a registered benchmark. */
export function isBenchId(x: string): x is BenchId {
  return BY_ID.has(x);
}

/** "textvqa, docvqa, … or mmbench": the ids for help texts. */
export function benchIdsInWords(): string {
  return idsInWords(BENCH_IDS);
}
