// MM-Vet scoring (scoring.md §10): model prompts, grader prompts (Appendix A), the judge call
// schedule and reply parsing per profile, and each profile's aggregation.
import { RecordError, readRecordId, readRecordPrediction, type Aggregate, type BenchScorer, type RecordField, type ScoreOptions } from '../../metrics/scorer.js';
import type { ItemResult, ProfileId } from '../../metrics/types.js';
import { PyError, npRound, pyContains, pyFloat, pyFormatFixed, pyStrip } from '../../metrics/py.js';

export const MMVET_PROFILES = ['official', 'lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit'] as const satisfies readonly ProfileId[];
export type MmvetProfile = (typeof MMVET_PROFILES)[number];

/** The six MM-Vet capabilities, in the order lmms-eval and VLMEvalKit list them (§10.5). */
export const MMVET_CAPABILITIES = ['rec', 'ocr', 'know', 'gen', 'spat', 'math'] as const;

export function isMmvetProfile(x: unknown): x is MmvetProfile {
  return typeof x === 'string' && (MMVET_PROFILES as readonly string[]).includes(x);
}

function requireProfile(profile: ProfileId): MmvetProfile {
  if (!isMmvetProfile(profile)) {
    throw new Error(`MM-Vet has no profile "${profile}"; valid profiles: ${MMVET_PROFILES.join(', ')}`);
  }
  return profile;
}

function isLmmsEval(profile: MmvetProfile): boolean {
  return profile === 'lmms-eval' || profile === 'lmms-eval@2024-05';
}

// ---------------------------------------------------------------------------------------------
// Model prompt (§10.2)

const LMMS_EVAL_PREFIX =
  'First please perform reasoning, and think step by step to provide best answer to the following question: \n\n';
const LMMS_EVAL_2024_05_PREFIX =
  'Please think step by step and try to provide best answer to the following question: \n\n';

/** The text sent to the model for one question (§10.2): bare question, or lmms-eval's prefix. */
export function mmvetModelPrompt(question: string, profile: ProfileId): string {
  const p = requireProfile(profile);
  if (p === 'lmms-eval') return LMMS_EVAL_PREFIX + question;
  if (p === 'lmms-eval@2024-05') return LMMS_EVAL_2024_05_PREFIX + question;
  return question;
}

// ---------------------------------------------------------------------------------------------
// Grader prompt bases (Appendix A)

const INSTRUCTION =
  'Compare the ground truth and prediction from AI models, to give a correctness score for the prediction. ' +
  '<AND> in the ground truth means it is totally right only when all elements in the ground truth are present in the prediction, ' +
  'and <OR> means it is totally right when any one element in the ground truth is present in the prediction. ' +
  'The correctness score is 0.0 (totally wrong), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, or 1.0 (totally right). ' +
  'Just complete the last space of the correctness score.';

const EQUATION_ROWS = [
  'What is x in the equation? | -1 <AND> -5 | x = 3 | 0.0',
  'What is x in the equation? | -1 <AND> -5 | x = -1 | 0.5',
  'What is x in the equation? | -1 <AND> -5 | x = -5 | 0.5',
  'What is x in the equation? | -1 <AND> -5 | x = -5 or 5 | 0.5',
  'What is x in the equation? | -1 <AND> -5 | x = -1 or x = -5 | 1.0',
];

const MEME_GT =
  'This meme is poking fun at the fact that the names of the countries Iceland and Greenland are misleading. ' +
  'Despite its name, Iceland is known for its beautiful green landscapes, while Greenland is mostly covered in ice and snow. ' +
  'The meme is saying that the person has trust issues because the names of these countries do not accurately represent their landscapes.';
const MEME_PRED_1 =
  "The meme talks about Iceland and Greenland. It's pointing out that despite their names, " +
  "Iceland is not very icy and Greenland isn't very green.";
const MEME_PRED_2 =
  "The meme is using humor to point out the misleading nature of Iceland's and Greenland's names. " +
  'Iceland, despite its name, has lush green landscapes while Greenland is mostly covered in ice and snow. ' +
  "The text 'This is why I have trust issues' is a playful way to suggest " +
  'that these contradictions can lead to distrust or confusion. ' +
  'The humor in this meme is derived from the unexpected contrast between the names of the countries ' +
  'and their actual physical characteristics.';

/** Appendix A.1: `mm-vet_evaluator.py` (2290 characters). */
export const MMVET_BASE_OFFICIAL = [
  INSTRUCTION,
  '',
  'Question | Ground truth | Prediction | Correctness',
  '--- | --- | --- | ---',
  ...EQUATION_ROWS,
  `Can you explain this meme? | ${MEME_GT} | ${MEME_PRED_1} | 0.4`,
  `Can you explain this meme? | ${MEME_GT} | ${MEME_PRED_2} | 1.0`,
  '',
].join('\n');

