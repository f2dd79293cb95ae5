// MMBench (English v1.0) scoring: letter extraction (`can_infer`), circular-group decision,
// judge prompt and judge-reply resolution for every MMBench profile (scoring.md §11, App. B).
import { PY_RE, PyRandom, pyContains, pyLen, pyLower, pySplit, pyStrip } from '../../metrics/py.js';
import { RecordError, readRecordPrediction, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ItemStatus, JudgeMode, ProfileId } from '../../metrics/types.js';

/** Profiles whose letter-extraction rules are distinct (lmms-eval@2024-05 = lmms-eval, §11.4). */
export type CanInferProfile = 'vlmevalkit' | 'vlmevalkit@2024-05' | 'lmms-eval' | 'lmms-eval@2024-05';

export const MMBENCH_PROFILES = ['vlmevalkit', 'vlmevalkit@2024-05', 'lmms-eval', 'lmms-eval@2024-05'] as const;
export type MMBenchProfile = (typeof MMBENCH_PROFILES)[number];

/** Circular copies have index = main index + k·10⁶ (§11.1). */
export const CIRCULAR_STRIDE = 1_000_000;

/** The judge API's failure text; a reply containing it is a wasted attempt (§11.3/§11.4). */
const API_FAILURE = 'Failed to obtain answer via API';

/** VLMEvalKit refusals that map to "Z" (§11.4 vlmevalkit step 2). */
const VLMEVALKIT_REFUSALS = [
  "Sorry, I can't help with images of people yet.",
  "I can't process this file.",
  "I'm sorry, but without the image provided",
  'Cannot determine the answer',
];

/** Characters VLMEvalKit replaces with a space before tokenising (§11.4 step 3). */
const VLMEVALKIT_PUNCTUATION = '.()[],:;!*#{}';

/** lmms-eval: letters always considered, whatever the options (§11.4). */
const LMMS_EVAL_LETTERS = ['A', 'B', 'C', 'D', 'E'];
/** lmms-eval's affix patterns (prefix, suffix), tried in order (§11.4 lmms-eval step 3). */
const LMMS_EVAL_AFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['', '.'],
  ['', ','],
  ['', ':'],
  ['', ')'],
  ['', ').'],
  ['(', ')'],
  ['(', ').'],
  [':', ''],
  [':', ','],
  [':', '.'],
  [':', ')'],
  [':', ').'],
];

/**
 * VLMEvalKit's `(?:correct\s+)?answer\s+is\s+\**([ABCD])\**` with re.IGNORECASE (§11.4 step 5).
 * Written with explicit classes because Python's case-insensitive matching differs from JS `/iu`:
 * Python also lets `s` match `ſ` (U+017F) and `i` match `ı` (U+0131) and `İ` (U+0130).
 */
const ANSWER_IS_RE = new RegExp(
  `(?:[cC][oO][rR][rR][eE][cC][tT]${PY_RE.s}+)?` +
    `[aA][nN][sSſ][wW][eE][rR]${PY_RE.s}+[iIıİ][sSſ]${PY_RE.s}+` +
    '\\**([ABCDabcd])\\**',
  'u',
);

function isLmmsEval(profile: CanInferProfile): boolean {
  return profile === 'lmms-eval' || profile === 'lmms-eval@2024-05';
}

/** Number of `letters` that occur as whole tokens, each wrapped in prefix/suffix. */
function countTokenLetters(tokens: readonly string[], letters: readonly string[], prefix = '', suffix = ''): number {
  let count = 0;
  for (const letter of letters) if (tokens.includes(prefix + letter + suffix)) count += 1;
  return count;
}

/** Sum of the code-point lengths of the option texts (VLMEvalKit's text-length budget). */
function optionTextLength(choices: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const text of Object.values(choices)) total += pyLen(text);
  return total;
}

/**
 * VLMEvalKit's text stage refuses answers longer than twice the option texts (current rules
 * only, §11.4 step 6). Exported because the judge stage depends on it (see resolveRowWithJudge).
 */
export function textStageWithinLength(answer: string, choices: Readonly<Record<string, string>>): boolean {
  return pyLen(pyLower(answer)) <= 2 * optionTextLength(choices);
}

