// The contract of a benchmark adapter: its splits and configs, where its data lives in each
// source (HF parquet columns, VLMEvalKit TSV names, the official layout), and the row → Sample map.
import type { BenchId } from '../metrics/types.js';
import type { OfficialPart } from './sources/official.js';
import type { SourceRow } from './sources/row.js';
import type { Sample } from './types.js';

/** What an adapter fills in; the stream adds `bench` and `index`. */
export type SampleParts = Omit<Sample, 'bench' | 'index'>;

/** The three data formats. `demo` data is in the HF parquet format. */
export type SourceFormat = 'hf' | 'vlmevalkit' | 'official';

export interface RowContext {
  split: string;
  config: string | undefined;
  /** False for splits whose answers are not public (DocVQA test, MMBench test). */
  hasAnswers: boolean;
}

export interface HfLayout {
  /** The repository the reference harness (lmms-eval) reads. */
  repo: string;
  /** Other repositories with the same columns (e.g. MMMU/MMMU, one config per subject). */
  alsoRepos?: readonly string[];
  /** The repository's configs whose files may sit side by side with this one's in one snapshot folder. */
  siblingConfigs?: readonly string[];
  /** The HF config for a cogeval config (DocVQA → "DocVQA", MMBench en/cn); undefined = default. */
  hfConfig(config: string | undefined): string | undefined;
  /** HF split name for a cogeval split. */
  hfSplit(split: string): string;
  required: readonly string[];
  /** Columns required only for splits with public answers. */
  answerColumns?: readonly string[];
  optional?: readonly string[];
  imageColumns: readonly string[];
}

export interface TsvLayout {
  /** VLMEvalKit dataset names for a split/config; the file is `<name>.tsv` (or `<name>_local.tsv`). */
  names(split: string, config: string | undefined): readonly string[];
  required: readonly string[];
  /** Columns required only for splits with public answers. */
  answerColumns?: readonly string[];
  /** A column filter selecting the split inside a shared file (MMMU_DEV_VAL). */
  filter?(split: string): { column: string; value: string } | undefined;
}

export type OfficialLayout =
  | {
      /** The authors distribute JSON plus image files. */
      kind: 'json';
      /** The layout in words, for "not found" messages. */
      describe: string;
      /** The JSON files for a split under a directory, or undefined when this layout is not there. */
      find(dir: string, split: string): Promise<string[] | undefined>;
      /** Parses the JSON files into entries with image candidates. */
      load(files: readonly string[], split: string): Promise<OfficialPart[]>;
    }
  | {
      /** The official release is a TSV in VLMEvalKit's column format (MMBench). */
      kind: 'tsv';
      describe: string;
      /** File-name patterns of the official release for a split/config. */
      patterns(split: string, config: string | undefined): readonly RegExp[];
    }
  | {
      /** The official release is the HF parquet dataset itself (MMMU). */
      kind: 'parquet';
      describe: string;
    };

export interface BenchAdapter {
  bench: BenchId;
  /** cogeval split names; aliases (val → validation) are resolved by openDataset. */
  splits: readonly string[];
  defaultSplit: string;
  /** Configs (MMBench languages en/cn); absent when the benchmark has one. */
  configs?: readonly string[];
  defaultConfig?: string;
  /** Whether a split's answers are public (scorable locally). */
  hasAnswers(split: string): boolean;
  hf: HfLayout;
  tsv: TsvLayout;
  official: OfficialLayout;
  /**
   * Maps one row to a Sample's parts; throws RowError naming the column of an unusable cell.
   * `index` is the row's position in the dataset (the id of datasets without an id column).
   */
  toSample(row: SourceRow, format: SourceFormat, ctx: RowContext, index: number): SampleParts;
  /** The row's id where it can be read (for failure reports), else undefined. */
  idOf(row: SourceRow, format: SourceFormat, index: number): string | undefined;
}
