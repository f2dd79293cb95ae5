// MMMU scoring (scoring.md §9): multiple-choice letter parsing (official, lmms-eval), open-answer
// parsing and matching, lmms-eval's collapsed open answers, VLMEvalKit's judged multiple-choice
// reframing, seeded random fallbacks, and the MMMU BenchScorer.
import { canInfer } from '../mmbench/scorer.js';
import {
  PY_RE,
  PyRandom,
  pyFloatOrNull,
  pyFloatRepr,
  pyLen,
  pyLiteralList,
  pyLower,
  pyRound,
  pySplit,
  pyStrip,
} from '../../metrics/py.js';
import { RecordError, readRecordId, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ItemStatus, JudgeMode, ProfileId } from '../../metrics/types.js';

// ---------------------------------------------------------------------------------------------
// Profiles, data vocabulary

export const MMMU_PROFILES = ['official', 'lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit'] as const satisfies readonly ProfileId[];
export type MmmuProfile = (typeof MMMU_PROFILES)[number];
/** Profiles that parse multiple-choice answers with the MMMU heuristic (§9.3, §9.4). */
export type MmmuParserProfile = Exclude<MmmuProfile, 'vlmevalkit'>;

export type MmmuQuestionType = 'multiple-choice' | 'open';
/** A gold answer: one string, or a list of acceptable golds. */
export type MmmuGold = string | readonly string[];
/** One element of the open-answer parser's output set: a rounded number or a lower-cased string. */
export type OpenAnswerValue = number | string;

/** Default seeds of the random fallbacks (§9.8): official seeds 42 at import, lmms-eval's CLI seed is 0. */
export const MMMU_DEFAULT_SEEDS: Record<MmmuProfile, number> = {
  official: 42,
  'lmms-eval': 0,
  'lmms-eval@2024-05': 0,
  // VLMEvalKit draws with the unseeded global RNG after 3 failed judge replies; cogeval seeds 0.
  vlmevalkit: 0,
};

export function isMmmuProfile(profile: string): profile is MmmuProfile {
  return (MMMU_PROFILES as readonly string[]).includes(profile);
}

function requireMmmuProfile(profile: string): MmmuProfile {
  if (!isMmmuProfile(profile)) {
    throw new Error(`MMMU has no profile '${profile}'; valid profiles: ${MMMU_PROFILES.join(', ')}`);
  }
  return profile;
}

/** The six MMMU disciplines and their 30 subjects (subject names as in the HF ids). */
export const MMMU_DISCIPLINES: Readonly<Record<string, readonly string[]>> = {
  'Art & Design': ['Art', 'Art_Theory', 'Design', 'Music'],
  Business: ['Accounting', 'Economics', 'Finance', 'Manage', 'Marketing'],
  Science: ['Biology', 'Chemistry', 'Geography', 'Math', 'Physics'],
  'Health & Medicine': [
    'Basic_Medical_Science',
    'Clinical_Medicine',
    'Diagnostics_and_Laboratory_Medicine',
    'Pharmacy',
    'Public_Health',
  ],
  'Humanities & Social Science': ['History', 'Literature', 'Sociology', 'Psychology'],
  'Tech & Engineering': [
    'Agriculture',
    'Architecture_and_Engineering',
    'Computer_Science',
    'Electronics',
    'Energy_and_Power',
    'Materials',
    'Mechanical_Engineering',
  ],
};

const SUBJECT_LOOKUP: ReadonlyMap<string, { subject: string; discipline: string }> = new Map(
  Object.entries(MMMU_DISCIPLINES).flatMap(([discipline, subjects]) =>
    subjects.map((subject) => [subject.toLowerCase(), { subject, discipline }] as const),
  ),
);

/** Canonical subject name and discipline for a subject given as `Art_Theory` or `art theory`; undefined if unknown. */
export function mmmuSubjectInfo(subject: string): { subject: string; discipline: string } | undefined {
  return SUBJECT_LOOKUP.get(pyStrip(subject).replace(/ /g, '_').toLowerCase());
}

