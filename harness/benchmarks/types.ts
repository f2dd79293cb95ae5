// The contract of a benchmark module: one object per benchmark (harness/benchmarks/<id>/index.ts)
// that declares everything cogeval knows about it. Every member is required, so a module that
// lacks a piece does not compile; registry.ts lists the modules.
import type { BenchAdapter } from '../datasets/adapter.js';
import type { BenchScorer } from '../metrics/scorer.js';
import type { JudgeMode, ProfileId } from '../metrics/types.js';
import type { GenerationSettings, PromptSample, ProtocolId } from '../protocols/types.js';
import type { JudgeTask } from '../run/judge.js';
import type { SourceRead } from '../import/types.js';
import type { VectorChecks } from '../verify/markers.js';

/** One protocol's prompt settings for a benchmark (a section of the module's prompts.json). */
export interface ProtocolPromptSettings {
  generation: GenerationSettings;
  notes: string;
  /** `vlmevalkit` only: what CogVlm.generate_inner appends to an MCQ dataset's prompt ("\nShort Answer."). */
  shortAnswerSuffix?: string;
}

/**
 * A protocol whose harness revision predates the benchmark (VCR under lmms-eval@2024-05): runs
 * under it refuse the benchmark with this reason (exit 2) instead of inventing a prompt.
 */
export interface UnavailableProtocol {
  unavailable: string;
}

/**
 * A benchmark's prompt settings under every protocol (its prompts.json). They are hashed into
 * every run's configuration (run/prompt-configs.ts), so a changed string never mixes into an old run.
 */
export type PromptSettings = Record<ProtocolId, ProtocolPromptSettings | UnavailableProtocol> & {
  /** Prompt settings of the benchmark authors' own harness, where cogeval reproduces it (MMMU). */
  official?: Record<string, unknown>;
};

export interface BenchmarkPrompts<P extends PromptSample> {
  settings: PromptSettings;
  /**
   * The model prompt (user turn) the protocol's harness builds for a sample: lmms-eval's
   * `doc_to_text`, VLMEvalKit's `build_prompt`, or the cogvlm2 protocol's prompt.
   */
  userPrompt(protocol: ProtocolId, sample: P): string;
  /** A prompt sample of this benchmark's shape, for building settings without data (run config). */
  dummy: P;
}

/** The judge a benchmark's scorer can hand items to (NO_JUDGE when it never needs one). */
export interface BenchmarkJudge {
  /** The judge tasks of one run's records under one profile (empty when none are needed). */
  tasks(records: readonly Record<string, unknown>[], profile: ProfileId, judgeMode: JudgeMode, judgeModel?: string, judgeRuns?: number): JudgeTask[];
  /** The judge model the score under a profile relies on (null: no judge involved). */
  modelFor(profile: ProfileId, judgeMode: JudgeMode, override?: string): string | null;
  /** True when every item needs a judge (MM-Vet): `eval` warns when no judge endpoint is given. */
  alwaysNeeded: boolean;
}

/** How records group into scoring units (ITEM_UNITS: one unit per record). */
export interface ScoringUnits {
  /** The id judge tasks use for a predictions record. */
  judgeKey(rec: Record<string, unknown>): string;
  /** The scoring unit (ItemResult id) a judge-task id belongs to. */
  unitOf(judgeKey: string): string;
  /** The number that decides a sample's shard (its scoring unit; samples of one unit share a shard). */
  shardUnit(sample: { id: string; index: number }): number;
}

/** The gold answer(s) and options the report shows beside a prediction. */
export interface ReferenceText {
  gold: string;
  options: string;
}

/** The benchmark authors' own output files, read by `cogeval import --from <source>`. */
export interface AuthorsOutputReader {
  /** The `--from` name. */
  source: string;
  /** How the source is named to users ("imported from MMMU authors' output …"). */
  title: string;
  /** A file of this source whose extension looks like a VLMEvalKit sheet (MM-Vet's cap-score CSV). */
  ownsSheetFile(file: string): boolean;
  /** Reads the files (load the reader lazily: most commands never import). */
  read(files: readonly string[]): Promise<SourceRead>;
}

/** What `cogeval import` needs to know about the benchmark in other harnesses' files. */
export interface BenchmarkImport {
  /** The metric lmms-eval's results*.json prints as the score, and whether in percent; null: none read. */
  lmmsEvalPrinted: { metric: string; percent: boolean } | null;
  /** A VLMEvalKit sheet of this benchmark with a "score" column is its judge's sheet (MM-Vet). */
  vlmevalkitJudgeSheet: boolean;
  /** A VLMEvalKit sheet's text "id" column is the sample id when the answers are not in the sheet (MMMU). */
  vlmevalkitIdColumn: boolean;
  /** The benchmark authors' own output files, when cogeval reads them. */
  authorsOutput: AuthorsOutputReader | null;
}

export interface BenchmarkModule<Id extends string = string, P extends PromptSample = PromptSample> {
  /** Stable benchmark id (CLI `--bench`, run directories, scores.json keys). Never rename. */
  readonly id: Id;
  /** Display name in reports and messages, e.g. "TextVQA". */
  readonly title: string;
  /** The key of this benchmark's column in configs/reported.json (the CogVLM2 README table). */
  readonly reportedKey: string;
  /** Where the test split's predictions are scored when its answers are not public, and the split to use instead. */
  readonly hiddenAnswers: { scoredBy: string; useSplit: string } | null;
  /** Splits, sources (HF, VLMEvalKit TSV, official) and the row → Sample map. */
  readonly dataset: BenchAdapter;
  /**
   * The data catalog (the module's data.json, validated by datasets/catalog.ts): the HF repository,
   * its pinned commit and files, the VLMEvalKit TSV's URL and MD5, the demo set's layout.
   */
  readonly dataCatalog: unknown;
  /** Where the data catalog is, for messages, when not `harness/benchmarks/<id>/data.json` (a folder holding two modules). */
  readonly dataCatalogFile?: string;
  /** The scorer with its profiles; its `scale` is how the report prints the score. */
  readonly scorer: BenchScorer<unknown>;
  readonly prompts: BenchmarkPrompts<P>;
  readonly judge: BenchmarkJudge;
  readonly units: ScoringUnits;
  /** The reference text the report's sample view shows for a sample's references. */
  referenceText(refs: Record<string, unknown>): ReferenceText;
  /** What `cogeval import` needs to read other harnesses' files of this benchmark. */
  readonly importing: BenchmarkImport;
  /** Scorer-vector checks: vector metric name → label → function (cogeval verify-scorers). */
  readonly vectorChecks: VectorChecks;
}