/** Text fallback: the one option whose lower-cased text occurs in the lower-cased answer. */
function inferFromOptionText(answer: string, choices: Readonly<Record<string, string>>): string | false {
  const lowered = pyLower(answer);
  const candidates = Object.keys(choices).filter((letter) => pyContains(lowered, pyLower(choices[letter])));
  return candidates.length === 1 ? candidates[0] : false;
}

/** VLMEvalKit option stage (§11.4 steps 2–5); `current` selects the 2026 rules. */
function vlmevalkitOptionStage(answer: string, choices: Readonly<Record<string, string>>, current: boolean): string | false {
  for (const refusal of VLMEVALKIT_REFUSALS) if (answer.includes(refusal)) return 'Z';
  let spaced = answer;
  for (const ch of VLMEVALKIT_PUNCTUATION) spaced = spaced.split(ch).join(' ');
  const tokens = pySplit(spaced);
  const letters = Object.keys(choices);
  const count = countTokenLetters(tokens, letters);
  if (count === 1) {
    const letter = letters.find((l) => tokens.includes(l));
    // 2024-05: anywhere; current: first occurrence among the last 4 tokens.
    if (letter !== undefined && (!current || tokens.indexOf(letter) > tokens.length - 5)) return letter;
  } else if (count === 0 && tokens.includes('Z')) {
    return 'Z';
  }
  if (current) {
    const match = ANSWER_IS_RE.exec(answer);
    if (match !== null) {
      const letter = match[1].toUpperCase();
      if (Object.hasOwn(choices, letter)) return letter;
    }
  }
  return false;
}

/** lmms-eval option stage (§11.4 lmms-eval steps 2–3): letters A–E, plain whitespace tokens. */
function lmmsEvalOptionStage(answer: string): string | false {
  const tokens = pySplit(answer);
  if (countTokenLetters(tokens, LMMS_EVAL_LETTERS) === 1) {
    const quantifierA = tokens.includes('A') && tokens.length > 3;
    if (!quantifierA) {
      const letter = LMMS_EVAL_LETTERS.find((l) => tokens.includes(l));
      if (letter !== undefined) return letter;
    }
  }
  for (const [prefix, suffix] of LMMS_EVAL_AFFIXES) {
    if (countTokenLetters(tokens, LMMS_EVAL_LETTERS, prefix, suffix) === 1) {
      const letter = LMMS_EVAL_LETTERS.find((l) => tokens.includes(prefix + l + suffix));
      if (letter !== undefined) return letter;
    }
  }
  return false;
}

/** lmms-eval's text stage only sees the A–D columns (its E column is renamed away). */
function lmmsEvalTextChoices(choices: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const letter of ['A', 'B', 'C', 'D']) if (Object.hasOwn(choices, letter)) out[letter] = choices[letter];
  return out;
}

/**
 * The reference `can_infer` (scoring.md §11.4): the letter an answer names, `"Z"` (VLMEvalKit
 * refusals / "none of the above"), or false. `choices` maps the letters of the options present
 * (not NaN) to their texts. `answer` is used exactly as given (no strip).
 */
export function canInfer(answer: string, choices: Readonly<Record<string, string>>, profile: CanInferProfile): string | false {
  // §11.4 step 1 read literally: no letter at all. (The reference code only skips its option
  // stage here and still runs the text stage; the spec's wording is followed.)
  if (answer.includes(API_FAILURE)) return false;
  if (isLmmsEval(profile)) {
    return lmmsEvalOptionStage(answer) || inferFromOptionText(answer, lmmsEvalTextChoices(choices));
  }
  const current = profile === 'vlmevalkit';
  const fromOptions = vlmevalkitOptionStage(answer, choices, current);
  if (fromOptions) return fromOptions;
  if (current && !textStageWithinLength(answer, choices)) return false;
  return inferFromOptionText(answer, choices);
}

/** Option columns of a row: letter → text, or null where the column exists but is NaN. */
export type OptionColumns = Readonly<Record<string, string | null>>;

/** The options present (not NaN), in letter order: VLMEvalKit's/lmms-eval's `build_choices`. */
export function presentChoices(options: OptionColumns): Record<string, string> {
  const out: Record<string, string> = {};
  for (const letter of Object.keys(options).sort()) {
    const text = options[letter];
    if (text !== null) out[letter] = text;
  }
  return out;
}

