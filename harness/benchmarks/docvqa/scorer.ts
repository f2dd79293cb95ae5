// DocVQA scoring (scoring.md §6): anchor ANLS (τ = 0.5), pix2struct ANLS, and the DocVQA BenchScorer.
import { PyError, levenshtein, pyLen, pyLiteralList, pyLower, pySplit, pyStrip, pyUpper } from '../../metrics/py.js';
import { RecordError, readRecordId, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';

/** ANLS threshold of every reference (scoring.md §6.2, §6.3). */
export const ANLS_THRESHOLD = 0.5;

export const DOCVQA_PROFILES = [
  'lmms-eval',
  'lmms-eval@2024-05',
  'vlmevalkit',
  'vlmevalkit@2024-05',
  'pix2struct',
] as const satisfies readonly ProfileId[];
export type DocvqaProfile = (typeof DOCVQA_PROFILES)[number];

export interface DocvqaItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  /** Ground-truth answers (at least one). */
  answers: string[];
  /** Optional DocVQA `question_types` (breakdown categories). */
  questionTypes?: string[];
}

export function isDocvqaProfile(profile: string): profile is DocvqaProfile {
  return (DOCVQA_PROFILES as readonly string[]).includes(profile);
}

function requireDocvqaProfile(profile: string): DocvqaProfile {
  if (!isDocvqaProfile(profile)) {
    throw new Error(`DocVQA has no profile '${profile}'; valid profiles: ${DOCVQA_PROFILES.join(', ')}`);
  }
  return profile;
}

/** `" ".join(s.strip().lower().split())`: the anchors' answer normalisation (§6.2). */
export function anlsNormalize(text: string): string {
  return pySplit(pyLower(pyStrip(text))).join(' ');
}

/**
 * Normalised Levenshtein distance of one (answer, prediction) pair under the anchors (§6.2):
 * distance between the normalised texts, divided by the larger `len(x.upper())` of the
 * unnormalised texts; 0 when that length is 0.
 */
export function anchorNormalizedDistance(answer: string, prediction: string): number {
  const distance = levenshtein(anlsNormalize(answer), anlsNormalize(prediction));
  const length = Math.max(pyLen(pyUpper(answer)), pyLen(pyUpper(prediction)));
  return length === 0 ? 0 : distance / length;
}

/**
 * Anchor ANLS of one question (lmms-eval / VLMEvalKit arithmetic, §6.2), on the prediction exactly
 * as given (callers strip it first under lmms-eval): `1 - min NL`, replaced by 0 below 0.5.
 * Throws PyError('ValueError') for an empty answer list (Python `min([])`).
 */
export function anchorAnls(prediction: string, answers: readonly string[]): number {
  if (answers.length === 0) throw new PyError('ValueError', 'min() arg is an empty sequence');
  let minDistance = Number.POSITIVE_INFINITY;
  for (const answer of answers) {
    const nl = anchorNormalizedDistance(answer, prediction);
    if (nl < minDistance) minDistance = nl;
  }
  const score = 1 - minDistance;
  return score < ANLS_THRESHOLD ? 0 : score;
}

/**
 * pix2struct `anls_metric(target, prediction)` on already lower-cased strings (§6.3): no strip,
 * no whitespace collapsing, `1 - NL` when NL < 0.5 strictly, else 0.
 * Throws PyError('ZeroDivisionError') when both strings are empty.
 */
