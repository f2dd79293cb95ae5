// OCRBench (v1) scoring: per-item containment rules, the HME formula rule, the profile
// differences and the category grouping of scoring.md §8 (profiles per §2.3, strip per §2.4).
import { RecordError, readRecordId, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';
import { pyContains, pyLiteralList, pyLower, pyStrip } from '../../metrics/py.js';

/** The ten OCRBench categories (HF `question_type`, authors' `type`), in the order of §8.1. */
export const OCRBENCH_CATEGORIES = [
  'Regular Text Recognition',
  'Irregular Text Recognition',
  'Artistic Text Recognition',
  'Handwriting Recognition',
  'Digit String Recognition',
  'Non-Semantic Text Recognition',
  'Scene Text-centric VQA',
  'Doc-oriented VQA',
  'Key Information Extraction',
  'Handwritten Mathematical Expression Recognition',
] as const;
export type OcrBenchCategory = (typeof OCRBENCH_CATEGORIES)[number];

/** The six categories whose points add up to the reported "Text Recognition" score (§8.1). */
export const TEXT_RECOGNITION_CATEGORIES: readonly OcrBenchCategory[] = OCRBENCH_CATEGORIES.slice(0, 6);
export const TEXT_RECOGNITION = 'Text Recognition';

/** The category that selects the HME rule under `vlmevalkit` (§8.3). */
export const HME_CATEGORY: OcrBenchCategory = 'Handwritten Mathematical Expression Recognition';
/** The source dataset that selects the HME rule under `official` and `lmms-eval*` (§8.3). */
export const HME_DATASET = 'HME100k';

/** Category key under which each item is also counted in its reported sub-score. */
export const SUBSCORE_KEY = 'subscore';

export const OCRBENCH_PROFILES = ['official', 'lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit'] as const satisfies readonly ProfileId[];
export type OcrBenchProfile = (typeof OCRBENCH_PROFILES)[number];

export interface OcrBenchItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  /** The answer cell as given: one answer (string) or a list of answers. */
  answer: string | readonly string[];
  category: OcrBenchCategory;
  /** Source dataset name (HF `dataset`, authors' `dataset_name`), e.g. "HME100k". */
  dataset: string;
}

export function isOcrBenchCategory(x: unknown): x is OcrBenchCategory {
  return typeof x === 'string' && (OCRBENCH_CATEGORIES as readonly string[]).includes(x);
}

export function isOcrBenchProfile(x: unknown): x is OcrBenchProfile {
  return typeof x === 'string' && (OCRBENCH_PROFILES as readonly string[]).includes(x);
}

/** The reported sub-score an item counts towards: "Text Recognition" or its own category. */
export function ocrbenchSubscore(category: OcrBenchCategory): string {
  return TEXT_RECOGNITION_CATEGORIES.includes(category) ? TEXT_RECOGNITION : category;
}

/** HME transform (§8.3): strip, then each "\n" → space, then remove every U+0020 (no other whitespace). */
export function hmeNormalize(text: string): string {
  return pyStrip(text).replaceAll('\n', ' ').replaceAll(' ', '');
}

/** Non-HME transform (§8.3): lower-case, then strip, then each "\n" → space ("\r" is kept). */
export function textNormalize(text: string): string {
  return pyStrip(pyLower(text)).replaceAll('\n', ' ');
}

/** lmms-eval's fullwidth folding (§8.3): U+FF01–U+FF5E → U+0021–U+007E, U+3000 → space. */
export function foldFullwidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code === 0x3000 ? ' ' : String.fromCharCode(code - 0xfee0);
  });
}

/** The index of the first answer hit under the HME rule (case-sensitive containment), or -1. */
export function hmeHitIndex(answers: readonly string[], prediction: string): number {
  const pred = hmeNormalize(prediction);
  return answers.findIndex((a) => pyContains(pred, hmeNormalize(a)));
}

/** The index of the first answer hit under the non-HME rule, or -1; `fold` adds lmms-eval's folding. */
export function textHitIndex(answers: readonly string[], prediction: string, fold: boolean): number {
  const prep = fold ? (s: string) => textNormalize(foldFullwidth(s)) : textNormalize;
  const pred = prep(prediction);
  return answers.findIndex((a) => pyContains(pred, prep(a)));
}

/**
 * The answers an answer cell stands for. A list is used as is; a string is one answer, except
 * under `vlmevalkit`, which evaluates its answer cell as a Python list literal (§8.3): there a
 * string that is a list/tuple literal of strings yields those strings.
 */
export function answerList(answer: string | readonly string[], profile: OcrBenchProfile): readonly string[] {
  if (typeof answer !== 'string') return answer;
  if (profile === 'vlmevalkit') {
    const evaluated = pyLiteralList(answer);
    if (evaluated !== undefined && evaluated.every((x): x is string => typeof x === 'string')) return evaluated;
  }
  return [answer];
}

/** Whether the profile scores the item with the HME rule: by category (`vlmevalkit`) or source dataset. */
export function usesHmeRule(item: Pick<OcrBenchItem, 'category' | 'dataset'>, profile: OcrBenchProfile): boolean {
  return profile === 'vlmevalkit' ? item.category === HME_CATEGORY : item.dataset === HME_DATASET;
}

export interface OcrBenchVerdict {
  score: 0 | 1;
  rule: 'hme' | 'text';
  /** Index into the answer list of the first answer found in the prediction; -1 when none. */
  hitIndex: number;
}