/** Option string of the judge prompt (Appendix B). */
export function mcqOptionString(options: OptionColumns, profile: CanInferProfile): string {
  let s = 'There are several options: \n';
  if (isLmmsEval(profile)) {
    // lmms-eval walks A, B, C, D and stops at the first missing/NaN column.
    for (const letter of ['A', 'B', 'C', 'D']) {
      const text = options[letter];
      if (text === undefined || text === null) break;
      s += `${letter}. ${text}\n`;
    }
    return s;
  }
  for (const [letter, text] of Object.entries(presentChoices(options))) s += `${letter}. ${text}\n`;
  return s;
}

const JUDGE_TEMPLATE_HEAD =
  'You are an AI assistant who will help me to match an answer with several options of a single-choice question. ' +
  'You are provided with a question, several options, and an answer, and you need to find which option is most similar to the answer. ' +
  'If the meaning of all options are significantly different from the answer, output {NONE}. ' +
  'Your should output a single uppercase character in A, B, C, D (if they are valid options), and {NONE}. \n' +
  'Example 1: \n' +
  'Question: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
  'Answer: a cute teddy bear\nYour output: A\n' +
  'Example 2: \n' +
  'Question: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
  'Answer: Spider\nYour output: {NONE}\n' +
  'Example 3: \n' +
  'Question: ';

/** The "none of the options" letter of each profile's judge (§14 item 31). */
export function noneOfTheAboveLetter(profile: CanInferProfile): 'Z' | 'E' {
  return isLmmsEval(profile) ? 'E' : 'Z';
}

/**
 * The MCQ judge prompt of Appendix B: question, option string, prediction filled in order.
 * `options` are the row's option columns (null = NaN). Built by concatenation, so `$`/`{}` in
 * the inputs are copied literally, as Python's str.format does.
 */
export function mcqJudgePrompt(question: string, options: OptionColumns, prediction: string, profile: CanInferProfile): string {
  const head = JUDGE_TEMPLATE_HEAD.split('{NONE}').join(noneOfTheAboveLetter(profile));
  return `${head}${question}?\nOptions: ${mcqOptionString(options, profile)}\nAnswer: ${prediction}\nYour output: `;
}

/** Judge models of each profile (§11.3); for reports. */
export const MMBENCH_JUDGE_MODELS: Readonly<Record<MMBenchProfile, string>> = {
  vlmevalkit: 'gpt-4o-mini',
  'vlmevalkit@2024-05': 'gpt-3.5-turbo-0613',
  'lmms-eval': 'gpt-4o-2024-11-20',
  'lmms-eval@2024-05': 'gpt-3.5-turbo-0613',
};

/** The random draws a fallback needs (PyRandom provides them). */
export interface RandomSource {
  randbelow(n: number): number;
  choice<T>(seq: readonly T[]): T;
}

/** Judge attempts per row before the random fallback (§11.3). */
export const JUDGE_ATTEMPTS = 3;

/** One row of a circular group as the group decision sees it. */
export interface GroupRow {
  index: number;
  /** The prediction as the scorer sees it (already stripped under lmms-eval profiles). */
  prediction: string;
  /** Ground-truth letter. */
  answer: string;
  options: OptionColumns;
  /** Judge replies for this row, in call order (judge mode `llm`). */
  judgeOutputs?: readonly string[];
}

/** Heuristic ("prefetch") stage of the group decision (§11.3 steps 1–2). */
export function prefetchCircularGroup(
  rows: readonly Pick<GroupRow, 'prediction' | 'answer' | 'options'>[],
  profile: CanInferProfile,
): { verdict: 0 | 1 | 'needs_judge'; letters: (string | false)[] } {
  const letters = rows.map((row) => canInfer(row.prediction, presentChoices(row.options), profile));
  if (letters.some((letter, i) => letter && letter !== rows[i].answer)) return { verdict: 0, letters };
  if (letters.every((letter) => letter)) return { verdict: 1, letters };
  return { verdict: 'needs_judge', letters };
}