const ID_SUBJECT_RE = new RegExp(`^([^_]+)_(.+?)_${PY_RE.d}+$`, 'u');

/** Subject of an HF id (`validation_Art_Theory_12` → `Art_Theory`), as lmms-eval's `extract_subset_name`; undefined if no match. */
export function subjectFromId(id: string): string | undefined {
  const m = ID_SUBJECT_RE.exec(id);
  return m ? m[2] : undefined;
}

/** Letters of `n` options in order: A, B, C, … (`chr(65 + i)`). */
export function optionLetters(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));
}

// ---------------------------------------------------------------------------------------------
// Multiple-choice parsing: official (§9.3) and lmms-eval (§9.4)

/** The characters trimmed one at a time, in this order, before parsing (§9.3 step 1). */
export const MC_TRIM_CHARS = [',', '.', '!', '?', ';', ':', "'"] as const;

/** `for c in [...]: response = response.strip(c)` — order-dependent; whitespace is kept. */
export function trimMcPunctuation(response: string): string {
  let out = response;
  for (const ch of MC_TRIM_CHARS) out = pyStrip(out, ch);
  return out;
}

export interface McCandidates {
  /** Candidate letters in letter order. */
  candidates: string[];
  /** Which step found them: bracket `(L)`, letter markers (`" L "`; lmms-eval also `"L "`, `"L."`), or option text. */
  mode: 'bracket' | 'letter' | 'content' | 'none';
}

/** §9.3 step 3 (§9.4 for lmms-eval) on the trimmed, space-padded response. */
function mcCandidates(padded: string, letters: readonly string[], options: readonly string[], profile: MmmuParserProfile): McCandidates {
  const bracket = letters.filter((l) => padded.includes(`(${l})`));
  if (bracket.length > 0) return { candidates: bracket, mode: 'bracket' };
  const lmms = profile !== 'official';
  let marked = letters.filter((l) => padded.includes(lmms ? `${l} ` : ` ${l} `));
  if (marked.length === 0 && lmms) marked = letters.filter((l) => padded.includes(`${l}.`));
  if (marked.length > 0) return { candidates: marked, mode: 'letter' };
  if (pySplit(padded).length > 5) {
    const lowered = pyLower(padded);
    const content = letters.filter((_, i) => lowered.includes(pyLower(options[i])));
    if (content.length > 0) return { candidates: content, mode: 'content' };
  }
  return { candidates: [], mode: 'none' };
}

/**
 * The letter the MMMU parser reads from `response` (§9.3 / §9.4), or null where the reference
 * would draw `random.choice(letters)`. The response is used exactly as given (no whitespace strip).
 */
export function multipleChoiceLetter(response: string, options: readonly string[], profile: MmmuParserProfile): string | null {
  const letters = optionLetters(options.length);
  const padded = ` ${trimMcPunctuation(response)} `;
  const { candidates, mode } = mcCandidates(padded, letters, options, profile);
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0];
  // Several candidates: the one whose marker occurs last wins; ties → earliest letter (np.argmax).
  const lowered = pyLower(padded);
  const position = (letter: string): number => {
    if (mode === 'bracket') return padded.lastIndexOf(`(${letter})`);
    if (mode === 'letter') return padded.lastIndexOf(` ${letter} `);
    return lowered.lastIndexOf(pyLower(options[letters.indexOf(letter)]));
  };
  let best = candidates[0];
  let bestPos = position(best);
  for (const letter of candidates.slice(1)) {
    const pos = position(letter);
    if (pos > bestPos) {
      best = letter;
      bestPos = pos;
    }
  }
  return best;
}

export interface McParse {
  letter: string;
  /** True when the parser found nothing and the letter is a seeded random guess (§9.8). */
  randomFallback: boolean;
}

/** `parse_multi_choice_response`: the parsed letter, drawing `rng.choice(letters)` when nothing is found. */
export function parseMultipleChoice(
  response: string,
  options: readonly string[],
  profile: MmmuParserProfile,
  rng: PyRandom,
): McParse {
  const letter = multipleChoiceLetter(response, options, profile);
  if (letter !== null) return { letter, randomFallback: false };
  return { letter: rng.choice(optionLetters(options.length)), randomFallback: true };
}

