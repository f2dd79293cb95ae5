// VCR scoring rules (docs/scoring.md "VCR"): refusal filters, the best-matching n-gram of the
// prediction for each masked phrase, exact match and Jaccard per blank, and the blank-level mean.
import { pyLower, pyStrip } from '../../metrics/py.js';
import { PredictionSequence, findBestNgram, tokenOverlap } from './ngram-search.js';

/** Scorer profiles VCR offers: the lmms-eval task, VLMEvalKit's VCRDataset, the authors' script. */
export const VCR_PROFILES = ['lmms-eval', 'vlmevalkit', 'official'] as const;
export type VcrProfile = (typeof VCR_PROFILES)[number];

export function isVcrProfile(x: unknown): x is VcrProfile {
  return typeof x === 'string' && (VCR_PROFILES as readonly string[]).includes(x);
}

/** Splits text into tokens the way spaCy's en_core_web_sm tokenizer does (pluggable for tests). */
export type Tokenize = (text: string) => readonly string[];

/** What one blank (one masked phrase) scores. */
export interface BlankScore {
  crossedText: string;
  /** 1 when the best n-gram's tokens equal the phrase's tokens, else 0. */
  exactMatch: 0 | 1;
  /** |pred ∩ ref| / |pred ∪ ref| over the token sets of the best n-gram and the phrase. */
  jaccard: number;
  /** difflib ratio of the best n-gram (joined with spaces) to the phrase; 0 when none. */
  maxSimVal: number;
  /** The best n-gram joined with single spaces; "" when none (or refused). */
  maxSimString: string;
  /** True when the prediction was refused by the profile's filter (every blank scores 0). */
  refused: boolean;
}

/** lmms-eval `fast_filter` / VLMEvalKit `rough_filter` (negated): refusal phrases, English and Chinese. */
export function isRefusalDefault(text: string): boolean {
  return (
    text.includes("I can't") ||
    text.includes('I cannot') ||
    pyLower(text).includes('sorry') ||
    text.includes('无法') ||
    text.includes('抱歉')
  );
}

/**
 * The authors' `rough_filter` for THUDM/cogvlm2-llama3-chat-19B on English data: only
 * "I can't" and "I cannot" count as refusals ("sorry" does not).
 */
export function isRefusalCogvlm2En(text: string): boolean {
  return text.includes("I can't") || text.includes('I cannot');
}

/**
 * The text each profile scores: lmms-eval strips the generation (its harness-level
 * `str.strip()`, docs/scoring.md §2.4); VLMEvalKit and the authors keep what follows the last
 * "Assistant: ", unstripped (edge whitespace becomes whitespace tokens).
 */
export function scoredText(prediction: string, profile: VcrProfile): string {
  if (profile === 'lmms-eval') return pyStrip(prediction);
  const parts = prediction.split('Assistant: ');
  return parts[parts.length - 1];
}

export function isRefusal(text: string, profile: VcrProfile): boolean {
  return profile === 'official' ? isRefusalCogvlm2En(text) : isRefusalDefault(text);
}

const ZERO = (crossedText: string, refused: boolean): BlankScore => ({
  crossedText,
  exactMatch: 0,
  jaccard: 0,
  maxSimVal: 0,
  maxSimString: '',
  refused,
});

/**
 * One blank (lmms-eval `vcr_process_results_single`, VLMEvalKit/authors `find_best_match`):
 * among the prediction's n-grams (n = token count of the phrase) that share at least one token
 * with the phrase, the first one with the highest difflib ratio to the phrase wins (found by
 * ngram-search.ts without scanning every n-gram); exact match compares token lists, Jaccard
 * token sets.
 */
export function scoreBlankTokens(
  prediction: readonly string[] | PredictionSequence,
  crossedText: string,
  crossedTokens: readonly string[],
): BlankScore {
  const pred = prediction instanceof PredictionSequence ? prediction : new PredictionSequence(prediction);
  const found = findBestNgram(pred, crossedText, crossedTokens);
  if (found === undefined) return ZERO(crossedText, false);
  const { exact, common, union } = tokenOverlap(pred, found.start, crossedTokens);
  return {
    crossedText,
    exactMatch: exact ? 1 : 0,
    jaccard: union > 0 ? common / union : 0,
    maxSimVal: found.ratio,
    maxSimString: pred.tokens.slice(found.start, found.start + crossedTokens.length).join(' '),
    refused: false,
  };
}

/** Every blank of one sample under one profile. */
export function scoreSample(
  prediction: string,
  crossedTexts: readonly string[],
  profile: VcrProfile,
  tokenize: Tokenize,
): BlankScore[] {
  const text = scoredText(prediction, profile);
  if (isRefusal(text, profile)) return crossedTexts.map((c) => ZERO(c, true));
  return scoreScoredText(text, crossedTexts, tokenize);
}

/** The blanks of a text that a profile scores and did not refuse (profiles with equal texts agree). */
export function scoreScoredText(text: string, crossedTexts: readonly string[], tokenize: Tokenize): BlankScore[] {
  if (crossedTexts.length === 0) return [];
  // The prediction is tokenized and indexed once for all its blanks.
  const pred = new PredictionSequence(tokenize(text));
  return crossedTexts.map((c) => scoreBlankTokens(pred, c, tokenize(c)));
}

export interface VcrTotals {
  exactMatch: number;
  jaccard: number;
  blanks: number;
}

/** The references' aggregate: the plain mean over all blanks of all samples (not per-sample means). */
export function blankMeans(samples: readonly (readonly BlankScore[])[]): VcrTotals {
  let em = 0;
  let jac = 0;
  let n = 0;
  for (const blanks of samples) {
    for (const b of blanks) {
      em += b.exactMatch;
      jac += b.jaccard;
      n++;
    }
  }
  return { exactMatch: n > 0 ? em / n : Number.NaN, jaccard: n > 0 ? jac / n : Number.NaN, blanks: n };
}