/** Appendix A.3: lmms-eval's copy of A.1, with "\n\nQuestion" replaced by "\ngpt_query_prompt" (2297 characters). */
export const MMVET_BASE_LMMS_EVAL = MMVET_BASE_OFFICIAL.replace(
  '\n\nQuestion | Ground truth',
  '\ngpt_query_prompt | Ground truth',
);

/** Appendix A.2: VLMEvalKit's hard-wrapped copy, starting with a newline (2291 characters). */
export const MMVET_BASE_VLMEVALKIT = [
  '',
  'Compare the ground truth and prediction from AI models, to give a correctness score for the prediction.',
  '<AND> in the ground truth means it is totally right',
  'only when all elements in the ground truth are present in the prediction,',
  'and <OR> means it is totally right when any one element in the ground truth is present in the prediction.',
  'The correctness score is 0.0 (totally wrong), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, or 1.0 (totally right).',
  'Just complete the last space of the correctness score.',
  '',
  'Question | Ground truth | Prediction | Correctness',
  '--- | --- | --- | ---',
  ...EQUATION_ROWS,
  'Can you explain this meme? | This meme is poking fun at the fact that the names of the countries',
  'Iceland and Greenland are misleading. Despite its name, Iceland is known for its beautiful green landscapes,',
  'while Greenland is mostly covered in ice and snow. The meme is saying that the person has trust issues',
  'because the names of these countries do not accurately represent their landscapes. |',
  "The meme talks about Iceland and Greenland. It's pointing out that despite their names,",
  "Iceland is not very icy and Greenland isn't very green. | 0.4",
  'Can you explain this meme? | This meme is poking fun at the fact that the names of the countries',
  'Iceland and Greenland are misleading. Despite its name, Iceland is known for its beautiful green landscapes,',
  'while Greenland is mostly covered in ice and snow. The meme is saying that the person has trust issues',
  'because the names of these countries do not accurately represent their landscapes. |',
  "The meme is using humor to point out the misleading nature of Iceland's and Greenland's names.",
  'Iceland, despite its name, has lush green landscapes while Greenland is mostly covered in ice and snow.',
  "The text 'This is why I have trust issues' is a playful way to suggest",
  'that these contradictions can lead to distrust or confusion.',
  'The humor in this meme is derived from the unexpected contrast between the names of the countries',
  'and their actual physical characteristics. | 1.0',
  '',
].join('\n');

/** The grader prompt base (Appendix A) a profile uses. */
export function mmvetJudgePromptBase(profile: ProfileId): string {
  const p = requireProfile(profile);
  if (p === 'official') return MMVET_BASE_OFFICIAL;
  if (p === 'vlmevalkit') return MMVET_BASE_VLMEVALKIT;
  return MMVET_BASE_LMMS_EVAL;
}

/** The ground truth as the graders insert it: every `<AND>` → `" <AND> "`, then every `<OR>` → `" <OR> "`. */
export function spacedGroundTruth(answer: string): string {
  return answer.replaceAll('<AND>', ' <AND> ').replaceAll('<OR>', ' <OR> ');
}

/**
 * The grader prompt (§10.3): `BASE + "\n" + ROW`. Texts are inserted verbatim; under the
 * lmms-eval profiles the caller passes the already-stripped prediction (§2.4; see
 * {@link mmvetJudgePromptForItem}).
 */
export function mmvetJudgePrompt(question: string, answer: string, prediction: string, profile: ProfileId): string {
  const p = requireProfile(profile);
  const gt = spacedGroundTruth(answer);
  if (isLmmsEval(p)) return `${MMVET_BASE_LMMS_EVAL}\n${question} | ${gt} | ${prediction} |`;
  return `${mmvetJudgePromptBase(p)}\n${[question, gt, prediction, ''].join(' | ')}`;
}

// ---------------------------------------------------------------------------------------------
// Judge calls and reply parsing (§10.4)

/** Judge model per profile (§10.4, §14 item 23). lmms-eval reads env MODEL_VERSION with this default. */
export const MMVET_JUDGE_MODELS: Record<MmvetProfile, string> = {
  official: 'gpt-4-0613',
  'lmms-eval': 'gpt-4o-2024-11-20',
  'lmms-eval@2024-05': 'gpt-4-0613',
  vlmevalkit: 'gpt-4-1106-preview',
};

/** Reply budget (max_tokens) per profile (§14 item 23). */
export const MMVET_JUDGE_MAX_TOKENS: Record<MmvetProfile, number> = {
  official: 3,
  'lmms-eval': 128,
  'lmms-eval@2024-05': 128,
  vlmevalkit: 2048,
};