/** `eval_multi_choice`: the letter equals the gold (or one of a list of golds). */
export function multipleChoiceCorrect(gold: MmmuGold, letter: string): boolean {
  return typeof gold === 'string' ? gold === letter : gold.includes(letter);
}

// ---------------------------------------------------------------------------------------------
// Open questions (§9.5, §9.6)

const D = PY_RE.d;
const B = PY_RE.b;
/** §9.5 step 4 regexes, with Python's Unicode `\d` and `\b`. */
const NUMBER_PATTERNS: readonly RegExp[] = [
  new RegExp(`-?${B}${D}{1,3}(?:,${D}{3})+${B}`, 'gu'),
  new RegExp(`-?${D}+(?:\\.${D}+)?[eE][+-]?${D}+`, 'gu'),
  new RegExp(`-?(?:${D}+\\.${D}+|\\.${D}+|${D}+${B})(?![eE][+-]?${D}+)(?![,${D}])`, 'gu'),
];

/** `extract_numbers`: comma-grouped matches, then scientific, then simple (re.findall each). */
export function extractNumbers(text: string): string[] {
  return NUMBER_PATTERNS.flatMap((re) => Array.from(text.matchAll(re), (m) => m[0]));
}

/** Python `float(s)`, or undefined where Python raises ValueError. */
function tryPyFloat(s: string): number | undefined {
  return pyFloatOrNull(s) ?? undefined;
}

/**
 * `normalize_str` (§9.5 step 5): strip; a float (commas removed) becomes `round(value, 2)`;
 * otherwise lower-cased, and a single character `c` becomes `" c"` and `"c "`.
 */
export function normalizeOpenString(text: string): OpenAnswerValue[] {
  const stripped = pyStrip(text);
  const value = tryPyFloat(stripped.replace(/,/g, ''));
  if (value !== undefined) return [pyRound(value, 2)];
  const lowered = pyLower(stripped);
  if (pyLen(lowered) === 1) return [` ${lowered}`, `${lowered} `];
  return [lowered];
}

/** Indicator phrases of `get_key_subresponses`, in order; the last segment also gets `"="`. */
export const OPEN_ANSWER_INDICATORS = ['could be ', 'so ', 'is ', 'thus ', 'therefore ', 'final ', 'answer ', 'result '] as const;
const TRIVIAL_KEY_RESPONSES = new Set([':', ',', '.', '!', '?', ';', "'"]);

/** §9.5 step 1: strip whitespace, strip `.`, lower-case. */
export function preprocessOpenResponse(response: string): string {
  return pyLower(pyStrip(pyStrip(response), '.'));
}

/** `get_key_subresponses` (§9.5 steps 1–3): the kept tails, or the whole processed response. */
export function openKeySubresponses(response: string): string[] {
  const processed = preprocessOpenResponse(response);
  // The reference also splits at "." + whitespace before [A-Z], which cannot occur after lower().
  const segments = processed.split('\n');
  const kept: string[] = [];
  segments.forEach((segment, index) => {
    const indicators: readonly string[] =
      index === segments.length - 1 ? [...OPEN_ANSWER_INDICATORS, '='] : OPEN_ANSWER_INDICATORS;
    let shortest: string | null = null;
    for (const indicator of indicators) {
      const at = segment.lastIndexOf(indicator);
      if (at < 0) continue;
      const tail = pyStrip(segment.slice(at + indicator.length));
      if (!shortest || pyLen(tail) < pyLen(shortest)) shortest = tail;
    }
    if (shortest && !TRIVIAL_KEY_RESPONSES.has(pyStrip(shortest))) kept.push(shortest);
  });
  return kept.length === 0 ? [processed] : kept;
}

/** Python set insertion: equal numbers (-0.0 == 0.0) and equal strings collapse; NaNs never do. */
function addToPySet(set: OpenAnswerValue[], value: OpenAnswerValue): void {
  if (!set.some((v) => v === value)) set.push(value);
}