export function pix2structAnlsPair(target: string, prediction: string): number {
  const length = Math.max(pyLen(target), pyLen(prediction));
  if (length === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  const nl = levenshtein(target, prediction) / length;
  return nl < ANLS_THRESHOLD ? 1 - nl : 0;
}

/**
 * pix2struct ANLS of one question (§6.3): max over answers of the pair score on lower-cased
 * strings. Every pair is evaluated (a generator inside `max`), so any empty/empty pair raises.
 */
export function pix2structAnls(prediction: string, answers: readonly string[]): number {
  if (answers.length === 0) throw new PyError('ValueError', 'max() arg is an empty sequence');
  const lowerPrediction = pyLower(prediction);
  let best = Number.NEGATIVE_INFINITY;
  for (const answer of answers) {
    const score = pix2structAnlsPair(pyLower(answer), lowerPrediction);
    if (score > best) best = score;
  }
  return best;
}

/** True for the profiles whose framework strips model output before scoring (§2.4). */
function stripsOutput(profile: DocvqaProfile): boolean {
  return profile === 'lmms-eval' || profile === 'lmms-eval@2024-05';
}

/**
 * Per-question DocVQA score under a profile, from the raw model output: lmms-eval profiles strip
 * the prediction first (§2.4); VLMEvalKit profiles use it as is; pix2struct uses its own ANLS.
 */
export function docvqaItemScore(rawPrediction: string, answers: readonly string[], profile: ProfileId): number {
  const p = requireDocvqaProfile(profile);
  if (p === 'pix2struct') return pix2structAnls(rawPrediction, answers);
  return anchorAnls(stripsOutput(p) ? pyStrip(rawPrediction) : rawPrediction, answers);
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item id (DocVQA questionId), string or number.' },
  { name: 'prediction', required: true, description: 'Raw model output for the question.' },
  {
    name: 'answers',
    required: true,
    description: 'Ground-truth answers: a non-empty list of strings, or a Python list literal of strings as in the dataset.',
  },
  {
    name: 'question_types',
    required: false,
    description: 'DocVQA question types (list of strings or a Python list literal); used for the per-type breakdown.',
  },
];

/** A list of strings, given as a JSON array or as a Python list literal string; undefined otherwise. */
function readStringList(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? pyLiteralList(value) : undefined;
  if (list === undefined || !list.every((x): x is string => typeof x === 'string')) return undefined;
  return list;
}

function parseDocvqaRecord(rec: Record<string, unknown>): DocvqaItem {
  const id = readRecordId(rec);
  const prediction = readRecordPrediction(rec);
  const answers = readStringList(rec['answers']);
  if (answers === undefined) {
    throw new RecordError('answers', 'answers must be a list of strings or a Python list literal of strings');
  }
  if (answers.length === 0) throw new RecordError('answers', 'answers must not be empty');
  const item: DocvqaItem = { id, prediction, answers };
  const rawTypes = rec['question_types'];
  if (rawTypes !== undefined && rawTypes !== null) {
    // A plain string (not a list literal) is one question type.
    const questionTypes = readStringList(rawTypes) ?? (typeof rawTypes === 'string' ? [rawTypes] : undefined);
    if (questionTypes === undefined) {
      throw new RecordError('question_types', 'question_types must be a string, a list of strings or a Python list literal of strings');
    }
    item.questionTypes = questionTypes;
  }
  return item;
}

function scoreDocvqaItems(items: readonly DocvqaItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] {
  const p = requireDocvqaProfile(profile);
  return items.map((item): ItemResult => {
    const categories: Record<string, string | string[]> = {};
    if (item.questionTypes !== undefined && item.questionTypes.length > 0) categories['question_type'] = item.questionTypes;
    try {
      return { id: item.id, value: docvqaItemScore(item.prediction, item.answers, p), status: 'scored', categories };
    } catch (err) {
      // pix2struct raises on an empty prediction against an empty answer; the item cannot be scored.
      if (err instanceof PyError) {
        return { id: item.id, value: null, status: 'not_applicable', categories, detail: { error: err.pyName } };
      }
      throw err;
    }
  });
}

export const docvqaScorer: BenchScorer<DocvqaItem> = {
  bench: 'docvqa',
  profiles: DOCVQA_PROFILES,
  defaultProfile: 'lmms-eval',
  scale: 'percent',
  binary: false,
  recordFields: RECORD_FIELDS,
  parseRecord: parseDocvqaRecord,
  scoreItems: scoreDocvqaItems,
};
