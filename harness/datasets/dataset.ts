// A BenchDataset over one row source and one adapter: streams Samples in order with
// offset/limit, turns unreadable rows and bad cells into SampleFailures, applies the image policy
// (CogVLM2 takes one image: the first, as VLMEvalKit does) and counts what it did.
import { benchmark } from '../benchmarks/registry.js';
import type { BenchId } from '../metrics/types.js';
import type { BenchAdapter, RowContext, SourceFormat } from './adapter.js';
import { RowError, errorMessage } from './errors.js';
import { hashFiles } from './hash.js';
import { isRowFailure, type RowSource, type SourceRow } from './sources/row.js';
import type { BenchDataset, SampleFailure, SampleOrFailure, SourceId } from './types.js';

/**
 * `first`: a sample keeps only its first image (cogvlm2.md §7: VLMEvalKit passes the first image
 * of multi-image MMMU items; lmms-eval's CogVLM2 class would stop on them); the others are counted.
 * `all`: every image is kept (for models that take several).
 */
export type ImagePolicy = 'first' | 'all';

/** What one pass over the dataset saw (counters of the latest `samples()` iteration). */
export interface DatasetStats {
  /** Items yielded (samples + failures). */
  items: number;
  samples: number;
  failures: number;
  /** Items that had more than one image. */
  multiImageItems: number;
  /** Images left out by the `first` policy. */
  droppedImages: number;
}

export interface CogevalDataset extends BenchDataset {
  split: string;
  config: string | undefined;
  /** The files read, in order. */
  files: readonly string[];
  /** False when the split's answers are not public: samples carry no answer, scoring is refused. */
  hasAnswers: boolean;
  imagePolicy: ImagePolicy;
  /** Counters of the latest pass over `samples()`. */
  stats(): DatasetStats;
  /** `sha256:<hex>` over the files' bytes (reads every file; cache the result). */
  contentHash(): Promise<string>;
}

export interface MakeDatasetOptions {
  adapter: BenchAdapter;
  source: RowSource;
  sourceId: SourceId;
  format: SourceFormat;
  split: string;
  config: string | undefined;
  description: string;
  revision: string;
  imagePolicy: ImagePolicy;
}

function emptyStats(): DatasetStats {
  return { items: 0, samples: 0, failures: 0, multiImageItems: 0, droppedImages: 0 };
}

function failure(bench: BenchId, index: number, id: string | undefined, reason: string): SampleFailure {
  return { failed: true, id: id ?? `row-${index}`, index, bench, reason };
}

export function makeDataset(opts: MakeDatasetOptions): CogevalDataset {
  const { adapter, source, format, split, config } = opts;
  const hasAnswers = adapter.hasAnswers(split);
  const ctx: RowContext = { split, config, hasAnswers };
  let stats = emptyStats();
  let hash: Promise<string> | undefined;

  function toSampleOrFailure(row: SourceRow, index: number): SampleOrFailure {
    let parts;
    try {
      parts = adapter.toSample(row, format, ctx, index);
    } catch (err) {
      const id = safeId(row, index);
      if (err instanceof RowError) return failure(adapter.bench, index, id, `${row.where}: ${err.message}`);
      return failure(adapter.bench, index, id, `${row.where}: cannot build the sample (${errorMessage(err)})`);
    }
    if (parts.images.length === 0) {
      return failure(adapter.bench, index, parts.id, `${row.where}: the row has no image; ${benchmark(adapter.bench).title} items need one`);
    }
    if (parts.images.length > 1) {
      stats.multiImageItems += 1;
      parts.extra = { ...parts.extra, imageCount: parts.images.length };
      if (opts.imagePolicy === 'first') {
        stats.droppedImages += parts.images.length - 1;
        parts.extra['droppedImages'] = parts.images.slice(1).map((ref) => ref.origin);
        parts.images = parts.images.slice(0, 1);
      }
    }
    return { ...parts, bench: adapter.bench, index };
  }

  function safeId(row: SourceRow, index: number): string | undefined {
    try {
      return adapter.idOf(row, format, index);
    } catch {
      return undefined;
    }
  }

  async function* samples(o: { offset?: number; limit?: number } = {}): AsyncGenerator<SampleOrFailure> {
    const offset = Math.max(0, Math.floor(o.offset ?? 0));
    const limit = o.limit ?? Infinity;
    stats = emptyStats();
    if (limit <= 0) return;
    let index = offset;
    for await (const row of source.rows(offset)) {
      const item = isRowFailure(row) ? failure(adapter.bench, index, row.id, row.reason) : toSampleOrFailure(row, index);
      stats.items += 1;
      if ('failed' in item) stats.failures += 1;
      else stats.samples += 1;
      yield item;
      index += 1;
      if (index - offset >= limit) return;
    }
  }

  return {
    bench: adapter.bench,
    source: opts.sourceId,
    description: opts.description,
    revision: opts.revision,
    split,
    config,
    files: source.files,
    hasAnswers,
    imagePolicy: opts.imagePolicy,
    count: () => source.count(),
    samples,
    stats: () => ({ ...stats }),
    contentHash: () => (hash ??= hashFiles(source.files)),
  };
}