/**
 * `parse_open_response` (§9.5 steps 1–6): the normalised kept strings and extracted numbers, as
 * a set (returned as an array without duplicates, in first-insertion order; the order is not
 * significant — Python's set has none).
 */
export function parseOpenResponse(response: string): OpenAnswerValue[] {
  const keyResponses = openKeySubresponses(response);
  const raw = [...keyResponses, ...keyResponses.flatMap(extractNumbers)];
  const out: OpenAnswerValue[] = [];
  for (const item of raw) for (const value of normalizeOpenString(item)) addToPySet(out, value);
  return out;
}

/** Normalised gold forms: `normalize_str` of the gold, or of every element of a list gold. */
export function normalizeOpenGold(gold: MmmuGold): OpenAnswerValue[] {
  return typeof gold === 'string' ? normalizeOpenString(gold) : gold.flatMap(normalizeOpenString);
}

/**
 * `eval_open` (§9.5): some parsed string contains some string gold form, or some parsed number
 * equals (float ==) some numeric gold form.
 */
export function openAnswerCorrect(gold: MmmuGold, parsed: readonly OpenAnswerValue[]): boolean {
  const goldForms = normalizeOpenGold(gold);
  return parsed.some((pred) =>
    typeof pred === 'string'
      ? goldForms.some((g) => typeof g === 'string' && pred.includes(g))
      : goldForms.some((g) => typeof g === 'number' && g === pred),
  );
}

/** lmms-eval's collapse (§9.6): `str()` of the first element of the parsed set, or `""`. */
export function collapseOpenParse(parsed: readonly OpenAnswerValue[]): string {
  if (parsed.length === 0) return '';
  const first = parsed[0];
  return typeof first === 'string' ? first : pyFloatRepr(first);
}

/**
 * lmms-eval (since 2025-06-23, §9.6): `eval_open` run over the collapsed string, i.e. character
 * by character. Only a string gold form that sits inside one character can match, so every
 * real open question is wrong (a gold that normalises to `""` matches any non-empty collapse).
 * The outcome depends only on whether the collapse is empty, never on set order.
 */
export function lmmsEvalCollapsedOpenCorrect(gold: MmmuGold, parsed: readonly OpenAnswerValue[]): boolean {
  const goldForms = normalizeOpenGold(gold);
  return Array.from(collapseOpenParse(parsed)).some((ch) => goldForms.some((g) => typeof g === 'string' && ch.includes(g)));
}

// ---------------------------------------------------------------------------------------------
// VLMEvalKit: MMMU as multiple choice with a judge (§9.7)

export const VLMEVALKIT_OTHER_ANSWERS = 'Other Answers';
/** can_infer on a judge reply containing this text skips the reply (VLMEvalKit logs an API failure). */
export const JUDGE_API_FAILURE = 'Failed to obtain answer via API';
/** VLMEvalKit asks the judge this many times before drawing a random letter. */
export const VLMEVALKIT_JUDGE_ATTEMPTS = 3;

/**
 * Choices VLMEvalKit extracts over (`MMMU_preproc`): the options by letter, or for an open
 * question `{A: gold, B: "Other Answers"}`.
 */
export function vlmevalkitChoices(questionType: MmmuQuestionType, gold: string, options: readonly string[]): Record<string, string> {
  if (questionType === 'open') return { A: gold, B: VLMEVALKIT_OTHER_ANSWERS };
  const letters = optionLetters(options.length);
  return Object.fromEntries(letters.map((l, i) => [l, options[i]]));
}

/** VLMEvalKit's ground truth: the gold if it is one capital letter A–Z, else `"A"`. */
export function vlmevalkitGroundTruth(gold: string): string {
  return /^[A-Z]$/.test(gold) ? gold : 'A';
}

export interface JudgeResolution {
  /** The letter taken (a random guess when status is random_fallback); null for judge_failed. */
  letter: string | null;
  status: 'scored' | 'random_fallback' | 'judge_failed';
  /** Replies consumed. */
  attempts: number;
  reason?: string;
}