/** Appended to the grader prompt by `official` from its second call on. */
export const OFFICIAL_RETRY_SUFFIX = '\nPredict the correctness of the answer (digit): ';

/**
 * lmms-eval re-asks without limit while replies parse to a number outside [0, 1] (§10.4).
 * cogeval stops after this many calls and records a judge failure. The longest lmms-eval
 * schedule without such replies has 8 calls.
 */
export const LMMS_EVAL_MAX_JUDGE_CALLS = 12;

export function mmvetJudgeModel(profile: ProfileId): string {
  return MMVET_JUDGE_MODELS[requireProfile(profile)];
}

/** One judge call a profile makes: send `mmvetJudgePrompt(...) + promptSuffix`. */
export interface MmvetJudgeCall {
  promptSuffix: string;
  temperature: number;
  maxTokens: number;
  model: string;
}

/** A call that was made, as recorded with its outcome. */
export interface MmvetJudgeCallRecord {
  temperature: number;
  promptSuffix: string;
}

export type MmvetJudgeFailure =
  /** The profile's retry schedule ended without a valid score; the reference scores 0. */
  | 'retries-exhausted'
  /** lmms-eval: its judge helper returned an empty reply; the reference scores 0. */
  | 'empty-reply'
  /** lmms-eval: the re-ask loop would not end (LMMS_EVAL_MAX_JUDGE_CALLS reached); the reference hangs. */
  | 'call-limit';

export type MmvetJudgeOutcome =
  | { kind: 'score'; score: number; calls: MmvetJudgeCallRecord[] }
  | {
      kind: 'failed';
      reason: MmvetJudgeFailure;
      /** What the reference returns in this case: 0, or 'HANG' when it never stops. */
      referenceScore: number | 'HANG';
      calls: MmvetJudgeCallRecord[];
    };

/** Python `float(text)`, or undefined where Python raises ValueError. */
function floatOrUndefined(text: string): number | undefined {
  try {
    return pyFloat(text);
  } catch (err) {
    if (err instanceof PyError) return undefined;
    throw err;
  }
}

/**
 * `official`/lmms-eval reading of a reply: the text before the first ASCII space
 * (`split(" ")[0]`), Python-stripped, through Python `float()`. Undefined when it does not parse.
 */
export function firstTokenNumber(reply: string): number | undefined {
  const space = reply.indexOf(' ');
  return floatOrUndefined(pyStrip(space === -1 ? reply : reply.slice(0, space)));
}

/** VLMEvalKit reading of a reply: the whole reply through Python `float()`. */
export function wholeReplyNumber(reply: string): number | undefined {
  return floatOrUndefined(reply);
}

/** `official`/`vlmevalkit` range test: `not (x > 1 or x < 0)`, so NaN is accepted. */
function acceptsIncludingNaN(x: number): boolean {
  return !(x > 1 || x < 0);
}

/** Thrown inside a schedule walk when the next call has no reply yet. */
class ReplyPending {
  constructor(readonly call: MmvetJudgeCallRecord) {}
}

/**
 * Walks a profile's judge schedule over replies in call order. `replyAt(i)` returns the i-th
 * reply or undefined when it is not known; then the walk stops with the call that is due.
 */
function walkSchedule(
  profile: MmvetProfile,
  replyAt: (index: number) => string | undefined,
): MmvetJudgeOutcome | { kind: 'pending'; call: MmvetJudgeCallRecord; calls: MmvetJudgeCallRecord[] } {
  const calls: MmvetJudgeCallRecord[] = [];
  const ask = (temperature: number, promptSuffix: string): string => {
    const call = { temperature, promptSuffix };
    const reply = replyAt(calls.length);
    if (reply === undefined) throw new ReplyPending(call);
    calls.push(call);
    return reply;
  };
  try {
    if (profile === 'official') return officialSchedule(ask, calls);
    if (profile === 'vlmevalkit') return vlmevalkitSchedule(ask, calls);
    return lmmsEvalSchedule(ask, calls);
  } catch (err) {
    if (err instanceof ReplyPending) return { kind: 'pending', call: err.call, calls };
    throw err;
  }
}

type Ask = (temperature: number, promptSuffix: string) => string;

/** mm-vet_evaluator.py: up to 6 calls at 0, 0, 0.5, 1.0, 1.5, 2.0; suffix from call 2; 6th reply unread. */
function officialSchedule(ask: Ask, calls: MmvetJudgeCallRecord[]): MmvetJudgeOutcome {
  let reply = ask(0, '');
  let temperature = 0;
  let tryTime = 1;
  for (;;) {
    const score = firstTokenNumber(reply);
    if (score !== undefined && acceptsIncludingNaN(score)) return { kind: 'score', score, calls };
    reply = ask(temperature, OFFICIAL_RETRY_SUFFIX);
    tryTime += 1;
    temperature += 0.5;
    if (tryTime > 5) return { kind: 'failed', reason: 'retries-exhausted', referenceScore: 0, calls };
  }
}

