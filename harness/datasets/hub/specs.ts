// The per-source data specifications of a benchmark's data.json (validated by catalog.ts).

/** A Hugging Face dataset split stored as parquet shards. */
export interface HfDatasetSpec {
  /** `org/name` as lmms-eval reads it. */
  repo: string;
  /** Other names of the same repository (renames); a cache filled under any of them is used. */
  aliases: string[];
  config: string;
  split: string;
  /** Folder inside the repository holding the split's shards ('' = root). */
  dir: string;
  /** Glob on the shard file names, `*` = any characters: `validation-*.parquet`. */
  pattern: string;
  /** Shard paths seen in public code; documentation only, the listing at the commit decides. */
  knownFiles: string[];
  /** SHA-256 of shards known from public code, checked in addition to the Hub's LFS oid. */
  knownSha256: Record<string, string>;
  /** A pinned 40-hex commit, or null: `data pull` resolves 'main' once and locks it. */
  revision: string | null;
  revisionSource: string;
  /** Expected number of rows of the split (a mismatch is reported, not fatal). */
  rows: number;
}

/** A VLMEvalKit TSV (LMUData). */
export interface TsvDatasetSpec {
  /** VLMEvalKit's dataset name, e.g. `TextVQA_VAL`. */
  name: string;
  file: string;
  url: string;
  md5: string;
  /** Where URL and MD5 were taken from. */
  source: string;
  rows: number;
}

/** The bundled demo set: data/demo/<dir>/<path>/<pattern>, laid out like the HF repository. */
export interface DemoDatasetSpec {
  dir: string;
  path: string;
  pattern: string;
}