/**
 * VLMEvalKit's judge loop (`extract_answer_from_item`) on scripted replies: up to 3 replies, each
 * read with `can_infer` over the same choices; a reply containing "Failed to obtain answer via
 * API" is skipped. If none resolves: a random letter from the choices + `Z` (seeded `rng`).
 * cogeval deviations, so that no failed call becomes a score silently (§2.5): when the replies
 * run out before the reference would stop, or all 3 attempts were API failures, the result is
 * judge_failed.
 */
export function vlmevalkitJudgeLetter(replies: readonly string[], choices: Record<string, string>, rng: PyRandom): JudgeResolution {
  let apiFailures = 0;
  for (let attempt = 0; attempt < VLMEVALKIT_JUDGE_ATTEMPTS; attempt++) {
    if (attempt >= replies.length) {
      return { letter: null, status: 'judge_failed', attempts: attempt, reason: `only ${replies.length} judge replies given` };
    }
    const reply = replies[attempt];
    if (reply.includes(JUDGE_API_FAILURE)) {
      apiFailures++;
      continue;
    }
    const letter = canInfer(reply, choices, 'vlmevalkit');
    if (letter) return { letter, status: 'scored', attempts: attempt + 1 };
  }
  if (apiFailures === VLMEVALKIT_JUDGE_ATTEMPTS) {
    return { letter: null, status: 'judge_failed', attempts: VLMEVALKIT_JUDGE_ATTEMPTS, reason: 'every judge call failed' };
  }
  const pool = Object.keys(choices).includes('Z') ? [] : [...Object.keys(choices), 'Z'];
  if (pool.length === 0) {
    return { letter: null, status: 'judge_failed', attempts: VLMEVALKIT_JUDGE_ATTEMPTS, reason: 'random.choice([]) (IndexError)' };
  }
  return { letter: rng.choice(pool), status: 'random_fallback', attempts: VLMEVALKIT_JUDGE_ATTEMPTS };
}

// ---------------------------------------------------------------------------------------------
// One item under one profile

export interface MmmuQuestion {
  questionType: MmmuQuestionType;
  /** The gold exactly as the scorer receives it (no list-literal conversion here). */
  answer: MmmuGold;
  /** The model output as the scorer receives it (callers strip it first under lmms-eval profiles). */
  response: string;
  options: readonly string[];
  /** VLMEvalKit judge mode `llm`: scripted judge replies, in order. */
  judgeOutputs?: readonly string[];
}

export interface MmmuOutcome {
  /** Correct or not; null when the item is excluded (not_applicable, judge_failed). */
  correct: boolean | null;
  status: ItemStatus;
  detail: Record<string, unknown>;
}

/**
 * Scores one question under a profile. `rng` is the profile's shared random stream (consumed
 * only by random fallbacks, in item order).
 */
export function mmmuQuestionOutcome(q: MmmuQuestion, profile: MmmuProfile, judgeMode: JudgeMode, rng: PyRandom): MmmuOutcome {
  if (profile === 'vlmevalkit') return vlmevalkitOutcome(q, judgeMode, rng);
  if (q.questionType === 'multiple-choice') {
    const { letter, randomFallback } = parseMultipleChoice(q.response, q.options, profile, rng);
    return {
      correct: multipleChoiceCorrect(q.answer, letter),
      status: randomFallback ? 'random_fallback' : 'scored',
      detail: { letter, randomFallback },
    };
  }
  const parsed = parseOpenResponse(q.response);
  if (profile === 'lmms-eval') {
    const collapsed = collapseOpenParse(parsed);
    return { correct: lmmsEvalCollapsedOpenCorrect(q.answer, parsed), status: 'scored', detail: { parsed, collapsed } };
  }
  return { correct: openAnswerCorrect(q.answer, parsed), status: 'scored', detail: { parsed } };
}

