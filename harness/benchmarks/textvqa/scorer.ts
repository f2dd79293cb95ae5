// TextVQA scoring (scoring.md §4, §5): the EvalAI, VLMEvalKit and VQA-v2 answer normalisations,
// leave-one-out VQA accuracy with each reference's float arithmetic, and the TextVQA BenchScorer.
import { pyLiteralList, pyLower, pySplit, pyStrip } from '../../metrics/py.js';
import { RecordError, readRecordId, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';

export const TEXTVQA_PROFILES = [
  'lmms-eval',
  'lmms-eval@2024-05',
  'vlmevalkit',
  'vlmevalkit@2024-05',
  'official',
  'vqa-v2@2021',
  'vqa-v2@2016',
] as const satisfies readonly ProfileId[];
export type TextvqaProfile = (typeof TEXTVQA_PROFILES)[number];

export interface TextvqaItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  /** The crowd answers (10 in TextVQA), raw. */
  answers: string[];
}

export function isTextvqaProfile(profile: string): profile is TextvqaProfile {
  return (TEXTVQA_PROFILES as readonly string[]).includes(profile);
}

function requireTextvqaProfile(profile: string): TextvqaProfile {
  if (!isTextvqaProfile(profile)) {
    throw new Error(`TextVQA has no profile '${profile}'; valid profiles: ${TEXTVQA_PROFILES.join(', ')}`);
  }
  return profile;
}

// ---------------------------------------------------------------------------------------------
// Normalisation passes (§5.5–§5.7)
// ---------------------------------------------------------------------------------------------

/** The 21 punctuation characters of §5.5, in the references' order. */
export const PUNCTUATION_CHARS: readonly string[] = [
  ';', '/', '[', ']', '"', '{', '}', '(', ')', '=', '+', '\\', '_', '-', '>', '<', '@', '`', ',', '?', '!',
];

/** True at char code c when c is one of PUNCTUATION_CHARS (all ASCII). */
const IS_PUNCT_CODE: readonly boolean[] = (() => {
  const table: boolean[] = new Array<boolean>(128).fill(false);
  for (const p of PUNCTUATION_CHARS) table[p.charCodeAt(0)] = true;
  return table;
})();
const ANY_PUNCT = /[;/[\]"{}()=+\\_\-><@`,?!]/;
/** Python `(\d)(,)(\d)` with the Unicode `\d` (category Nd). */
const DIGIT_COMMA_DIGIT = /\p{Nd},\p{Nd}/u;
/** Python `(?!<=\d)(\.)(?!\d)`: the look-behind is mistyped as a look-ahead, so only "not followed by a digit". */
const PERIOD_NOT_FOLLOWED_BY_DIGIT = /\.(?!\p{Nd})/gu;
/** VLMEvalKit since 2025-05-13: `(?<!\d)(\.)(?!\d)`. */
const PERIOD_NOT_NEXT_TO_DIGIT = /(?<!\p{Nd})\.(?!\p{Nd})/gu;
/** `re.sub(..., re.UNICODE)` passes re.UNICODE (= 32) as the replacement count. */
export const PERIOD_REPLACEMENT_LIMIT = 32;
const NEWLINE_OR_TAB = /[\n\t]/g;

/**
 * Per-call decision cache of punctuationPass, indexed by char code: the generation in which the
 * decision was made and the replacement ('' delete / ' ' space). Module-level to avoid allocating
 * per call; results never depend on it.
 */
const punctDecisionGeneration = new Int32Array(128);
const punctDecisionReplacement: string[] = new Array<string>(128).fill(' ');
let punctGeneration = 0;

/**
 * Punctuation pass (§5.5) on `text` (E). For each listed character p: delete every p when E contains
 * `p + ' '` or `' ' + p`, or (with `digitCommaCondition`) E contains digit-comma-digit anywhere;
 * otherwise replace every p with one space. All tests look at the entry text.
 */
export function punctuationPass(text: string, digitCommaCondition: boolean): string {
  if (!ANY_PUNCT.test(text)) return text;
  const deleteAll = digitCommaCondition && DIGIT_COMMA_DIGIT.test(text);
  punctGeneration = punctGeneration === 0x7fffffff ? 1 : punctGeneration + 1;
  if (punctGeneration === 1) punctDecisionGeneration.fill(0);
  let out = '';
  let sliceStart = 0;
  // UTF-16 walk is safe: every listed character is ASCII and never part of a surrogate pair.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || !IS_PUNCT_CODE[code]) continue;
    let replacement: string;
    if (punctDecisionGeneration[code] === punctGeneration) {
      replacement = punctDecisionReplacement[code];
    } else {
      const p = text[i];
      replacement = deleteAll || text.includes(p + ' ') || text.includes(' ' + p) ? '' : ' ';
      punctDecisionGeneration[code] = punctGeneration;
      punctDecisionReplacement[code] = replacement;
    }
    out += text.slice(sliceStart, i) + replacement;
    sliceStart = i + 1;
  }
  return out + text.slice(sliceStart);
}

