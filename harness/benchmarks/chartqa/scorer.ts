// ChartQA scoring (scoring.md §7): relaxed accuracy, per-profile argument order, stripping and
// list-literal targets, and the ChartQA BenchScorer.
import { pyFloatOrNull, pyListLiteralStr, pyLower, pyRstrip, pyStrip } from '../../metrics/py.js';
import { RecordError, readRecordId, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';

/** Largest relative change the relaxed metric accepts (§7.2). */
export const MAX_RELATIVE_CHANGE = 0.05;

export const CHARTQA_PROFILES = [
  'lmms-eval',
  'lmms-eval@2024-05',
  'vlmevalkit',
  'vlmevalkit@2024-05',
  'pix2struct',
] as const satisfies readonly ProfileId[];
export type ChartqaProfile = (typeof CHARTQA_PROFILES)[number];

/** ChartQA test split half, from the dataset's `type` (`human_test` / `augmented_test`). */
export type ChartqaSplit = 'human' | 'augmented';

export interface ChartqaItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  /** The dataset's answer cell, verbatim (may be a Python list literal). */
  answer: string;
  split?: ChartqaSplit;
}

export function isChartqaProfile(profile: string): profile is ChartqaProfile {
  return (CHARTQA_PROFILES as readonly string[]).includes(profile);
}

function requireChartqaProfile(profile: string): ChartqaProfile {
  if (!isChartqaProfile(profile)) {
    throw new Error(`ChartQA has no profile '${profile}'; valid profiles: ${CHARTQA_PROFILES.join(', ')}`);
  }
  return profile;
}

/**
 * `_to_float` of the relaxed metric (§7.2 step 1): a trailing run of `%` is removed and the
 * number divided by 100; otherwise Python `float(text)`. Null when Python's float() rejects it.
 */
export function relaxedToFloat(text: string): number | null {
  if (!text.endsWith('%')) return pyFloatOrNull(text);
  const value = pyFloatOrNull(pyRstrip(text, '%'));
  return value === null ? null : value / 100;
}

/**
 * `relaxed_correctness(target, prediction)` (§7.2): numeric comparison with a 5% relative
 * tolerance when the prediction is a number and the target a non-zero number (NaN counts as
 * non-zero, as Python truthiness does); otherwise case-insensitive exact string equality.
 */
export function relaxedCorrectness(target: string, prediction: string): boolean {
  const predictionFloat = relaxedToFloat(prediction);
  const targetFloat = relaxedToFloat(target);
  if (predictionFloat !== null && targetFloat !== null && targetFloat !== 0) {
    const relativeChange = Math.abs(predictionFloat - targetFloat) / Math.abs(targetFloat);
    return relativeChange <= MAX_RELATIVE_CHANGE;
  }
  return pyLower(prediction) === pyLower(target);
}

/**
 * The targets a profile compares against (§7.3): VLMEvalKit expands an answer cell that is a
 * Python list literal into `str()` of each element; every other profile (and every other cell)
 * uses the cell as the single target.
 */
export function chartqaTargets(answer: string, profile: ProfileId): string[] {
  return targetsOf(answer, requireChartqaProfile(profile));
}

function targetsOf(answer: string, p: ChartqaProfile): string[] {
  if (p === 'vlmevalkit' || p === 'vlmevalkit@2024-05') {
    const elements = pyListLiteralStr(answer);
    if (elements !== undefined) return elements;
  }
  return [answer];
}

/**
 * Per-item ChartQA score under a profile, from the raw model output and the answer cell: 1 or 0
 * (§7.3). lmms-eval and VLMEvalKit strip the prediction, pix2struct does not;
 * `vlmevalkit@2024-05` calls the metric with the arguments swapped. Max over targets.
 */
export function chartqaItemScore(rawPrediction: string, answer: string, profile: ProfileId): number {
  return itemScore(rawPrediction, answer, requireChartqaProfile(profile));
}

function itemScore(rawPrediction: string, answer: string, p: ChartqaProfile): number {
  const prediction = p === 'pix2struct' ? rawPrediction : pyStrip(rawPrediction);
  const swapped = p === 'vlmevalkit@2024-05';
  for (const target of targetsOf(answer, p)) {
    const correct = swapped ? relaxedCorrectness(prediction, target) : relaxedCorrectness(target, prediction);
    if (correct) return 1;
  }
  return 0;
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item id, string or number.' },
  { name: 'prediction', required: true, description: 'Raw model output for the question.' },
  {
    name: 'answer',
    required: true,
    description: 'The dataset answer cell as a string (may be a Python list literal such as "[1, 2]", as in the dataset).',
  },
  {
    name: 'type',
    required: false,
    description: "Test-split half: 'human' or 'augmented' (the dataset's 'human_test' / 'augmented_test' are accepted); used for the split breakdown.",
  },
];

const SPLIT_BY_TYPE: Readonly<Record<string, ChartqaSplit>> = {
  human: 'human',
  human_test: 'human',
  augmented: 'augmented',
  augmented_test: 'augmented',
};

function parseChartqaRecord(rec: Record<string, unknown>): ChartqaItem {
  const itemId = readRecordId(rec);
  const prediction = readRecordPrediction(rec);
  const answer = rec['answer'];
  if (typeof answer !== 'string') throw new RecordError('answer', 'answer must be a string (the dataset answer cell)');
  const item: ChartqaItem = { id: itemId, prediction, answer };
  const type = rec['type'];
  if (type !== undefined && type !== null) {
    const split = typeof type === 'string' ? SPLIT_BY_TYPE[type] : undefined;
    if (split === undefined) {
      throw new RecordError('type', "type must be 'human' or 'augmented' (or 'human_test' / 'augmented_test')");
    }
    item.split = split;
  }
  return item;
}

// Shared, frozen category objects: one per split instead of one per item (read-only downstream).
const NO_CATEGORIES: ItemResult['categories'] = Object.freeze({});
const SPLIT_CATEGORIES: Readonly<Record<ChartqaSplit, ItemResult['categories']>> = {
  human: Object.freeze({ split: 'human' }),
  augmented: Object.freeze({ split: 'augmented' }),
};

function scoreChartqaItems(items: readonly ChartqaItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] {
  const p = requireChartqaProfile(profile);
  return items.map((item): ItemResult => ({
    id: item.id,
    value: itemScore(item.prediction, item.answer, p),
    status: 'scored',
    categories: item.split === undefined ? NO_CATEGORIES : SPLIT_CATEGORIES[item.split],
  }));
}

export const chartqaScorer: BenchScorer<ChartqaItem> = {
  bench: 'chartqa',
  profiles: CHARTQA_PROFILES,
  defaultProfile: 'lmms-eval',
  scale: 'percent',
  binary: true,
  recordFields: RECORD_FIELDS,
  parseRecord: parseChartqaRecord,
  scoreItems: scoreChartqaItems,
};