/** Outcome of sending one unresolved row to the judge. */
export type JudgeRowOutcome =
  | { kind: 'letter'; letter: string; attempts: number }
  | { kind: 'random'; letter: string; attempts: number }
  | { kind: 'missing' }
  | { kind: 'failed'; reason: string };

/**
 * Resolves one row the heuristics could not read, from the judge's replies (§11.3 step 3):
 * up to 3 replies, each (unless it is the API failure text) read with the profile's can_infer;
 * after 3 unusable replies, the profile's random letter. Fewer than 3 recorded replies, none
 * usable → failed (the replies the reference would still ask for are unknown). `rng` is only
 * drawn from on a random fallback.
 */
export function resolveRowWithJudge(row: GroupRow, profile: MMBenchProfile, rng: RandomSource): JudgeRowOutcome {
  const replies = row.judgeOutputs;
  if (replies === undefined || replies.length === 0) return { kind: 'missing' };
  const choices = presentChoices(row.options);
  // VLMEvalKit's can_infer_text lower-cases the choices dict in place once the prediction passed
  // the length check; the judge replies are then checked against the lower-cased texts.
  const judgeChoices =
    profile === 'vlmevalkit' && textStageWithinLength(row.prediction, choices)
      ? Object.fromEntries(Object.entries(choices).map(([l, t]) => [l, pyLower(t)]))
      : choices;
  const tried = Math.min(JUDGE_ATTEMPTS, replies.length);
  for (let i = 0; i < tried; i++) {
    const reply = replies[i];
    if (reply.includes(API_FAILURE)) continue;
    const letter = canInfer(reply, judgeChoices, profile);
    if (letter) return { kind: 'letter', letter, attempts: i + 1 };
  }
  if (replies.length < JUDGE_ATTEMPTS) {
    return { kind: 'failed', reason: `only ${replies.length} judge replies recorded, none usable` };
  }
  if (isLmmsEval(profile)) {
    // random.randint over the first N letters + "E"; N counts the A–D columns, NaN or not.
    const columns = ['A', 'B', 'C', 'D'].filter((l) => Object.hasOwn(row.options, l)).length;
    if (columns < 2) return { kind: 'failed', reason: 'fewer than 2 option columns: the reference returns no letter' };
    const pool = 'ABCD'.slice(0, columns) + 'E';
    return { kind: 'random', letter: pool[rng.randbelow(pool.length)], attempts: JUDGE_ATTEMPTS };
  }
  // rd.choice(list(choices) + ['Z']) (an empty list, which raises, if "Z" is itself an option).
  const letters = Object.keys(choices);
  if (letters.includes('Z')) return { kind: 'failed', reason: '"Z" is an option: the reference draws from an empty list' };
  return { kind: 'random', letter: rng.choice([...letters, 'Z']), attempts: JUDGE_ATTEMPTS };
}

/** Result of the full group decision. */
export interface GroupDecision {
  value: number | null;
  status: ItemStatus;
  letters: (string | false)[];
  stage: 'prefetch' | 'judge';
  reason?: string;
}

/**
 * Decides one circular group (rows in index order, main row first) under a profile and judge
 * mode (§11.3): heuristics first; then, row by row in order, the judge, stopping at the first
 * wrong letter. Without a judge (exact-matching) or without recorded replies, a group that needs
 * the judge scores 0 with status needs_judge (§15).
 */
export function decideCircularGroup(
  rows: readonly GroupRow[],
  profile: MMBenchProfile,
  judgeMode: JudgeMode,
  rng: RandomSource,
): GroupDecision {
  const prefetch = prefetchCircularGroup(rows, profile);
  if (prefetch.verdict !== 'needs_judge') {
    return { value: prefetch.verdict, status: 'scored', letters: prefetch.letters, stage: 'prefetch' };
  }
  const letters = [...prefetch.letters];
  if (judgeMode === 'exact-matching') {
    return { value: 0, status: 'needs_judge', letters, stage: 'prefetch', reason: 'no judge (exact-matching)' };
  }
  let status: ItemStatus = 'scored';
  for (let i = 0; i < rows.length; i++) {
    if (letters[i]) continue;
    const outcome = resolveRowWithJudge(rows[i], profile, rng);
    if (outcome.kind === 'missing') {
      return { value: 0, status: 'needs_judge', letters, stage: 'judge', reason: `no judge replies for index ${rows[i].index}` };
    }
    if (outcome.kind === 'failed') {
      return { value: null, status: 'judge_failed', letters, stage: 'judge', reason: outcome.reason };
    }
    if (outcome.kind === 'random') status = 'random_fallback';
    letters[i] = outcome.letter;
    if (outcome.letter !== rows[i].answer) return { value: 0, status, letters, stage: 'judge' };
  }
  return { value: 1, status, letters, stage: 'judge' };
}

