// `--shard i/n`: a deterministic split of every benchmark's scoring units over n machines (1-based
// i). A scoring unit is what one score item is made of: a sample, or for MMBench a circular group
// (the question and every rotation of it, ids index + k·1,000,000), so each shard scores whole units.
import { InputError } from '../errors.js';
import { benchmark } from '../benchmarks/registry.js';
import type { BenchId } from '../metrics/types.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string | undefined): Shard | null {
  if (text === undefined || text === '') return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new InputError(`--shard must look like i/n (e.g. 1/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError(`--shard ${text}: i must be between 1 and n (e.g. 1/4 … 4/4)`);
  return { index, count };
}

/**
 * The number that decides a sample's shard: its scoring unit, as the benchmark module says (the
 * sample's position in the dataset; for MMBench the circular group, so a group never splits).
 */
export function shardUnit(bench: BenchId, sample: { id: string; index: number }): number {
  return benchmark(bench).units.shardUnit(sample);
}

/** A sample belongs to shard i/n when its scoring unit mod n = i − 1. */
export function inShard(bench: BenchId, sample: { id: string; index: number }, shard: Shard | null): boolean {
  return shard === null || shardUnit(bench, sample) % shard.count === shard.index - 1;
}

/**
 * How many of the first `n` samples fall in the shard, when units are positions (every benchmark
 * but MMBench); for MMBench an estimate, replaced by the count the runner records once it has
 * streamed the benchmark.
 */
export function shardSize(n: number, shard: Shard | null): number {
  if (shard === null) return n;
  const r = shard.index - 1;
  return r >= n ? 0 : Math.floor((n - 1 - r) / shard.count) + 1;
}