/** Period rules of §5.6. */
export type PeriodRule = 'not-followed-by-digit' | 'not-next-to-digit';

/**
 * Period pass (§5.6): delete the first 32 periods (left to right) that the rule allows; later ones
 * stay. `not-followed-by-digit`: a period not immediately followed by a Unicode digit;
 * `not-next-to-digit`: a period with no Unicode digit immediately before or after it.
 */
export function periodPass(text: string, rule: PeriodRule): string {
  if (!text.includes('.')) return text;
  const pattern = rule === 'not-followed-by-digit' ? PERIOD_NOT_FOLLOWED_BY_DIGIT : PERIOD_NOT_NEXT_TO_DIGIT;
  let deleted = 0;
  return text.replace(pattern, () => (deleted++ < PERIOD_REPLACEMENT_LIMIT ? '' : '.'));
}

/** §5.7 number words (nothing above ten). A Map, so tokens like "constructor" never hit a prototype. */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ['none', '0'], ['zero', '0'], ['one', '1'], ['two', '2'], ['three', '3'], ['four', '4'],
  ['five', '5'], ['six', '6'], ['seven', '7'], ['eight', '8'], ['nine', '9'], ['ten', '10'],
]);
const ARTICLES: ReadonlySet<string> = new Set(['a', 'an', 'the']);

/** The 120-entry contraction table of §5.7, verbatim (capitalised keys and `somebody'd` included). */
export const CONTRACTIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    aint: "ain't", arent: "aren't", cant: "can't", couldve: "could've", couldnt: "couldn't",
    "couldn'tve": "couldn't've", "couldnt've": "couldn't've", didnt: "didn't", doesnt: "doesn't",
    dont: "don't", hadnt: "hadn't", "hadnt've": "hadn't've", "hadn'tve": "hadn't've", hasnt: "hasn't",
    havent: "haven't", hed: "he'd", "hed've": "he'd've", "he'dve": "he'd've", hes: "he's", howd: "how'd",
    howll: "how'll", hows: "how's", "Id've": "I'd've", "I'dve": "I'd've", Im: "I'm", Ive: "I've",
    isnt: "isn't", itd: "it'd", "itd've": "it'd've", "it'dve": "it'd've", itll: "it'll", "let's": "let's",
    maam: "ma'am", mightnt: "mightn't", "mightnt've": "mightn't've", "mightn'tve": "mightn't've",
    mightve: "might've", mustnt: "mustn't", mustve: "must've", neednt: "needn't", notve: "not've",
    oclock: "o'clock", oughtnt: "oughtn't", "ow's'at": "'ow's'at", "'ows'at": "'ow's'at",
    "'ow'sat": "'ow's'at", shant: "shan't", "shed've": "she'd've", "she'dve": "she'd've", "she's": "she's",
    shouldve: "should've", shouldnt: "shouldn't", "shouldnt've": "shouldn't've",
    "shouldn'tve": "shouldn't've", "somebody'd": 'somebodyd', "somebodyd've": "somebody'd've",
    "somebody'dve": "somebody'd've", somebodyll: "somebody'll", somebodys: "somebody's",
    someoned: "someone'd", "someoned've": "someone'd've", "someone'dve": "someone'd've",
    someonell: "someone'll", someones: "someone's", somethingd: "something'd",
    "somethingd've": "something'd've", "something'dve": "something'd've", somethingll: "something'll",
    thats: "that's", thered: "there'd", "thered've": "there'd've", "there'dve": "there'd've",
    therere: "there're", theres: "there's", theyd: "they'd", "theyd've": "they'd've",
    "they'dve": "they'd've", theyll: "they'll", theyre: "they're", theyve: "they've", twas: "'twas",
    wasnt: "wasn't", "wed've": "we'd've", "we'dve": "we'd've", weve: "we've", werent: "weren't",
    whatll: "what'll", whatre: "what're", whats: "what's", whatve: "what've", whens: "when's",
    whered: "where'd", wheres: "where's", whereve: "where've", whod: "who'd", "whod've": "who'd've",
    "who'dve": "who'd've", wholl: "who'll", whos: "who's", whove: "who've", whyll: "why'll",
    whyre: "why're", whys: "why's", wont: "won't", wouldve: "would've", wouldnt: "wouldn't",
    "wouldnt've": "wouldn't've", "wouldn'tve": "wouldn't've", yall: "y'all", "yall'll": "y'all'll",
    "y'allll": "y'all'll", "yall'd've": "y'all'd've", "y'alld've": "y'all'd've", "y'all'dve": "y'all'd've",
    youd: "you'd", "youd've": "you'd've", "you'dve": "you'd've", youll: "you'll", youre: "you're",
    youve: "you've",
  }),
);