// ---------------------------------------------------------------------------------------------
// Records and the BenchScorer

/** One predictions record (one row: a main question or one of its circular copies). */
export interface MMBenchItem extends GroupRow {
  question: string;
  hint: string | null;
  category?: string;
  l2Category?: string;
  split?: string;
}

const OPTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A cell that stands for a missing value: null, or the string "NaN" (pandas NaN in exports). */
function isMissingCell(value: unknown): boolean {
  return value === null || value === 'NaN';
}

function optionalString(rec: Record<string, unknown>, field: string): string | undefined {
  const value = rec[field];
  if (value === undefined || isMissingCell(value)) return undefined;
  if (typeof value !== 'string') throw new RecordError(field, `${field} must be a string when present`);
  return value;
}

function parseIndex(rec: Record<string, unknown>): number {
  const field = rec['index'] !== undefined ? 'index' : 'id';
  const raw = rec[field];
  if (raw === undefined) throw new RecordError('index', 'missing index (or id): the MMBench row index, an integer');
  const value = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RecordError(field, `${field} must be a non-negative integer (the MMBench index)`);
  }
  return value;
}

/** Parses one predictions record; throws RecordError naming the bad field. */
export function parseMMBenchRecord(rec: Record<string, unknown>): MMBenchItem {
  const index = parseIndex(rec);
  const prediction = readRecordPrediction(rec);
  const answer = rec['answer'];
  if (typeof answer !== 'string' || !/^[A-Z]$/.test(answer)) {
    throw new RecordError('answer', 'answer must be the correct option letter (A, B, …)');
  }
  const question = rec['question'];
  if (typeof question !== 'string') throw new RecordError('question', 'question must be a string');
  const options: Record<string, string | null> = {};
  for (const letter of OPTION_LETTERS) {
    if (!Object.hasOwn(rec, letter) || rec[letter] === undefined) continue;
    const cell = rec[letter];
    if (isMissingCell(cell)) options[letter] = null;
    else if (typeof cell === 'string') options[letter] = cell;
    else throw new RecordError(letter, `option ${letter} must be a string, null or "NaN"`);
  }
  if (!Object.hasOwn(options, answer) || options[answer] === null) {
    throw new RecordError('answer', `answer ${answer} is not one of the record's options`);
  }
  let judgeOutputs: string[] | undefined;
  const rawJudge = rec['judge_outputs'];
  if (rawJudge !== undefined && rawJudge !== null) {
    if (!Array.isArray(rawJudge) || !rawJudge.every((x): x is string => typeof x === 'string')) {
      throw new RecordError('judge_outputs', 'judge_outputs must be a list of strings (judge replies in call order)');
    }
    judgeOutputs = rawJudge;
  }
  const l2 = optionalString(rec, 'l2-category') ?? optionalString(rec, 'L2-category');
  const item: MMBenchItem = {
    index,
    prediction,
    answer,
    question,
    options,
    hint: optionalString(rec, 'hint') ?? null,
  };
  const category = optionalString(rec, 'category');
  if (category !== undefined) item.category = category;
  if (l2 !== undefined) item.l2Category = l2;
  const split = optionalString(rec, 'split');
  if (split !== undefined) item.split = split;
  if (judgeOutputs !== undefined) item.judgeOutputs = judgeOutputs;
  return item;
}

function asMMBenchProfile(profile: ProfileId): MMBenchProfile {
  const found = MMBENCH_PROFILES.find((p) => p === profile);
  if (found === undefined) {
    throw new Error(`MMBench has no profile "${profile}"; valid profiles: ${MMBENCH_PROFILES.join(', ')}`);
  }
  return found;
}

