// Result markers that vector checks return for outcomes that are not plain values
// (shared/vectors README §3): a random fallback and a "needs judge" hand-off.

const RANDOM_TAG = Symbol('randomFallback');
const NEEDS_JUDGE_TAG = Symbol('needsJudge');

/** The reference drew a random guess; `value` is the guess we drew (any valid one is accepted). */
export interface RandomFallback {
  readonly [RANDOM_TAG]: true;
  readonly value: unknown;
}
export interface NeedsJudge {
  readonly [NEEDS_JUDGE_TAG]: true;
}

export function randomFallback(value: unknown): RandomFallback {
  return { [RANDOM_TAG]: true, value };
}
export const NEEDS_JUDGE: NeedsJudge = { [NEEDS_JUDGE_TAG]: true };

export function isRandomFallback(x: unknown): x is RandomFallback {
  return typeof x === 'object' && x !== null && RANDOM_TAG in x;
}
export function isNeedsJudge(x: unknown): x is NeedsJudge {
  return typeof x === 'object' && x !== null && NEEDS_JUDGE_TAG in x;
}

/** Input object of one vector line (shape fixed per metric; checks verify what they read). */
export type VectorInput = Record<string, unknown>;
/**
 * metric name → vector label → function computing that label's value from the input.
 * A function returns the value, `randomFallback(v)`, `NEEDS_JUDGE`, `null` (not applicable),
 * or throws a PyError whose pyName matches an expected "ERROR:<Name>".
 */
export type VectorChecks = Record<string, Record<string, (input: VectorInput) => unknown>>;
