// The dataset vocabulary: a Sample streamed by every adapter, lazy image references, sources.
import type { BenchId } from '../metrics/types.js';
import type { PromptSample } from '../protocols/types.js';

/** Where a benchmark's data comes from. `demo` is the bundled demo set (HF parquet layout). */
export const SOURCE_IDS = ['hf', 'vlmevalkit', 'official', 'demo'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** An image that is read only when asked for, so a stream of samples stays cheap. */
export interface ImageRef {
  /** Where the bytes live, for messages: a file path, or `file.parquet row 12 column image`. */
  readonly origin: string;
  bytes(): Promise<Uint8Array>;
}

/** One benchmark item, as every adapter yields it whatever the source. */
export interface Sample {
  /** Stable id within the benchmark (the dataset's own id, stringified). */
  id: string;
  bench: BenchId;
  /** Position in the dataset's order (0-based): ordering, `--limit`, `--shard`. */
  index: number;
  question: string;
  images: ImageRef[];
  /** What the prompt builders of harness/protocols read. */
  prompt: PromptSample;
  /**
   * The references as a predictions record without `prediction`: exactly the fields the
   * benchmark scorer's parseRecord reads (see README "Predictions schema"), so a run can write
   * `{...references, prediction}` and rescore it later without the dataset.
   */
  references: Record<string, unknown>;
  /** Category labels for breakdowns and report filters. */
  categories: Record<string, string | string[]>;
  /** Anything else worth keeping (source row fields the other stages may want). */
  extra: Record<string, unknown>;
}

/** A sample that could not be built (bad cell, undecodable image, …): reported, never scored. */
export interface SampleFailure {
  failed: true;
  id: string;
  index: number;
  bench: BenchId;
  /** What went wrong and what to do, naming the file, row and column. */
  reason: string;
}

export type SampleOrFailure = Sample | SampleFailure;

export function isSampleFailure(x: SampleOrFailure): x is SampleFailure {
  return (x as SampleFailure).failed === true;
}

/** A benchmark's data in one source, ready to stream. */
export interface BenchDataset {
  bench: BenchId;
  source: SourceId;
  /** Human-readable description: repo id / file, config, split, revision. */
  description: string;
  /** Dataset revision (HF commit, TSV md5, or a content hash for local copies). */
  revision: string;
  /** Number of samples (from metadata where possible, without reading images). */
  count(): Promise<number>;
  /** Streams samples in dataset order; never holds the whole benchmark in memory. */
  samples(opts?: { offset?: number; limit?: number }): AsyncIterable<SampleOrFailure>;
}