/**
 * Digit/article pass (§5.7): lower-case, Python split(), map number words ≤ ten, drop articles,
 * expand contractions, join with single spaces.
 */
export function digitArticlePass(text: string): string {
  const tokens = pySplit(pyLower(text));
  const kept: string[] = [];
  for (const token of tokens) {
    const word = NUMBER_WORDS.get(token) ?? token;
    if (ARTICLES.has(word)) continue;
    kept.push(CONTRACTIONS.get(word) ?? word);
  }
  return kept.join(' ');
}

/** `s.replace('\n', ' ').replace('\t', ' ').strip()` — the first step of VLMEvalKit and the VQA API. */
export function spaceControlsAndStrip(text: string): string {
  return pyStrip(text.includes('\n') || text.includes('\t') ? text.replace(NEWLINE_OR_TAB, ' ') : text);
}

/** Normalisation A — EvalAI's answer processor (§5.3): profiles lmms-eval, lmms-eval@2024-05, official. */
export function normalizeEvalAI(text: string): string {
  let s = pyLower(text);
  if (s.includes(',')) s = s.replaceAll(',', '');
  if (s.includes('?')) s = s.replaceAll('?', '');
  if (s.includes("'s")) s = s.replaceAll("'s", " 's");
  s = spaceControlsAndStrip(pyStrip(s));
  s = punctuationPass(s, false);
  s = periodPass(s, 'not-followed-by-digit');
  return digitArticlePass(s);
}

/** VLMEvalKit revisions that differ in TextVQA normalisation (the period rule, §5.4/§5.6). */
export type VlmevalkitRevision = 'current' | '2024-05';

/** Normalisation B — VLMEvalKit `process_answer` (§5.4). */
export function normalizeVlmevalkit(text: string, revision: VlmevalkitRevision): string {
  let s = spaceControlsAndStrip(text);
  s = punctuationPass(s, true);
  s = periodPass(s, revision === 'current' ? 'not-next-to-digit' : 'not-followed-by-digit');
  return digitArticlePass(s);
}

/** The VQA API's `processPunctuation` (§5.8): §5.5 with the digit-comma condition, then the old period rule; no strip, case kept. */
export function vqaPunctuationPass(text: string): string {
  return periodPass(punctuationPass(text, true), 'not-followed-by-digit');
}

/** The VQA API's `processDigitArticle` (§5.7). */
export function vqaDigitArticlePass(text: string): string {
  return digitArticlePass(text);
}

// ---------------------------------------------------------------------------------------------
// Leave-one-out accuracy (§4) and the references' means
// ---------------------------------------------------------------------------------------------

/**
 * Per-annotator scores of §4 in answer order: for annotator j, `min(1, m_j / 3)` where m_j counts
 * the other answers equal to the prediction (exact string equality).
 */
