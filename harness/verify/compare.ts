// Compares a vector check's result with an expected value under the rules of
// shared/vectors README §2–§3, and checks whole vector files line by line.
import { readFileSync } from 'node:fs';
import { PyError, codePointCompare } from '../metrics/py.js';
import { isNeedsJudge, isRandomFallback, type VectorChecks, type VectorInput } from './markers.js';

export interface Mismatch {
  file: string;
  line: number;
  metric: string;
  label: string;
  expected: unknown;
  got: unknown;
}

export interface FileCheck {
  passed: number;
  failed: number;
  mismatches: Mismatch[];
}

const TOLERANCE = 1e-9;

function specialNumber(x: unknown): number | undefined {
  if (x === 'NaN') return Number.NaN;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Canonical order of `_sorted` labels: numbers ascending, then strings by code point. */
export function canonicalSort(values: readonly unknown[]): unknown[] {
  const nums = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const strs = values.filter((v): v is string => typeof v === 'string').sort(codePointCompare);
  const rest = values.filter((v) => typeof v !== 'number' && typeof v !== 'string');
  return [...nums, ...strs, ...rest];
}

/** Plain value comparison (no markers): README §2. */
export function valuesMatch(expected: unknown, got: unknown): boolean {
  const special = specialNumber(expected);
  if (special !== undefined) {
    if (typeof got !== 'number') return false;
    return Number.isNaN(special) ? Number.isNaN(got) : got === special;
  }
  if (typeof expected === 'number') {
    if (typeof got !== 'number') return false;
    if (!Number.isFinite(expected) || !Number.isFinite(got)) return expected === got;
    return Math.abs(got - expected) <= TOLERANCE;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') return expected === got;
  if (expected === null) return got === null;
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) return false;
    return expected.every((e, i) => valuesMatch(e, got[i]));
  }
  if (typeof expected === 'object') {
    if (typeof got !== 'object' || got === null || Array.isArray(got)) return false;
    const ek = Object.keys(expected as object).sort();
    const gk = Object.keys(got as object).sort();
    if (ek.length !== gk.length || ek.some((k, i) => k !== gk[i])) return false;
    return ek.every((k) => valuesMatch((expected as Record<string, unknown>)[k], (got as Record<string, unknown>)[k]));
  }
  return false;
}

/** Valid random guesses for a `<RANDOM>` (letters of the row's options) or `RANDOM` (a boolean). */
function validRandomGuess(expected: string, input: VectorInput, guess: unknown): boolean {
  if (expected === 'RANDOM') return typeof guess === 'boolean';
  const options = input['options'];
  const n = Array.isArray(options) ? options.length : 0;
  return typeof guess === 'string' && guess.length === 1 && guess.charCodeAt(0) >= 65 && guess.charCodeAt(0) < 65 + n;
}

/** Evaluates one label: returns [matches, printable result]. */
export function checkLabel(
  fn: (input: VectorInput) => unknown,
  input: VectorInput,
  label: string,
  expected: unknown,
): [boolean, unknown] {
  let got: unknown;
  try {
    got = fn(input);
  } catch (err) {
    if (err instanceof PyError) {
      const tag = `ERROR:${err.pyName}`;
      return [expected === tag, tag];
    }
    return [false, `THROWN:${err instanceof Error ? err.message : String(err)}`];
  }
  if (typeof expected === 'string' && expected.startsWith('ERROR:')) return [false, printable(got)];
  if (expected === '<RANDOM>' || expected === 'RANDOM') {
    if (!isRandomFallback(got)) return [false, printable(got)];
    return [validRandomGuess(expected, input, got.value), printable(got)];
  }
  if (isRandomFallback(got)) return [false, printable(got)];
  if (expected === 'NEEDS_JUDGE') return [isNeedsJudge(got), printable(got)];
  if (isNeedsJudge(got)) return [false, printable(got)];
  if (label.endsWith('_sorted') && Array.isArray(got)) got = canonicalSort(got);
  return [valuesMatch(expected, got), printable(got)];
}

export function printable(x: unknown): unknown {
  if (isRandomFallback(x)) return { randomFallback: true, value: printable(x.value) };
  if (isNeedsJudge(x)) return 'NEEDS_JUDGE';
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return x;
}

export class VectorFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'VectorFileError';
  }
}

/**
 * Checks every line of a vector file under every label. A line that is not valid JSON, or
 * names a metric/label we have no check for, is reported as an unreadable-input problem
 * (collected in `problems`); the remaining lines are still checked.
 */
export function checkVectorText(
  file: string,
  text: string,
  checks: VectorChecks,
): FileCheck & { problems: VectorFileError[] } {
  const result: FileCheck & { problems: VectorFileError[] } = { passed: 0, failed: 0, mismatches: [], problems: [] };
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      result.problems.push(new VectorFileError(file, lineNo, `not valid JSON (${(err as Error).message}); fix or remove the line`));
      return;
    }
    if (typeof obj !== 'object' || obj === null) {
      result.problems.push(new VectorFileError(file, lineNo, 'a vector line must be a JSON object'));
      return;
    }
    const rec = obj as Record<string, unknown>;
    const metric = rec['metric'];
    const input = rec['input'];
    const expected = rec['expected'];
    if (typeof metric !== 'string') {
      result.problems.push(new VectorFileError(file, lineNo, 'missing field "metric" (a string)'));
      return;
    }
    if (typeof input !== 'object' || input === null) {
      result.problems.push(new VectorFileError(file, lineNo, 'missing field "input" (an object)'));
      return;
    }
    if (typeof expected !== 'object' || expected === null) {
      result.problems.push(new VectorFileError(file, lineNo, 'missing field "expected" (an object)'));
      return;
    }
    const byLabel = checks[metric];
    if (!byLabel) {
      result.problems.push(new VectorFileError(file, lineNo, `unknown metric "${metric}"`));
      return;
    }
    for (const [label, exp] of Object.entries(expected as Record<string, unknown>)) {
      const fn = byLabel[label];
      if (!fn) {
        result.problems.push(new VectorFileError(file, lineNo, `unknown label "${label}" for metric "${metric}"`));
        continue;
      }
      const [ok, got] = checkLabel(fn, input as VectorInput, label, exp);
      if (ok) result.passed++;
      else {
        result.failed++;
        result.mismatches.push({ file, line: lineNo, metric, label, expected: exp, got });
      }
    }
  });
  return result;
}

export function checkVectorFile(file: string, checks: VectorChecks): FileCheck & { problems: VectorFileError[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { passed: 0, failed: 0, mismatches: [], problems: [new VectorFileError(file, undefined, `cannot read: ${(err as Error).message}`)] };
  }
  return checkVectorText(file, text, checks);
}
