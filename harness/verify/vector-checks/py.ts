// Scorer-vector checks for python_semantics.jsonl: the Python runtime primitives of scoring.md §12
// (float(), split/strip/lower, case mapping and lengths, Unicode regex classes, seeded random).
import { PY_RE, PyRandom, pyCapitalize, pyFloat, pyLen, pyLower, pySplit, pyStrip, pyUpper } from '../../metrics/py.js';
import type { VectorChecks, VectorInput } from '../markers.js';

function textOf(input: VectorInput): string {
  const text = input['text'];
  if (typeof text !== 'string') throw new Error('python_semantics input: text must be a string');
  return text;
}

const WHOLE_DIGIT = new RegExp(`^${PY_RE.d}$`, 'u');
const WHOLE_WORD = new RegExp(`^${PY_RE.w}+$`, 'u');

/** re.fullmatch(r'\d', text) is not None */
function wholeTextIsDigit(text: string): boolean {
  return WHOLE_DIGIT.test(text);
}

/** re.fullmatch(r'\w+', text) is not None */
function wholeTextIsWord(text: string): boolean {
  return WHOLE_WORD.test(text);
}

/** The code point `ch` as a regex source matching itself literally. */
function regexLiteral(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);
}

/**
 * With s = ' ' + text: some occurrence of text's first character in s is immediately preceded
 * by a Python \b, i.e. re.search(r'\b' + re.escape(text[0]), s) is not None.
 */
function wordBoundaryBeforeFirstChar(text: string): boolean {
  const first = Array.from(text)[0];
  if (first === undefined) return false;
  return new RegExp(`${PY_RE.b}${regexLiteral(first)}`, 'u').test(` ${text}`);
}

const LETTERS = 'ABCDEFGHI';

/** A fresh random.Random(42); for each n, choice over the first n letters of "ABCDEFGHI". */
function seed42Choices(input: VectorInput): string[] {
  const lengths = input['list_lengths'];
  if (!Array.isArray(lengths) || !lengths.every((n): n is number => Number.isInteger(n) && n >= 1 && n <= LETTERS.length)) {
    throw new Error('py.random_seed42_choice_sequence input: list_lengths must be integers in 1..9');
  }
  const rng = new PyRandom(42);
  return lengths.map((n) => rng.choice(Array.from(LETTERS.slice(0, n))));
}

export const vectorChecks: VectorChecks = {
  'py.float': {
    python: (input) => pyFloat(textOf(input)),
  },
  'py.split_strip': {
    split: (input) => pySplit(textOf(input)),
    strip: (input) => pyStrip(textOf(input)),
    lower: (input) => pyLower(textOf(input)),
  },
  'py.case_and_length': {
    lower: (input) => pyLower(textOf(input)),
    upper: (input) => pyUpper(textOf(input)),
    capitalize: (input) => pyCapitalize(textOf(input)),
    len_codepoints: (input) => pyLen(textOf(input)),
    len_upper: (input) => pyLen(pyUpper(textOf(input))),
    len_utf16: (input) => textOf(input).length,
  },
  'py.regex_unicode': {
    re_d: (input) => wholeTextIsDigit(textOf(input)),
    re_w: (input) => wholeTextIsWord(textOf(input)),
    word_boundary_before: (input) => wordBoundaryBeforeFirstChar(textOf(input)),
  },
  'py.random_seed42_choice_sequence': {
    choices: seed42Choices,
  },
};