export function leaveOneOutScores(prediction: string, answers: readonly string[]): number[] {
  let matches = 0;
  for (const answer of answers) if (answer === prediction) matches++;
  return answers.map((answer) => Math.min(1, (matches - (answer === prediction ? 1 : 0)) / 3));
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Correctly rounded (half-to-even) double nearest to num / den, for num ≥ 0, den > 0 and a normal result. */
function ratioToDouble(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const shift = 55 + bitLength(den) - bitLength(num);
  const scaledNum = shift >= 0 ? num << BigInt(shift) : num;
  const scaledDen = shift >= 0 ? den : den << BigInt(-shift);
  const quotient = scaledNum / scaledDen;
  const inexact = scaledNum % scaledDen !== 0n;
  const extraBits = bitLength(quotient) - 53;
  let mantissa = quotient >> BigInt(extraBits);
  const dropped = quotient & ((1n << BigInt(extraBits)) - 1n);
  const half = 1n << BigInt(extraBits - 1);
  if (dropped > half || (dropped === half && (inexact || (mantissa & 1n) === 1n))) mantissa += 1n;
  return Number(mantissa) * 2 ** (extraBits - shift);
}

/** Exact value of a finite double as (numerator, power-of-two exponent): x = numerator · 2^exponent. */
function exactDouble(x: number): { numerator: bigint; exponent: number } {
  if (x === 0) return { numerator: 0n, exponent: 0 };
  let exponent = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    exponent--;
  }
  return { numerator: BigInt(m), exponent };
}

/**
 * Python `statistics.mean` of finite non-negative doubles: the exact rational mean, rounded once
 * to the nearest double (lmms-eval's TextVQA mean).
 */
export function statisticsMean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('statisticsMean of an empty list');
  const parts = values.map(exactDouble);
  const minExponent = Math.min(0, ...parts.map((p) => p.exponent));
  let total = 0n;
  for (const p of parts) total += p.numerator << BigInt(p.exponent - minExponent);
  return ratioToDouble(total, BigInt(values.length) << BigInt(-minExponent));
}

/** numpy's pairwise summation of float64 (`pairwise_sum`, block size 128, 8 accumulators). */
function numpyPairwiseSum(values: readonly number[], start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += values[start + i];
    return res;
  }
  if (n <= 128) {
    const r = values.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += values[start + i + k];
    // numpy's exact grouping of the eight accumulators
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpyPairwiseSum(values, start, half) + numpyPairwiseSum(values, start + half, n - half);
}

/** `np.mean` of a 1-D float64 list: 0.0 + pairwise sum, divided by the count (VLMEvalKit's mean). */
export function numpyMean(values: readonly number[]): number {
  return (0 + numpyPairwiseSum(values, 0, values.length)) / values.length;
}

/** `float(sum(values)) / len(values)` with CPython 3.11's left-to-right float sum (VQA API's mean). */
export function pythonSumMean(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

/** lmms-eval's mean only depends on (n, m); cached because BigInt arithmetic is slow. */
const lmmsMeanCache = new Map<number, number>();

function lmmsEvalAccuracy(prediction: string, answers: readonly string[]): number {
  let matches = 0;
  for (const answer of answers) if (answer === prediction) matches++;
  const key = answers.length * 4096 + matches;
  let value = lmmsMeanCache.get(key);
  if (value === undefined) {
    value = statisticsMean(leaveOneOutScores(prediction, answers));
    if (answers.length < 4096) lmmsMeanCache.set(key, value);
  }
  return value;
}

/** Normalised prediction and answers under one profile, ready for §4. */
export interface NormalizedQuestion {
  prediction: string;
  answers: string[];
}

/** `xs.map(normalize)`, calling `normalize` once per distinct string (answers repeat a lot). */
function mapDistinct(xs: readonly string[], normalize: (x: string) => string): string[] {
  const out: string[] = new Array<string>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let j = 0;
    while (j < i && xs[j] !== xs[i]) j++;
    out[i] = j < i ? out[j] : normalize(xs[i]);
  }
  return out;
}

/** Python `len(set(xs)) > 1`. */
function notAllIdentical(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return true;
  return false;
}

/**
 * Prediction and answers as each profile's scorer compares them (§5.9), from the raw model output
 * and raw answers. lmms-eval profiles strip the output first (§2.4; EvalAI strips anyway).
 */