/** VLMEvalKit MMVet_auxeval: up to 5 calls at 0, 0.5, …, 2.0; the whole reply must be a number. */
function vlmevalkitSchedule(ask: Ask, calls: MmvetJudgeCallRecord[]): MmvetJudgeOutcome {
  for (let i = 0; i < 5; i++) {
    const score = wholeReplyNumber(ask(i * 0.5, ''));
    if (score !== undefined && acceptsIncludingNaN(score)) return { kind: 'score', score, calls };
  }
  return { kind: 'failed', reason: 'retries-exhausted', referenceScore: 0, calls };
}

/**
 * lmms-eval mmvet_process_results. Each reply is Python-stripped (its judge helper does so).
 * Empty reply → 0 and stop; a number in [0, 1] → done; another number (NaN included) → ask
 * again at the same temperature; no number → raise the temperature by 0.5 and ask once more,
 * discarding that reply, then stop with 0 if the temperature reached 2, else loop.
 */
function lmmsEvalSchedule(ask: Ask, calls: MmvetJudgeCallRecord[]): MmvetJudgeOutcome {
  let temperature = 0;
  const limitedAsk = (): string => {
    if (calls.length >= LMMS_EVAL_MAX_JUDGE_CALLS) throw new CallLimit();
    return pyStrip(ask(temperature, ''));
  };
  try {
    for (;;) {
      const reply = limitedAsk();
      if (reply === '') return { kind: 'failed', reason: 'empty-reply', referenceScore: 0, calls };
      const score = firstTokenNumber(reply);
      if (score !== undefined) {
        if (score >= 0 && score <= 1) return { kind: 'score', score, calls };
        continue;
      }
      temperature += 0.5;
      limitedAsk(); // lmms-eval fetches this reply and never reads it
      if (temperature >= 2) return { kind: 'failed', reason: 'retries-exhausted', referenceScore: 0, calls };
    }
  } catch (err) {
    if (err instanceof CallLimit) return { kind: 'failed', reason: 'call-limit', referenceScore: 'HANG', calls };
    throw err;
  }
}

class CallLimit {}

function toJudgeCall(profile: MmvetProfile, call: MmvetJudgeCallRecord, model?: string): MmvetJudgeCall {
  return {
    promptSuffix: call.promptSuffix,
    temperature: call.temperature,
    maxTokens: MMVET_JUDGE_MAX_TOKENS[profile],
    model: model ?? MMVET_JUDGE_MODELS[profile],
  };
}

/**
 * The next judge call a profile makes after `previousReplies` (the replies so far, in call
 * order), or 'done' when the profile has its verdict. `judgeModel` overrides the profile's model
 * (lmms-eval's MODEL_VERSION).
 */
export function nextJudgeCall(
  profile: ProfileId,
  previousReplies: readonly string[],
  judgeModel?: string,
): MmvetJudgeCall | 'done' {
  const p = requireProfile(profile);
  const walked = walkSchedule(p, (i) => previousReplies[i]);
  return walked.kind === 'pending' ? toJudgeCall(p, walked.call, judgeModel) : 'done';
}

/**
 * The verdict a profile reaches from the judge's replies in call order. Once the replies run
 * out, every further call is taken to return "" (a failed call), as in the vector files.
 */
export function judgeRepliesToScore(replies: readonly string[], profile: ProfileId): MmvetJudgeOutcome {
  const p = requireProfile(profile);
  const walked = walkSchedule(p, (i) => replies[i] ?? '');
  if (walked.kind === 'pending') throw new Error('unreachable: every reply is known');
  return walked;
}

// ---------------------------------------------------------------------------------------------
// Aggregation (§10.5)

/** One graded item: its capabilities (in the data's order) and score in [0, 1]. */
export interface MmvetGradedSample {
  capability: readonly string[];
  score: number;
}

/**
 * `official`, one run: per capability present (most frequent first), score sum / item count
 * × 100, and `total`; each rounded to 1 decimal with numpy rounding. Percent values.
 */
export function aggregateOfficial(samples: readonly MmvetGradedSample[]): Record<string, number> {
  const counts = new Map<string, number>();
  const sums = new Map<string, number>();
  let total = 0;
  for (const s of samples) {
    for (const c of new Set(s.capability)) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      sums.set(c, (sums.get(c) ?? 0) + s.score);
    }
    total += s.score;
  }
  // Counter.most_common(): by count, descending; ties keep first-seen order (stable sort).
  const ordered = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const out: Record<string, number> = {};
  for (const c of ordered) out[c] = npRound(((sums.get(c) ?? 0) / (counts.get(c) ?? 0)) * 100, 1);
  // numpy division: 0 items gives NaN (0.0 / 0), not an exception.
  out['total'] = npRound((total / samples.length) * 100, 1);
  return out;
}

