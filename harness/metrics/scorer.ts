// The contract every benchmark scorer module implements (one module per benchmark).
import type { BenchId, ItemResult, JudgeMode, ProfileId } from './types.js';
import type { Interval } from './stats.js';

/** A field of a predictions-JSONL record, documented for users (README "Predictions schema"). */
export interface RecordField {
  name: string;
  required: boolean;
  description: string;
}

/** Thrown by parseRecord when a record lacks a field or has the wrong type. */
export class RecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

export interface ScoreOptions {
  /** MMMU / MMBench: resolve what heuristics cannot with judge replies (`llm`) or not. */
  judgeMode: JudgeMode;
  /** Seed for reproducible random fallbacks (MMMU). Profiles have their own defaults when omitted. */
  seed?: number;
}

/** Aggregate under the table's conventions, before confidence intervals. */
export interface Aggregate {
  /** The benchmark's score in [0, 1] (fraction); the CLI puts it on the table's scale. */
  value: number;
  /** Per-category-key, per-category-value scores in [0, 1] (`ci`: as for the total). */
  byCategory: Record<string, Record<string, { value: number; n: number; ci?: Interval }>>;
  /**
   * The scorer's own 95% interval of `value`, as a fraction, when `value` is not the mean of the
   * unit values (VCR: a ratio over blanks). Absent: Wilson or a bootstrap of the unit values' mean.
   */
  ci?: Interval;
  /** Several grading runs (MM-Vet official): each run's unrounded total and their population std, as fractions. */
  runs?: { values: number[]; std: number };
}

export interface BenchScorer<Item> {
  readonly bench: BenchId;
  /** Profiles offered for this benchmark (scoring.md §2.3). */
  readonly profiles: readonly ProfileId[];
  readonly defaultProfile: ProfileId;
  /** How the CogVLM2 table reports it: percent (1 decimal) or OCRBench points out of 1000. */
  readonly scale: 'percent' | 'points1000';
  /** True when every unit is 0/1 (Wilson CI); false for graded scores (bootstrap CI). */
  readonly binary: boolean;
  /** Fields of a predictions record for this benchmark. */
  readonly recordFields: readonly RecordField[];
  /** Parses one predictions record; throws RecordError naming the bad field. */
  parseRecord(rec: Record<string, unknown>): Item;
  /** Scores all items under one profile: one ItemResult per scoring unit (item or group). */
  scoreItems(items: readonly Item[], profile: ProfileId, opts: ScoreOptions): ItemResult[];
  /**
   * Optional benchmark-specific aggregation (e.g. MM-Vet's per-capability rules). When absent,
   * the runner uses the mean of non-null unit values and per-category means.
   */
  aggregate?(results: readonly ItemResult[], profile: ProfileId): Aggregate;
}

/** The record's `id` (a string or a finite number) as a string; RecordError otherwise. */
export function readRecordId(rec: Record<string, unknown>): string {
  const id = rec['id'];
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  throw new RecordError('id', 'id must be a string or a finite number');
}

/** The record's raw model output; RecordError when it is missing or not a string. */
export function readRecordPrediction(rec: Record<string, unknown>): string {
  const prediction = rec['prediction'];
  if (typeof prediction !== 'string') throw new RecordError('prediction', 'prediction must be a string (the raw model output)');
  return prediction;
}