export function normalizeQuestion(rawPrediction: string, rawAnswers: readonly string[], profile: ProfileId): NormalizedQuestion {
  const p = requireTextvqaProfile(profile);
  switch (p) {
    case 'lmms-eval':
    case 'lmms-eval@2024-05':
    case 'official':
      return { prediction: normalizeEvalAI(pyStrip(rawPrediction)), answers: mapDistinct(rawAnswers, normalizeEvalAI) };
    case 'vlmevalkit':
    case 'vlmevalkit@2024-05': {
      const revision: VlmevalkitRevision = p === 'vlmevalkit' ? 'current' : '2024-05';
      return {
        prediction: normalizeVlmevalkit(rawPrediction, revision),
        answers: mapDistinct(rawAnswers, (a) => normalizeVlmevalkit(a, revision)),
      };
    }
    case 'vqa-v2@2021': {
      const answers = rawAnswers.map(spaceControlsAndStrip);
      const prediction = spaceControlsAndStrip(rawPrediction);
      if (!notAllIdentical(answers)) return { prediction, answers };
      return {
        prediction: vqaDigitArticlePass(vqaPunctuationPass(prediction)),
        answers: mapDistinct(answers, (a) => vqaDigitArticlePass(vqaPunctuationPass(a))),
      };
    }
    case 'vqa-v2@2016': {
      const prediction = vqaDigitArticlePass(vqaPunctuationPass(spaceControlsAndStrip(rawPrediction)));
      const answers = notAllIdentical(rawAnswers) ? mapDistinct(rawAnswers, vqaPunctuationPass) : rawAnswers.slice();
      return { prediction, answers };
    }
  }
}

/** §4 accuracy of already-normalised strings with the mean arithmetic of `profile`'s reference. */
export function accuracyFromNormalized(question: NormalizedQuestion, profile: TextvqaProfile): number {
  const { prediction, answers } = question;
  if (answers.length === 0) throw new Error('TextVQA accuracy needs at least one answer');
  switch (profile) {
    case 'lmms-eval':
    case 'lmms-eval@2024-05':
    case 'official':
      return lmmsEvalAccuracy(prediction, answers);
    case 'vlmevalkit':
    case 'vlmevalkit@2024-05':
      return numpyMean(leaveOneOutScores(prediction, answers));
    case 'vqa-v2@2021':
    case 'vqa-v2@2016':
      return pythonSumMean(leaveOneOutScores(prediction, answers));
  }
}

/**
 * Per-question TextVQA accuracy under a profile (§5.9), from the raw model output and the raw
 * answers: 0, 0.3, 0.6, 0.9 or 1 up to the reference's float rounding.
 */
export function vqaAccuracy(rawPrediction: string, rawAnswers: readonly string[], profile: ProfileId): number {
  const p = requireTextvqaProfile(profile);
  return accuracyFromNormalized(normalizeQuestion(rawPrediction, rawAnswers, p), p);
}

// ---------------------------------------------------------------------------------------------
// BenchScorer
// ---------------------------------------------------------------------------------------------

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item id (TextVQA question_id), string or number.' },
  { name: 'prediction', required: true, description: 'Raw model output for the question.' },
  {
    name: 'answers',
    required: true,
    description:
      'The crowd answers (10 in TextVQA): a non-empty list of strings, or a Python list literal of strings as in VLMEvalKit\'s TextVQA_VAL "answer" cell.',
  },
];

function readAnswers(rec: Record<string, unknown>): string[] {
  const value = rec['answers'];
  let list: unknown[] | undefined;
  if (Array.isArray(value)) list = value;
  else if (typeof value === 'string' && pyStrip(value).startsWith('[')) list = pyLiteralList(value);
  if (list === undefined || !list.every((x): x is string => typeof x === 'string')) {
    throw new RecordError('answers', 'answers must be a list of strings or a Python list literal of strings');
  }
  if (list.length === 0) throw new RecordError('answers', 'answers must not be empty');
  return list;
}

function parseTextvqaRecord(rec: Record<string, unknown>): TextvqaItem {
  const id = readRecordId(rec);
  return { id, prediction: readRecordPrediction(rec), answers: readAnswers(rec) };
}

function scoreTextvqaItems(items: readonly TextvqaItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] {
  const p = requireTextvqaProfile(profile);
  return items.map((item): ItemResult => {
    const question = normalizeQuestion(item.prediction, item.answers, p);
    return {
      id: item.id,
      value: accuracyFromNormalized(question, p),
      status: 'scored',
      categories: {},
      detail: { normalizedPrediction: question.prediction },
    };
  });
}

export const textvqaScorer: BenchScorer<TextvqaItem> = {
  bench: 'textvqa',
  profiles: TEXTVQA_PROFILES,
  defaultProfile: 'lmms-eval',
  scale: 'percent',
  binary: false,
  recordFields: RECORD_FIELDS,
  parseRecord: parseTextvqaRecord,
  scoreItems: scoreTextvqaItems,
};