/** One graded item with its score in each of N grading runs (the official evaluator's `score` list). */
export interface MmvetMultiRunSample {
  capability: readonly string[];
  runScores: readonly number[];
}

export interface OfficialMultiRunAggregate {
  /** Per capability (most frequent first) and `total`: mean over runs of the unrounded per-run percents, rounded to 1 decimal. */
  means: Record<string, number>;
  /** The unrounded per-run totals (percent), in run order. */
  runTotals: number[];
  /** Population standard deviation (numpy `std`) of the per-run totals, unrounded. */
  std: number;
}

/**
 * `mm-vet_evaluator.py` `export_result` with `--num_run N`: per run, per capability sum / item
 * count × 100; each capability's (and the total's) mean over the runs rounded to 1 decimal;
 * the spread is numpy's population std of the run totals. Every sample must hold N scores.
 */
export function aggregateOfficialRuns(samples: readonly MmvetMultiRunSample[]): OfficialMultiRunAggregate {
  const runs = samples.length === 0 ? 0 : samples[0].runScores.length;
  if (samples.some((s) => s.runScores.length !== runs)) throw new Error('every MM-Vet item needs the same number of grading runs');
  const counts = new Map<string, number>();
  const sums = new Map<string, number[]>();
  const totals = new Array<number>(runs).fill(0);
  for (const s of samples) {
    for (const c of new Set(s.capability)) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      let list = sums.get(c);
      if (!list) sums.set(c, (list = new Array<number>(runs).fill(0)));
      for (let i = 0; i < runs; i++) list[i] += s.runScores[i];
    }
    for (let i = 0; i < runs; i++) totals[i] += s.runScores[i];
  }
  const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ordered = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const means: Record<string, number> = {};
  for (const c of ordered) {
    const n = counts.get(c) ?? 0;
    means[c] = npRound(meanOf((sums.get(c) ?? []).map((v) => (v / n) * 100)), 1);
  }
  const runTotals = totals.map((v) => (v / samples.length) * 100);
  means['total'] = npRound(meanOf(runTotals), 1);
  const m = meanOf(runTotals);
  const std = Math.sqrt(meanOf(runTotals.map((v) => (v - m) ** 2)));
  return { means, runTotals, std };
}

export interface LmmsEvalMmvetAggregate {
  /** The returned score: sum / count × 100 (percent, unrounded). */
  overall: number;
  /** Per capability: sum / count × 100 over items whose comma-joined capabilities contain it; 0 when none. */
  perCapability: Record<(typeof MMVET_CAPABILITIES)[number], number>;
  /** The `"%.2f"` strings lmms-eval logs per capability. */
  perCapabilityLogged: Record<(typeof MMVET_CAPABILITIES)[number], string>;
  /** Items counted per capability. */
  counts: Record<(typeof MMVET_CAPABILITIES)[number], number>;
}