function vlmevalkitOutcome(q: MmmuQuestion, judgeMode: JudgeMode, rng: PyRandom): MmmuOutcome {
  if (typeof q.answer !== 'string') {
    return { correct: null, status: 'not_applicable', detail: { reason: 'VLMEvalKit has one answer string per item; list gold' } };
  }
  const choices = vlmevalkitChoices(q.questionType, q.answer, q.options);
  const groundTruth = vlmevalkitGroundTruth(q.answer);
  const inferred = canInfer(q.response, choices, 'vlmevalkit');
  if (inferred) {
    return { correct: inferred === groundTruth, status: 'scored', detail: { letter: inferred, groundTruth, choices } };
  }
  if (judgeMode === 'llm' && q.judgeOutputs !== undefined) {
    const judged = vlmevalkitJudgeLetter(q.judgeOutputs, choices, rng);
    const correct = judged.letter === null ? null : judged.letter === groundTruth;
    return {
      correct,
      status: judged.status,
      detail: { letter: judged.letter, groundTruth, choices, judgeAttempts: judged.attempts, randomFallback: judged.status === 'random_fallback', ...(judged.reason ? { reason: judged.reason } : {}) },
    };
  }
  // exact-matching (or no judge replies): unresolved → "Z", compared with the ground truth.
  return { correct: groundTruth === 'Z', status: 'needs_judge', detail: { letter: 'Z', groundTruth, choices } };
}

// ---------------------------------------------------------------------------------------------
// Records and the BenchScorer

export interface MmmuItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  questionType: MmmuQuestionType;
  /** Gold letter / text as in the record (a string, possibly the HF text of a Python list), or a list. */
  answer: MmmuGold;
  options: string[];
  subject: string;
  discipline?: string;
  judgeOutputs?: string[];
  /** The prediction is already the final answer (a letter for multiple choice), not a raw output. */
  parsed?: boolean;
}

/**
 * The gold under `official` (§9.1): an HF list-literal gold (`"['24/7', '3.429']"`) becomes the
 * list the authors' answer file holds. Only a `[...]` literal of strings is converted (a tuple or
 * a list of numbers, e.g. an interval answer, stays text).
 */
export function officialGold(answer: MmmuGold): MmmuGold {
  if (typeof answer !== 'string' || !pyStrip(answer).startsWith('[')) return answer;
  const list = pyLiteralList(answer);
  if (list === undefined || list.length === 0 || !list.every((x): x is string => typeof x === 'string')) return answer;
  return list;
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item id (string or number), e.g. the HF id "validation_Art_Theory_12".' },
  { name: 'prediction', required: true, description: 'Raw model output.' },
  { name: 'question_type', required: true, description: '"multiple-choice" or "open".' },
  {
    name: 'answer',
    required: true,
    description: 'Gold: the letter (multiple-choice) or text (open); a list of strings for several golds. The HF text of a Python list is turned into a list under `official` only.',
  },
  {
    name: 'options',
    required: false,
    description: 'Option texts in order (list of strings, or the HF string holding a Python list literal). Required for multiple-choice items.',
  },
  { name: 'subject', required: false, description: 'Subject, e.g. "Art_Theory"; derived from an HF id when absent.' },
  { name: 'discipline', required: false, description: 'Discipline; derived from the subject when absent.' },
  {
    name: 'judge_outputs',
    required: false,
    description: 'vlmevalkit with judge mode llm: the judge replies (strings, in order) for an answer the heuristics cannot read.',
  },
  {
    name: 'parsed',
    required: false,
    description:
      'true when `prediction` is already the final answer, as in the MMMU authors\' eval-only layout: a multiple-choice letter is compared with the gold directly (no options needed; not applicable under vlmevalkit), an open answer is parsed as usual.',
  },
];

function parseOptions(raw: unknown): string[] {
  let list: unknown[] | undefined;
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === 'string') {
    list = pyLiteralList(raw);
    if (list === undefined) throw new RecordError('options', 'options: the string is not a Python list literal');
  } else throw new RecordError('options', 'options must be a list of strings or a Python list literal string');
  if (!list.every((x): x is string => typeof x === 'string')) throw new RecordError('options', 'options must hold strings only');
  return list;
}

