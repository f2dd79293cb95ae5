// The vocabulary of `cogeval import`: the sources it reads, one imported row per item, the score a
// source printed itself, and what a source reader hands back.
import type { BenchId, ProfileId } from '../metrics/types.js';

/** The harness sources every benchmark can come from; a benchmark module may add its authors' own output (`--from <id>`). */
export const HARNESS_SOURCES = ['lmms-eval', 'vlmevalkit', 'llava'] as const;
export type HarnessSource = (typeof HARNESS_SOURCES)[number];
/** A harness source, or the `source` of a benchmark module's authors-output reader. */
export type ImportSource = string;

/** How each harness source is named to users ("imported from VLMEvalKit sheet …"). */
export const SOURCE_TITLES: Record<HarnessSource, string> = {
  'lmms-eval': 'lmms-eval samples log',
  vlmevalkit: 'VLMEvalKit sheet',
  llava: 'MMBench upload sheet',
};

/** One item read from a source file. */
export interface ImportedRow {
  id: string;
  /** The raw model output as the source recorded it. */
  prediction: string;
  /**
   * The references in the predictions schema, as far as the source holds them; null when the
   * source lacks the ground truth (joined from --data by id).
   */
  references: Record<string, unknown> | null;
  /** Fields the source adds on top of joined references (e.g. MM-Vet grades, MMMU `parsed`). */
  extra?: Record<string, unknown>;
  question?: string;
  /** Where the row is, for messages: `file row 12`, `file:13`, `file["v1_3"]`. */
  where: string;
}

/** A score the source printed itself, shown beside cogeval's under the matching profile. */
export interface PrintedScore {
  bench: BenchId;
  /** The cogeval profile whose rules the source follows. */
  profile: ProfileId;
  /** On the table's scale (percent, or OCRBench points of 1000). */
  value: number;
  /** What it is, e.g. `results_2024-06-01.json mmmu_val "mmmu_acc,none"`. */
  label: string;
}

export interface SourceRead {
  source: ImportSource;
  bench: BenchId;
  /** The files the rows came from (and printed scores, judge files). */
  files: string[];
  /** E.g. `VLMEvalKit sheet cogvlm2_MMBench_DEV_EN.xlsx`. */
  label: string;
  rows: ImportedRow[];
  printed: PrintedScore[];
  /** Rows that could not be read (file, row, field, why); they are never scored. */
  problems: string[];
  /** Notes for the user (e.g. what a profile does with this source). */
  notes: string[];
}

/** What run.json records about an imported run (`imported` field). */
export interface ImportProvenance {
  source: ImportSource;
  /** "imported from VLMEvalKit sheet …" */
  label: string;
  files: { name: string; path: string; sha256: string; bytes: number }[];
  printed: PrintedScore[];
  /** Rows whose ground truth was joined from the dataset (--data), and the ids it lacked. */
  joined?: { dataset: string; rows: number; unmatched: string[] };
  /** Rows left out (--skip-invalid), with why. */
  skipped: string[];
  notes: string[];
  importedAt: string;
}
