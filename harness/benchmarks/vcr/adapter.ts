// VCR dataset adapter pieces: the English easy/hard test sets in the HF parquet layout
// (vcr-org/VCR-wiki-en-{easy,hard}-test), VLMEvalKit's VCR_EN_* TSVs, and the row → sample map.
import type { HfLayout, OfficialLayout, RowContext, SourceFormat, TsvLayout } from '../../datasets/adapter.js';
import { idText, optText, stringList, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import type { ImageRef } from '../../datasets/types.js';
import { VCR_INSTRUCTION } from './prompts.js';

export type VcrDifficulty = 'easy' | 'hard';

/** The cogeval split names: `test` (all 5,000), `test-500` and `test-100` (the authors' subsets). */
export const VCR_SPLITS = ['test', 'test-500', 'test-100'] as const;
export type VcrSplit = (typeof VCR_SPLITS)[number];

/** What the VCR adapter fills in; the same shape as a Sample's parts, with the bench id generic. */
export interface VcrSampleParts<B extends string> {
  id: string;
  question: string;
  images: ImageRef[];
  prompt: { bench: B; question: string };
  /** Exactly what the VCR scorer's parseRecord reads. */
  references: { crossed_text: string[] };
  categories: Record<string, string | string[]>;
  extra: Record<string, unknown>;
}

/** The adapter contract of harness/datasets/adapter.ts with the bench id as a type parameter. */
export interface VcrAdapter<B extends string> {
  bench: B;
  title: string;
  splits: readonly string[];
  defaultSplit: string;
  hasAnswers(split: string): boolean;
  hf: HfLayout;
  tsv: TsvLayout;
  official: OfficialLayout;
  toSample(row: SourceRow, format: SourceFormat, ctx: RowContext, index: number): VcrSampleParts<B>;
  idOf(row: SourceRow, format: SourceFormat, index: number): string | undefined;
}

/** HF repository of a difficulty and split (the 5,000-row test set is the one the table reports). */
export function vcrHfRepo(difficulty: VcrDifficulty, split: string): string {
  const base = `vcr-org/VCR-wiki-en-${difficulty}-test`;
  if (split === 'test-500') return `${base}-500`;
  if (split === 'test-100') return `${base}-100`;
  return base;
}

/** VLMEvalKit dataset names: VCR_EN_EASY_ALL (5,000), VCR_EN_EASY_500, VCR_EN_EASY_100, and HARD. */
export function vcrTsvName(difficulty: VcrDifficulty, split: string): string {
  const size = split === 'test-500' ? '500' : split === 'test-100' ? '100' : 'ALL';
  return `VCR_EN_${difficulty.toUpperCase()}_${size}`;
}

function idOf(row: SourceRow, format: SourceFormat, index: number): string {
  if (format === 'vlmevalkit') return idText(row, 'index');
  // The -test repositories carry question_id; the full train/validation/test repository does not.
  const qid = row.cells['question_id'];
  return qid === undefined || qid === null ? String(index) : idText(row, 'question_id');
}

function crossedTexts(row: SourceRow, format: SourceFormat): string[] {
  const column = format === 'vlmevalkit' ? 'answer' : 'crossed_text';
  const list = stringList(row, column);
  if (list.length === 0) throw new RowError(column, `column "${column}" lists no masked text (a VCR sample needs at least one)`);
  return list;
}

/**
 * Row → sample. The image sent is the one lmms-eval sends: `stacked_image` (the picture with the
 * partly covered caption below it) for HF parquet and demo rows; the TSV's `image` column for
 * VLMEvalKit. `only_it_image` (the caption strip alone, the authors' second setting) is not sent.
 */
export function vcrToSample<B extends string>(bench: B, row: SourceRow, format: SourceFormat, index: number): VcrSampleParts<B> {
  const id = idOf(row, format, index);
  const crossed = crossedTexts(row, format);
  const imageColumn = format === 'vlmevalkit' ? 'image' : 'stacked_image';
  const images = [...(row.images[imageColumn] ?? [])];
  if (images.length === 0) throw new RowError(imageColumn, `column "${imageColumn}" holds no image`);
  const question = format === 'vlmevalkit' ? (optText(row, 'question') ?? VCR_INSTRUCTION) : VCR_INSTRUCTION;
  const caption = format === 'vlmevalkit' ? null : text(row, 'caption');
  return {
    id,
    question,
    images,
    prompt: { bench, question },
    references: { crossed_text: crossed },
    categories: {},
    extra: caption === null ? {} : { caption },
  };
}

/** The adapter of one VCR benchmark (`vcr_easy` or `vcr_hard`). */
export function makeVcrAdapter<B extends string>(bench: B, difficulty: VcrDifficulty): VcrAdapter<B> {
  return {
    bench,
    title: `VCR ${difficulty === 'easy' ? 'Easy' : 'Hard'} (English)`,
    splits: VCR_SPLITS,
    defaultSplit: 'test',
    hasAnswers: () => true,
    hf: {
      repo: vcrHfRepo(difficulty, 'test'),
      alsoRepos: [vcrHfRepo(difficulty, 'test-500'), vcrHfRepo(difficulty, 'test-100')],
      hfConfig: () => undefined,
      // Every -test repository has a single split named "test".
      hfSplit: () => 'test',
      required: ['caption', 'stacked_image', 'crossed_text'],
      optional: ['question_id', 'image', 'only_it_image', 'only_it_image_small'],
      imageColumns: ['stacked_image'],
    },
    tsv: { names: (split) => [vcrTsvName(difficulty, split)], required: ['answer'] },
    official: {
      kind: 'parquet',
      describe: `the authors distribute the HF parquet dataset itself (${vcrHfRepo(difficulty, 'test')}, data/test-*.parquet)`,
    },
    toSample: (row, format, _ctx, index) => vcrToSample(bench, row, format, index),
    idOf,
  };
}