function parseMmmuRecord(rec: Record<string, unknown>): MmmuItem {
  const id = readRecordId(rec);
  const prediction = readRecordPrediction(rec);
  const questionType = rec['question_type'];
  if (questionType !== 'multiple-choice' && questionType !== 'open') {
    throw new RecordError('question_type', 'question_type must be "multiple-choice" or "open"');
  }
  const rawAnswer = rec['answer'];
  let answer: MmmuGold;
  if (typeof rawAnswer === 'string') answer = rawAnswer;
  else if (Array.isArray(rawAnswer) && rawAnswer.length > 0 && rawAnswer.every((x): x is string => typeof x === 'string')) {
    answer = rawAnswer;
  } else throw new RecordError('answer', 'answer must be a string or a non-empty list of strings');
  const rawOptions = rec['options'];
  let options: string[] = [];
  if (rawOptions !== undefined && rawOptions !== null) options = parseOptions(rawOptions);
  const rawParsed = rec['parsed'];
  if (rawParsed !== undefined && rawParsed !== null && typeof rawParsed !== 'boolean') throw new RecordError('parsed', 'parsed must be true or false');
  const parsed = rawParsed === true;
  if (questionType === 'multiple-choice' && options.length === 0 && !parsed) {
    throw new RecordError('options', 'a multiple-choice item needs a non-empty options list');
  }
  const rawSubject = rec['subject'];
  let subject: string | undefined;
  if (rawSubject !== undefined && rawSubject !== null) {
    if (typeof rawSubject !== 'string' || rawSubject === '') throw new RecordError('subject', 'subject must be a non-empty string');
    subject = rawSubject;
  } else subject = subjectFromId(id);
  if (subject === undefined) {
    throw new RecordError('subject', `subject missing and id "${id}" is not of the form "<split>_<Subject>_<n>"`);
  }
  const info = mmmuSubjectInfo(subject);
  const rawDiscipline = rec['discipline'];
  let discipline: string | undefined = info?.discipline;
  if (rawDiscipline !== undefined && rawDiscipline !== null) {
    if (typeof rawDiscipline !== 'string' || rawDiscipline === '') throw new RecordError('discipline', 'discipline must be a non-empty string');
    discipline = rawDiscipline;
  }
  const rawJudge = rec['judge_outputs'];
  let judgeOutputs: string[] | undefined;
  if (rawJudge !== undefined && rawJudge !== null) {
    if (!Array.isArray(rawJudge) || !rawJudge.every((x): x is string => typeof x === 'string')) {
      throw new RecordError('judge_outputs', 'judge_outputs must be a list of strings');
    }
    judgeOutputs = rawJudge;
  }
  return {
    id,
    prediction,
    questionType,
    answer,
    options,
    subject: info?.subject ?? subject,
    ...(discipline !== undefined ? { discipline } : {}),
    ...(judgeOutputs !== undefined ? { judgeOutputs } : {}),
    ...(parsed ? { parsed } : {}),
  };
}

/**
 * An already-parsed multiple-choice answer (the authors' eval-only layout): the letter is
 * compared with the gold directly, as `main_eval_only.py` does. VLMEvalKit reads answers against
 * the option texts, which this layout lacks: not applicable there.
 */
function parsedLetterOutcome(item: MmmuItem, profile: MmmuProfile): MmmuOutcome {
  if (profile === 'vlmevalkit') {
    return { correct: null, status: 'not_applicable', detail: { reason: 'an already-parsed letter without option texts: VLMEvalKit reads answers against the options' } };
  }
  const gold = profile === 'official' ? officialGold(item.answer) : item.answer;
  return { correct: multipleChoiceCorrect(gold, item.prediction), status: 'scored', detail: { letter: item.prediction, parsed: true } };
}

/**
 * The MMMU authors' subject order (`CAT_SHORT2LONG` in their `data_utils.py`): their pipeline
 * loads and parses the subjects one after another in this order, so the seeded random guesses
 * are drawn in it.
 */
