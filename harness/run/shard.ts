// `--shard i/n`: a deterministic split of every benchmark's samples over n machines (1-based i).
import { InputError } from '../errors.js';

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

/** Sample `index` (0-based position in the dataset) belongs to shard i/n when index mod n = i − 1. */
export function inShard(sampleIndex: number, shard: Shard | null): boolean {
  return shard === null || sampleIndex % shard.count === shard.index - 1;
}

/** How many of the first `n` samples fall in the shard. */
export function shardSize(n: number, shard: Shard | null): number {
  if (shard === null) return n;
  const r = shard.index - 1;
  return r >= n ? 0 : Math.floor((n - 1 - r) / shard.count) + 1;
}