/** Per-item score (0 or 1) of one OCRBench item under one profile (§8.3, with §2.4's strip). */
export function ocrbenchItemVerdict(
  item: Pick<OcrBenchItem, 'prediction' | 'answer' | 'category' | 'dataset'>,
  profile: OcrBenchProfile,
): OcrBenchVerdict {
  const answers = answerList(item.answer, profile);
  let prediction = item.prediction;
  if (profile === 'lmms-eval' || profile === 'lmms-eval@2024-05') prediction = pyStrip(prediction);
  // lmms-eval until 2026-04-10 lower-cased the prediction before choosing the rule.
  if (profile === 'lmms-eval@2024-05') prediction = pyLower(prediction);
  const hme = usesHmeRule(item, profile);
  const hitIndex = hme ? hmeHitIndex(answers, prediction) : textHitIndex(answers, prediction, profile === 'lmms-eval');
  return { score: hitIndex >= 0 ? 1 : 0, rule: hme ? 'hme' : 'text', hitIndex };
}

export function ocrbenchItemScore(
  item: Pick<OcrBenchItem, 'prediction' | 'answer' | 'category' | 'dataset'>,
  profile: OcrBenchProfile,
): 0 | 1 {
  return ocrbenchItemVerdict(item, profile).score;
}

/** Points as the references report them (§8.4): per category, "Text Recognition" and "Final Score". */
export interface OcrBenchPoints {
  byCategory: Record<OcrBenchCategory, number>;
  textRecognition: number;
  final: number;
}

/** Sums 0/1 item results into points per category (§8.1/§8.4). */
export function ocrbenchPoints(results: readonly ItemResult[]): OcrBenchPoints {
  const byCategory = Object.fromEntries(OCRBENCH_CATEGORIES.map((c) => [c, 0])) as Record<OcrBenchCategory, number>;
  for (const r of results) {
    const category = r.categories['category'];
    if (r.value === null || !isOcrBenchCategory(category)) continue;
    byCategory[category] += r.value;
  }
  const textRecognition = TEXT_RECOGNITION_CATEGORIES.reduce((sum, c) => sum + byCategory[c], 0);
  const final = OCRBENCH_CATEGORIES.reduce((sum, c) => sum + byCategory[c], 0);
  return { byCategory, textRecognition, final };
}

function requireProfile(profile: ProfileId): OcrBenchProfile {
  if (!isOcrBenchProfile(profile)) {
    throw new Error(`OCRBench has no profile "${profile}"; valid profiles: ${OCRBENCH_PROFILES.join(', ')}`);
  }
  return profile;
}

/** The first of `names` present (not undefined/null) in the record, with its name. */
function firstField(rec: Record<string, unknown>, names: readonly string[]): [string, unknown] | undefined {
  for (const name of names) {
    if (rec[name] !== undefined && rec[name] !== null) return [name, rec[name]];
  }
  return undefined;
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item identifier (string or number).' },
  { name: 'prediction', required: true, description: 'Raw model output (string).' },
  {
    name: 'answer',
    required: true,
    description:
      'Reference answer(s): a string (one answer) or a list of strings (HF echo840/OCRBench `answer`; `answers` also accepted). ' +
      'Under vlmevalkit a string holding a Python list literal is evaluated, as VLMEvalKit does.',
  },
  {
    name: 'question_type',
    required: true,
    description: `The OCRBench category, one of: ${OCRBENCH_CATEGORIES.join('; ')} (HF \`question_type\`; \`category\` also accepted).`,
  },
  {
    name: 'dataset',
    required: true,
    description: 'Source dataset name, e.g. "HME100k", "IIIT5K" (HF `dataset`; `dataset_name` also accepted).',
  },
];

function parseOcrBenchRecord(rec: Record<string, unknown>): OcrBenchItem {
  const id = readRecordId(rec);
  const prediction = readRecordPrediction(rec);

  const answerField = firstField(rec, ['answer', 'answers']);
  if (answerField === undefined) throw new RecordError('answer', 'field "answer" (or "answers") is missing');
  const [answerName, answerValue] = answerField;
  let answer: string | readonly string[];
  if (typeof answerValue === 'string') answer = answerValue;
  else if (Array.isArray(answerValue) && answerValue.every((a): a is string => typeof a === 'string')) answer = [...answerValue];
  else throw new RecordError(answerName, `field "${answerName}" must be a string or a list of strings`);

  const categoryField = firstField(rec, ['question_type', 'category']);
  if (categoryField === undefined) throw new RecordError('question_type', 'field "question_type" (or "category") is missing');
  const [categoryName, category] = categoryField;
  if (!isOcrBenchCategory(category)) {
    throw new RecordError(
      categoryName,
      `field "${categoryName}" must be one of the OCRBench categories: ${OCRBENCH_CATEGORIES.join('; ')}`,
    );
  }

  const datasetField = firstField(rec, ['dataset', 'dataset_name']);
  if (datasetField === undefined) throw new RecordError('dataset', 'field "dataset" (or "dataset_name") is missing');
  const [datasetName, dataset] = datasetField;
  if (typeof dataset !== 'string') throw new RecordError(datasetName, `field "${datasetName}" must be a string`);

  return { id, prediction, answer, category, dataset };
}

export const ocrbenchScorer: BenchScorer<OcrBenchItem> = {
  bench: 'ocrbench',
  profiles: OCRBENCH_PROFILES,
  defaultProfile: 'official',
  scale: 'points1000',
  binary: true,
  recordFields: RECORD_FIELDS,
  parseRecord: parseOcrBenchRecord,
  scoreItems(items: readonly OcrBenchItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] {
    const ocrProfile = requireProfile(profile);
    return items.map((item) => {
      const verdict = ocrbenchItemVerdict(item, ocrProfile);
      return {
        id: item.id,
        value: verdict.score,
        status: 'scored',
        categories: { category: item.category, [SUBSCORE_KEY]: ocrbenchSubscore(item.category) },
        detail: { rule: verdict.rule, hitIndex: verdict.hitIndex },
      };
    });
  },
};