export const MMMU_AUTHORS_SUBJECT_ORDER: readonly string[] = [
  'Accounting', 'Agriculture', 'Architecture_and_Engineering', 'Art', 'Art_Theory', 'Basic_Medical_Science', 'Biology',
  'Chemistry', 'Clinical_Medicine', 'Computer_Science', 'Design', 'Diagnostics_and_Laboratory_Medicine', 'Economics',
  'Electronics', 'Energy_and_Power', 'Finance', 'Geography', 'History', 'Literature', 'Manage', 'Marketing', 'Materials',
  'Math', 'Mechanical_Engineering', 'Music', 'Pharmacy', 'Physics', 'Psychology', 'Public_Health', 'Sociology',
];

const ID_NUMBER_RE = /_(\d+)$/;

/**
 * The order in which the authors' pipeline meets the items: subject by subject in
 * MMMU_AUTHORS_SUBJECT_ORDER (unknown subjects after them, by name), within a subject by the
 * dataset number at the end of the id (`validation_Art_12` → 12); ties keep the given order.
 * Indices into `items`.
 */
export function mmmuAuthorsOrder(items: readonly Pick<MmmuItem, 'id' | 'subject'>[]): number[] {
  const rank = new Map(MMMU_AUTHORS_SUBJECT_ORDER.map((s, i) => [s, i]));
  const keyed = items.map((item, i) => {
    const m = ID_NUMBER_RE.exec(item.id);
    return { i, subjectRank: rank.get(item.subject) ?? MMMU_AUTHORS_SUBJECT_ORDER.length, subject: item.subject, n: m ? Number(m[1]) : Number.POSITIVE_INFINITY };
  });
  keyed.sort((a, b) => a.subjectRank - b.subjectRank || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) || a.n - b.n || a.i - b.i);
  return keyed.map((k) => k.i);
}

/**
 * Scores every item with one shared random stream (the profile's seed, or opts.seed). Under
 * `official` the stream is consumed in the authors' order (mmmuAuthorsOrder), so the guesses do
 * not depend on the order of the input lines; the other profiles draw in the given order, as
 * their harnesses do. Results come back in the given order.
 */
export function scoreMmmuItems(items: readonly MmmuItem[], profile: ProfileId, opts: ScoreOptions): ItemResult[] {
  const p = requireMmmuProfile(profile);
  const rng = new PyRandom(opts.seed ?? MMMU_DEFAULT_SEEDS[p]);
  const lmms = p === 'lmms-eval' || p === 'lmms-eval@2024-05';
  const order = p === 'official' ? mmmuAuthorsOrder(items) : items.map((_, i) => i);
  const results: ItemResult[] = new Array<ItemResult>(items.length);
  for (const i of order) results[i] = scoreOne(items[i]);
  return results;

  function scoreOne(item: MmmuItem): ItemResult {
    const outcome = item.parsed && item.questionType === 'multiple-choice' ? parsedLetterOutcome(item, p) : mmmuQuestionOutcome(
      {
        questionType: item.questionType,
        answer: p === 'official' ? officialGold(item.answer) : item.answer,
        // lmms-eval strips every model output before its task scorers see it (§2.4).
        response: lmms ? pyStrip(item.prediction) : item.prediction,
        options: item.options,
        ...(item.judgeOutputs !== undefined ? { judgeOutputs: item.judgeOutputs } : {}),
      },
      p,
      opts.judgeMode,
      rng,
    );
    const categories: Record<string, string> = { subject: item.subject };
    if (item.discipline !== undefined) categories['discipline'] = item.discipline;
    const value = outcome.correct === null ? null : outcome.correct ? 1 : 0;
    return {
      id: item.id,
      value,
      status: outcome.status,
      categories,
      detail: { ...outcome.detail, randomFallback: outcome.status === 'random_fallback', questionType: item.questionType },
    };
  }
}

export const mmmuScorer: BenchScorer<MmmuItem> = {
  bench: 'mmmu',
  profiles: MMMU_PROFILES,
  defaultProfile: 'official',
  scale: 'percent',
  binary: true,
  recordFields: RECORD_FIELDS,
  parseRecord: parseMmmuRecord,
  scoreItems: scoreMmmuItems,
};