/** A PyRandom created on first use (most runs never draw). */
function lazyPyRandom(seed: number): RandomSource {
  let rng: PyRandom | undefined;
  const get = (): PyRandom => (rng ??= new PyRandom(seed));
  return { randbelow: (n) => get().randbelow(n), choice: (seq) => get().choice(seq) };
}

/** Default RNG seed of the random fallback: lmms-eval seeds 2680; VLMEvalKit sets none (we use 0). */
export function defaultMMBenchSeed(profile: MMBenchProfile): number {
  return isLmmsEval(profile) ? 2680 : 0;
}

/**
 * Scores all rows: one ItemResult per circular group (rows sharing index mod 10⁶), in main-index
 * order, id = the main index. Under lmms-eval profiles predictions are stripped first (§2.4).
 * Copies whose main row is absent are not scored by the references: reported not_applicable.
 */
export function scoreMMBench(items: readonly MMBenchItem[], profileId: ProfileId, opts: ScoreOptions): ItemResult[] {
  const profile = asMMBenchProfile(profileId);
  const rng = lazyPyRandom(opts.seed ?? defaultMMBenchSeed(profile));
  const groups = new Map<number, MMBenchItem[]>();
  const seen = new Set<number>();
  for (const item of items) {
    if (seen.has(item.index)) throw new Error(`MMBench: duplicate index ${item.index}`);
    seen.add(item.index);
    const key = item.index % CIRCULAR_STRIDE;
    const prepared = isLmmsEval(profile) ? { ...item, prediction: pyStrip(item.prediction) } : item;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [prepared]);
    else list.push(prepared);
  }
  const results: ItemResult[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = groups.get(key)!.sort((a, b) => a.index - b.index);
    const main = rows[0].index === key ? rows[0] : undefined;
    const categories: Record<string, string> = {};
    if (main?.category !== undefined) categories['category'] = main.category;
    if (main?.l2Category !== undefined) categories['l2_category'] = main.l2Category;
    if (main === undefined) {
      results.push({
        id: String(key),
        value: null,
        status: 'not_applicable',
        categories,
        detail: { reason: 'circular copies without their main row are not scored', indices: rows.map((r) => r.index) },
      });
      continue;
    }
    const decision = decideCircularGroup(rows, profile, opts.judgeMode, rng);
    const detail: Record<string, unknown> = {
      indices: rows.map((r) => r.index),
      answers: rows.map((r) => r.answer),
      letters: decision.letters,
      stage: decision.stage,
    };
    if (decision.reason !== undefined) detail['reason'] = decision.reason;
    results.push({ id: String(key), value: decision.value, status: decision.status, categories, detail });
  }
  return results;
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: false, description: 'Alias of index (used when index is absent).' },
  { name: 'index', required: true, description: 'MMBench row index (integer); circular copies are index + k·1,000,000.' },
  { name: 'prediction', required: true, description: 'Raw model output for this row.' },
  { name: 'answer', required: true, description: 'Correct option letter of this row (A, B, …).' },
  { name: 'question', required: true, description: 'Question text (used in the judge prompt).' },
  { name: 'A', required: true, description: 'Option A text; B, C, D (and E… if any) likewise. null, "NaN" or absent = no such option.' },
  { name: 'hint', required: false, description: 'Hint text (null / "NaN" = none).' },
  { name: 'category', required: false, description: 'Category of the question (breakdowns use the main row).' },
  { name: 'l2-category', required: false, description: 'L2 category ("L2-category" in the HF dataset is accepted too).' },
  { name: 'split', required: false, description: 'Dataset split (dev / test).' },
  {
    name: 'judge_outputs',
    required: false,
    description: 'Judge mode llm: the judge replies for this row, in call order (up to 3), when the heuristics could not decide.',
  },
];

export const mmbenchScorer: BenchScorer<MMBenchItem> = {
  bench: 'mmbench',
  profiles: MMBENCH_PROFILES,
  defaultProfile: 'vlmevalkit',
  scale: 'percent',
  binary: true,
  recordFields: RECORD_FIELDS,
  parseRecord: parseMMBenchRecord,
  scoreItems: scoreMMBench,
};