/** lmms-eval mmvet_aggregate_results (§10.5). Throws PyError ZeroDivisionError for no samples. */
export function aggregateLmmsEval(samples: readonly MmvetGradedSample[]): LmmsEvalMmvetAggregate {
  if (samples.length === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  let sum = 0;
  for (const s of samples) sum += s.score;
  const overall = (sum / samples.length) * 100;
  const perCapability = {} as LmmsEvalMmvetAggregate['perCapability'];
  const perCapabilityLogged = {} as LmmsEvalMmvetAggregate['perCapabilityLogged'];
  const counts = {} as LmmsEvalMmvetAggregate['counts'];
  for (const cap of MMVET_CAPABILITIES) {
    let capSum = 0;
    let n = 0;
    for (const s of samples) {
      if (pyContains(s.capability.join(','), cap)) {
        capSum += s.score;
        n += 1;
      }
    }
    const value = n > 0 ? (capSum / n) * 100 : 0;
    perCapability[cap] = value;
    perCapabilityLogged[cap] = pyFormatFixed(value, 2);
    counts[cap] = n;
  }
  return { overall, perCapability, perCapabilityLogged, counts };
}

export interface VlmevalkitMmvetAggregate {
  /** Per capability (substring test), with single-capability items counted twice; percent, unrounded. */
  perCapability: Partial<Record<(typeof MMVET_CAPABILITIES)[number], number>>;
  /** Denominators used (including the double counts). */
  counts: Partial<Record<(typeof MMVET_CAPABILITIES)[number], number>>;
  overall: number;
  /** Per capability combination (`cate.replace(',', '_')`, first-seen order), same double count. */
  perCombination: Record<string, number>;
}

/**
 * VLMEvalKit MMVet_acc (§10.5), including its double count of single-capability items.
 * A capability with no items raises ZeroDivisionError there; with `onEmptyCapability: 'omit'`
 * it is left out instead.
 */
export function aggregateVlmevalkit(
  samples: readonly MmvetGradedSample[],
  onEmptyCapability: 'raise' | 'omit' = 'raise',
): VlmevalkitMmvetAggregate {
  const tot = new Map<string, number>();
  const score = new Map<string, number>();
  const add = (key: string, grade: number) => {
    tot.set(key, (tot.get(key) ?? 0) + 1);
    score.set(key, (score.get(key) ?? 0) + grade);
  };
  const combos: string[] = [];
  for (const s of samples) {
    const cate = s.capability.join(',');
    const cate2 = cate.replaceAll(',', '_');
    if (!combos.includes(cate2)) combos.push(cate2);
    for (const capa of MMVET_CAPABILITIES) if (pyContains(cate, capa)) add(capa, s.score);
    add('Overall', s.score);
    add(cate2, s.score);
  }
  const ratio = (key: string): number | undefined => {
    const n = tot.get(key) ?? 0;
    if (n === 0) {
      if (onEmptyCapability === 'omit') return undefined;
      throw new PyError('ZeroDivisionError', 'division by zero');
    }
    return ((score.get(key) ?? 0) / n) * 100;
  };
  const perCapability: VlmevalkitMmvetAggregate['perCapability'] = {};
  const counts: VlmevalkitMmvetAggregate['counts'] = {};
  for (const cap of MMVET_CAPABILITIES) {
    const v = ratio(cap);
    if (v === undefined) continue;
    perCapability[cap] = v;
    counts[cap] = tot.get(cap) ?? 0;
  }
  if (samples.length === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  const overall = ((score.get('Overall') ?? 0) / samples.length) * 100;
  const perCombination: Record<string, number> = {};
  for (const c of combos) perCombination[c] = ((score.get(c) ?? 0) / (tot.get(c) ?? 1)) * 100;
  return { perCapability, counts, overall, perCombination };
}

/** Category key of the per-capability breakdown. */
export const CAPABILITY_KEY = 'capability';

/** Capabilities of a unit, as stored in its categories. */
function capabilitiesOf(result: ItemResult): string[] {
  const raw = result.categories[CAPABILITY_KEY];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * The profile's aggregate over scored units (judge failures and items without judge replies
 * are excluded): total and per-capability values as fractions of 1.
 */
export function mmvetAggregate(results: readonly ItemResult[], profile: ProfileId): Aggregate {
  const p = requireProfile(profile);
  const samples: MmvetGradedSample[] = results
    .filter((r) => r.value !== null)
    .map((r) => ({ capability: capabilitiesOf(r), score: r.value as number }));
  const capabilityCount = (cap: string) => samples.filter((s) => s.capability.includes(cap)).length;
  const byCapability: Record<string, { value: number; n: number }> = {};
  if (samples.length === 0) return { value: Number.NaN, byCategory: { [CAPABILITY_KEY]: byCapability } };
  let value: number;
  const runScores = results.filter((r) => r.value !== null).map((r) => r.detail?.['runScores']);
  const multiRun = runScores.every((x) => Array.isArray(x)) && runScores.some((x) => (x as number[]).length > 1);
  if (p === 'official' && multiRun && new Set(runScores.map((x) => (x as number[]).length)).size === 1) {
    const agg = aggregateOfficialRuns(samples.map((s, i) => ({ capability: s.capability, runScores: runScores[i] as number[] })));
    for (const [cap, v] of Object.entries(agg.means)) {
      if (cap !== 'total') byCapability[cap] = { value: v / 100, n: capabilityCount(cap) };
    }
    return {
      value: agg.means['total'] / 100,
      byCategory: { [CAPABILITY_KEY]: byCapability },
      runs: { values: agg.runTotals.map((v) => v / 100), std: agg.std / 100 },
    };
  } else if (p === 'official') {
    const agg = aggregateOfficial(samples);
    for (const [cap, v] of Object.entries(agg)) {
      if (cap !== 'total') byCapability[cap] = { value: v / 100, n: capabilityCount(cap) };
    }
    value = agg['total'] / 100;
  } else if (p === 'vlmevalkit') {
    const agg = aggregateVlmevalkit(samples, 'omit');
    for (const cap of MMVET_CAPABILITIES) {
      const v = agg.perCapability[cap];
      if (v !== undefined) byCapability[cap] = { value: v / 100, n: capabilityCount(cap) };
    }
    value = agg.overall / 100;
  } else {
    const agg = aggregateLmmsEval(samples);
    for (const cap of MMVET_CAPABILITIES) {
      if (agg.counts[cap] > 0) byCapability[cap] = { value: agg.perCapability[cap] / 100, n: agg.counts[cap] };
    }
    value = agg.overall / 100;
  }
  return { value, byCategory: { [CAPABILITY_KEY]: byCapability } };
}

// ---------------------------------------------------------------------------------------------
// Records and items

export interface MmvetItem {
  id: string;
  /** Raw model output. */
  prediction: string;
  question: string;
  /** Ground truth, possibly with `<AND>` / `<OR>`. */
  answer: string;
  /** Capabilities in the data's order (from a list, or a comma-joined string split on ","). */
  capability: string[];
  /** The judge's replies in call order, as cached by a run under the same profile. */
  judgeOutputs?: string[];
  /** Several grading runs: each run's judge replies in call order. */
  judgeRuns?: string[][];
  /** Several grading runs as recorded by the official evaluator (its grade cache `score` list). */
  judgeScores?: number[];
}

/** The grader prompt for an item under a profile, with lmms-eval's output strip (§2.4) applied. */
export function mmvetJudgePromptForItem(item: Pick<MmvetItem, 'question' | 'answer' | 'prediction'>, profile: ProfileId): string {
  const p = requireProfile(profile);
  const prediction = isLmmsEval(p) ? pyStrip(item.prediction) : item.prediction;
  return mmvetJudgePrompt(item.question, item.answer, prediction, p);
}

/**
 * Scores an item graded in several runs: each run's replies through the profile's schedule
 * (or, under `official` only, the grades an official evaluator recorded); the value is the mean
 * of the run scores, which are kept in `detail.runScores` for the official aggregate.
 */
function mmvetMultiRunResult(item: MmvetItem, p: MmvetProfile, judgeModel?: string): ItemResult {
  const categories = { [CAPABILITY_KEY]: [...item.capability] };
  const model = judgeModel ?? MMVET_JUDGE_MODELS[p];
  if (item.judgeScores !== undefined && p === 'official') {
    const runScores = item.judgeScores;
    const value = runScores.reduce((a, b) => a + b, 0) / runScores.length;
    return { id: item.id, value, status: 'scored', categories, detail: { judgeModel: model, runScores, source: 'recorded grades' } };
  }
  if (item.judgeRuns === undefined) {
    return {
      id: item.id,
      value: null,
      status: 'needs_judge',
      categories,
      detail: { judgeModel: model, reason: `only grades recorded by the official evaluator are known; profile ${p} needs its own judge replies` },
    };
  }
  const runScores: number[] = [];
  for (const [run, replies] of item.judgeRuns.entries()) {
    const one = mmvetItemResult({ ...item, judgeOutputs: replies, judgeRuns: undefined, judgeScores: undefined }, p, judgeModel);
    if (one.value === null) return { ...one, detail: { ...one.detail, run } };
    runScores.push(one.value);
  }
  const value = runScores.reduce((a, b) => a + b, 0) / runScores.length;
  return { id: item.id, value, status: 'scored', categories, detail: { judgeModel: model, runScores } };
}

/** Scores one item from its cached judge replies (§10.4; statuses per §2.5). */
export function mmvetItemResult(item: MmvetItem, profile: ProfileId, judgeModel?: string): ItemResult {
  const p = requireProfile(profile);
  if (item.judgeRuns !== undefined || item.judgeScores !== undefined) return mmvetMultiRunResult(item, p, judgeModel);
  const categories = { [CAPABILITY_KEY]: [...item.capability] };
  const model = judgeModel ?? MMVET_JUDGE_MODELS[p];
  const replies = item.judgeOutputs ?? [];
  const next = nextJudgeCall(p, replies, judgeModel);
  if (next !== 'done') {
    return {
      id: item.id,
      value: null,
      status: 'needs_judge',
      categories,
      detail: { judgeModel: model, repliesGiven: replies.length, nextCall: next },
    };
  }
  const outcome = judgeRepliesToScore(replies, p);
  const unusedReplies = replies.length - outcome.calls.length;
  const base = { judgeModel: model, calls: outcome.calls, ...(unusedReplies > 0 ? { unusedReplies } : {}) };
  if (outcome.kind === 'failed') {
    return {
      id: item.id,
      value: null,
      status: 'judge_failed',
      categories,
      detail: { ...base, reason: outcome.reason, referenceScore: outcome.referenceScore },
    };
  }
  if (Number.isNaN(outcome.score)) {
    // official and vlmevalkit accept a "nan" reply; it is no score in [0, 1], so it is a failure here.
    return {
      id: item.id,
      value: null,
      status: 'judge_failed',
      categories,
      detail: { ...base, reason: 'nan-reply', referenceScore: 'NaN' },
    };
  }
  return { id: item.id, value: outcome.score, status: 'scored', categories, detail: base };
}

const RECORD_FIELDS: readonly RecordField[] = [
  { name: 'id', required: true, description: 'Item identifier (string or number), e.g. the HF `question_id` "v1_0".' },
  { name: 'prediction', required: true, description: 'Raw model output (string).' },
  { name: 'question', required: true, description: 'The question (HF lmms-lab/MMVet `question`), as sent to the grader.' },
  {
    name: 'answer',
    required: true,
    description: 'Ground truth (HF `answer`); `<AND>` means every part is needed, `<OR>` any part.',
  },
  {
    name: 'capability',
    required: true,
    description: 'Capabilities: a list of strings, or a comma-joined string as in HF `capability` (e.g. "ocr,math").',
  },
  {
    name: 'judge_outputs',
    required: false,
    description:
      "The grader's replies in call order, cached by a run under the same profile (list of strings). " +
      'Without them the item is counted as needing a judge and excluded from the score.',
  },
  {
    name: 'judge_runs',
    required: false,
    description:
      'Several grading runs: a list with each run\'s judge replies (a list of strings, in call order). The item scores the mean of its runs; `official` reports the mean of the unrounded run totals and their spread, as the official evaluator does with --num_run.',
  },
  {
    name: 'judge_scores',
    required: false,
    description:
      'Several grading runs as the official evaluator recorded them (its grade cache `score` list, numbers in [0, 1]); used by the `official` profile only (the other profiles count the item as needing a judge).',
  },
];

function parseMmvetRecord(rec: Record<string, unknown>): MmvetItem {
  const id = readRecordId(rec);
  const text = (name: string): string => {
    const v = rec[name];
    if (typeof v !== 'string') throw new RecordError(name, `field "${name}" must be a string`);
    return v;
  };
  const prediction = readRecordPrediction(rec);
  const question = text('question');
  const answer = text('answer');

  const rawCapability = rec['capability'];
  let capability: string[];
  if (typeof rawCapability === 'string') capability = rawCapability.split(',').map((c) => pyStrip(c));
  else if (Array.isArray(rawCapability) && rawCapability.every((c): c is string => typeof c === 'string')) {
    capability = [...rawCapability];
  } else {
    throw new RecordError('capability', 'field "capability" must be a list of strings or a comma-joined string');
  }
  if (capability.length === 0 || capability.some((c) => c === '')) {
    throw new RecordError('capability', 'field "capability" must name at least one capability, with no empty names');
  }

  const rawOutputs = rec['judge_outputs'];
  let judgeOutputs: string[] | undefined;
  if (rawOutputs !== undefined && rawOutputs !== null) {
    if (!Array.isArray(rawOutputs) || !rawOutputs.every((o): o is string => typeof o === 'string')) {
      throw new RecordError('judge_outputs', 'field "judge_outputs" must be a list of strings (the judge replies in call order)');
    }
    judgeOutputs = [...rawOutputs];
  }
  const rawRuns = rec['judge_runs'];
  let judgeRuns: string[][] | undefined;
  if (rawRuns !== undefined && rawRuns !== null) {
    if (!Array.isArray(rawRuns) || rawRuns.length === 0 || !rawRuns.every((r) => Array.isArray(r) && r.every((o): o is string => typeof o === 'string'))) {
      throw new RecordError('judge_runs', 'field "judge_runs" must be a non-empty list of runs, each a list of strings (the judge replies in call order)');
    }
    judgeRuns = (rawRuns as string[][]).map((r) => [...r]);
  }
  const rawScores = rec['judge_scores'];
  let judgeScores: number[] | undefined;
  if (rawScores !== undefined && rawScores !== null) {
    if (!Array.isArray(rawScores) || rawScores.length === 0 || !rawScores.every((x): x is number => typeof x === 'number' && x >= 0 && x <= 1)) {
      throw new RecordError('judge_scores', 'field "judge_scores" must be a non-empty list of numbers in [0, 1] (one grade per run)');
    }
    judgeScores = [...rawScores];
  }
  return {
    id,
    prediction,
    question,
    answer,
    capability,
    ...(judgeOutputs ? { judgeOutputs } : {}),
    ...(judgeRuns ? { judgeRuns } : {}),
    ...(judgeScores ? { judgeScores } : {}),
  };
}

export const mmvetScorer: BenchScorer<MmvetItem> = {
  bench: 'mmvet',
  profiles: MMVET_PROFILES,
  defaultProfile: 'official',
  scale: 'percent',
  binary: false,
  recordFields: RECORD_FIELDS,
  parseRecord: parseMmvetRecord,
  scoreItems(items: readonly MmvetItem[], profile: ProfileId, _opts: ScoreOptions): ItemResult[] {
    const p = requireProfile(profile);
    return items.map((item) => mmvetItemResult(item, p));
  },
  aggregate: mmvetAggregate,
};
