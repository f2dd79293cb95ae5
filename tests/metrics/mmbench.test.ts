// Tests for MMBench scoring: can_infer per profile, circular groups, judge prompt and replies,
// record parsing and the scorer, plus the mmbench_* vector files.
import { describe, expect, it } from 'vitest';
import {
  canInfer,
  decideCircularGroup,
  mcqJudgePrompt,
  mcqOptionString,
  mmbenchScorer,
  prefetchCircularGroup,
  resolveRowWithJudge,
  type GroupRow,
  type MMBenchItem,
  type RandomSource,
} from '../../harness/benchmarks/mmbench/scorer.js';
import { PyRandom } from '../../harness/metrics/py.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import { vectorChecks } from '../../harness/benchmarks/mmbench/vector-checks.js';
import { vectorMismatches } from '../vector-helper.js';

const ANIMALS = { A: 'cat', B: 'dog', C: 'bird', D: 'fish' };
const YES_NO = { A: 'Yes', B: 'No' };

/** A RandomSource that must not be used. */
const NO_RANDOM: RandomSource = {
  randbelow: () => {
    throw new Error('unexpected random draw');
  },
  choice: () => {
    throw new Error('unexpected random draw');
  },
};

describe('mmbench vectors', () => {
  for (const file of ['mmbench_extract.jsonl', 'mmbench_circular.jsonl']) {
    it(file, () => {
      const r = vectorMismatches(file, vectorChecks);
      expect(r.problems).toEqual([]);
      expect(r.mismatches).toEqual([]);
      expect(r.failed).toBe(0);
      expect(r.passed).toBeGreaterThan(0);
    });
  }
});

describe('canInfer: spec §11.4 example table', () => {
  const table: [string, string | false, string | false, string | false][] = [
    ['**B**', 'B', 'B', false],
    ['Answer:B', 'B', 'B', false],
    ['the answer is b', 'B', false, false],
    ['A man is riding a horse', false, 'A', false],
    ['E', false, false, 'E'],
    ['Among A, B, C and D the answer is B', 'B', false, false],
    ['B. Because the dog is on the left and A is wrong and C is wrong and D is also wrong', false, 'B', 'B'],
    ['Cannot determine the answer', 'Z', 'Z', false],
    ['A).', 'A', 'A', 'A'],
  ];
  for (const [answer, current, old, lmms] of table) {
    it(JSON.stringify(answer), () => {
      expect(canInfer(answer, ANIMALS, 'vlmevalkit')).toBe(current);
      expect(canInfer(answer, ANIMALS, 'vlmevalkit@2024-05')).toBe(old);
      expect(canInfer(answer, ANIMALS, 'lmms-eval')).toBe(lmms);
      expect(canInfer(answer, ANIMALS, 'lmms-eval@2024-05')).toBe(lmms);
    });
  }
});

describe('canInfer: vlmevalkit (current)', () => {
  const p = 'vlmevalkit' as const;
  it('API failure text gives no letter, even when an option text would match', () => {
    expect(canInfer('Failed to obtain answer via API', { A: 'api', B: 'dog' }, p)).toBe(false);
    expect(canInfer('B Failed to obtain answer via API', YES_NO, p)).toBe(false);
  });
  it('refusal phrases give Z, wherever they stand', () => {
    expect(canInfer("I can't process this file.", ANIMALS, p)).toBe('Z');
    expect(canInfer("Well, I'm sorry, but without the image provided I guess B", ANIMALS, p)).toBe('Z');
    expect(canInfer("Sorry, I can't help with images of people yet.", ANIMALS, p)).toBe('Z');
  });
  it('replaces the listed punctuation by spaces before tokenising', () => {
    for (const s of ['(B)', '[B]', '{B}', 'B;', 'B!', '#B', '*B*', 'B,', 'x:B']) expect(canInfer(s, ANIMALS, p)).toBe('B');
    // "?" and "-" are not replaced
    expect(canInfer('B?', { A: 'cat', B: 'dog' }, p)).toBe(false);
    expect(canInfer('-B-', { A: 'cat', B: 'dog' }, p)).toBe(false);
  });
  it('tokenises on Python whitespace (U+0085, U+3000), not on U+200B', () => {
    expect(canInfer('x\u0085B', ANIMALS, p)).toBe('B');
    expect(canInfer('x\u3000B', ANIMALS, p)).toBe('B');
    expect(canInfer('x\u200bB', { A: 'cat', B: 'dog' }, p)).toBe(false);
  });
  it('one letter counts only when its first occurrence is among the last 4 tokens', () => {
    expect(canInfer('w1 w2 w3 B', ANIMALS, p)).toBe('B');
    expect(canInfer('B w2 w3 w4', ANIMALS, p)).toBe('B'); // index 0 > 4 - 5
    expect(canInfer('w1 B w3 w4 w5', ANIMALS, p)).toBe('B'); // index 1 > 0
    // index 0 of 5 tokens is not > 0; the text stage then sees no option text
    expect(canInfer('B w2 w3 w4 w5', { A: 'cat', B: 'dog' }, p)).toBe(false);
    // first occurrence decides, even if the letter is repeated at the end
    expect(canInfer('B w2 w3 w4 w5 B', { A: 'cat', B: 'dog' }, p)).toBe(false);
  });
  it('only letters of present options are counted', () => {
    expect(canInfer('D', { A: 'cat', B: 'dog' }, p)).toBe(false);
    expect(canInfer('B or D', { A: 'cat', B: 'dog' }, p)).toBe('B');
    expect(canInfer('E', { A: 'a1', B: 'b1', C: 'c1', D: 'd1', E: 'e1' }, p)).toBe('E');
  });
  it('Z as a token answers Z only when no option letter is a token', () => {
    expect(canInfer('Z', ANIMALS, p)).toBe('Z');
    expect(canInfer('I pick Z', ANIMALS, p)).toBe('Z');
    expect(canInfer('Z or B', ANIMALS, p)).toBe('B');
    expect(canInfer('z', { A: 'cat', B: 'dog' }, p)).toBe(false);
  });
  it('"answer is X" regex: case-insensitive, optional "correct", asterisks, first match only', () => {
    expect(canInfer('A and C: the answer is C', ANIMALS, p)).toBe('C');
    expect(canInfer('A and C: the ANSWER  IS\n**d**', ANIMALS, p)).toBe('D');
    expect(canInfer('A and C: correct answer is b', ANIMALS, p)).toBe('B');
    expect(canInfer('x the answer is a dog and more words', ANIMALS, p)).toBe('A');
    expect(canInfer('x the answer is bird and more words', ANIMALS, p)).toBe('B');
    // Python's IGNORECASE also matches ſ for s and ı / İ for i
    expect(canInfer('A and C: the anſwer ıs B', ANIMALS, p)).toBe('B');
    expect(canInfer('A and C: the answer İs B', ANIMALS, p)).toBe('B');
    // the letter must be a choice; only the first match is looked at
    expect(canInfer('A and B: the answer is D, I mean the answer is A', { A: 'cat', B: 'dog' }, p)).toBe(false);
    // needs whitespace between the words
    expect(canInfer('A and C: the answeris B', ANIMALS, p)).toBe(false);
  });
  it('text stage: exactly one lower-cased option text contained in the lower-cased answer', () => {
    expect(canInfer('a DOG.', { A: 'cat', B: 'Dog' }, p)).toBe('B');
    expect(canInfer('dog house', { A: 'dog', B: 'house' }, p)).toBe(false);
    // an empty option text occurs everywhere
    expect(canInfer('cat', { A: 'cat', B: '' }, p)).toBe(false);
  });
  it('text stage refuses answers longer than twice the option texts (code points)', () => {
    const choices = { A: 'cat', B: 'dog' }; // budget 12
    expect(canInfer('a cat, yes!!', choices, p)).toBe('A'); // 12 code points
    expect(canInfer('a cat, yes!!!', choices, p)).toBe(false); // 13
    expect(canInfer('😀😀 cat 😀😀😀', choices, p)).toBe('A'); // 12 code points, 17 UTF-16 units
  });
});

describe('canInfer: vlmevalkit@2024-05', () => {
  const p = 'vlmevalkit@2024-05' as const;
  it('a single letter token counts wherever it stands', () => {
    expect(canInfer('B w2 w3 w4 w5 w6', ANIMALS, p)).toBe('B');
    expect(canInfer('A is how many dogs there are', ANIMALS, p)).toBe('A');
  });
  it('no "answer is" regex', () => {
    expect(canInfer('A and C: the answer is B', ANIMALS, p)).toBe(false);
  });
  it('no length limit in the text stage', () => {
    expect(canInfer(`${'x'.repeat(200)} dog`, { A: 'cat', B: 'dog' }, p)).toBe('B');
    expect(canInfer(`${'x'.repeat(200)} dog`, { A: 'cat', B: 'dog' }, 'vlmevalkit')).toBe(false);
  });
  it('refusals and Z as for current', () => {
    expect(canInfer('Cannot determine the answer', ANIMALS, p)).toBe('Z');
    expect(canInfer('Z', ANIMALS, p)).toBe('Z');
    expect(canInfer('Failed to obtain answer via API', { A: 'api' }, p)).toBe(false);
  });
});

describe('canInfer: lmms-eval', () => {
  const p = 'lmms-eval' as const;
  it('letters A–E are candidates whatever the options', () => {
    expect(canInfer('D', YES_NO, p)).toBe('D');
    expect(canInfer('E', ANIMALS, p)).toBe('E');
    expect(canInfer('F', ANIMALS, p)).toBe(false);
    expect(canInfer('Z', ANIMALS, p)).toBe(false);
  });
  it('no punctuation replacement and no refusal → Z', () => {
    expect(canInfer('**B**', ANIMALS, p)).toBe(false);
    expect(canInfer('{B}', ANIMALS, p)).toBe(false);
    expect(canInfer("I can't process this file.", ANIMALS, p)).toBe(false);
  });
  it('a single token letter, except when "A" is a token among more than 3 tokens', () => {
    expect(canInfer('I choose C', ANIMALS, p)).toBe('C');
    expect(canInfer('A is it', ANIMALS, p)).toBe('A'); // 3 tokens
    expect(canInfer('A is it really', ANIMALS, p)).toBe(false); // 4 tokens
    expect(canInfer('B is it really', ANIMALS, p)).toBe('B');
    expect(canInfer('B or C', ANIMALS, p)).toBe(false);
  });
  it('affix patterns in order, each needing exactly one letter', () => {
    expect(canInfer('B. dog', ANIMALS, p)).toBe('B');
    expect(canInfer('B, dog', ANIMALS, p)).toBe('B');
    expect(canInfer('B: dog', ANIMALS, p)).toBe('B');
    expect(canInfer('(B) dog', ANIMALS, p)).toBe('B');
    expect(canInfer('(B). dog', ANIMALS, p)).toBe('B');
    expect(canInfer('x :B', ANIMALS, p)).toBe('B');
    expect(canInfer('x :B).', ANIMALS, p)).toBe('B');
    // "A" quantifier case falls through to the affixes: "C." is the only "L." token
    expect(canInfer('A dog is C. yes', ANIMALS, p)).toBe('C');
    // two "L." tokens: the next pattern ("L,") decides
    expect(canInfer('A. B. C,', ANIMALS, p)).toBe('C');
    expect(canInfer('A. B.', ANIMALS, p)).toBe(false);
  });
  it('text stage without length limit; only A–D options are texts', () => {
    expect(canInfer(`${'x'.repeat(200)} dog`, { A: 'cat', B: 'dog' }, p)).toBe('B');
    expect(canInfer('i see a kiwi', { A: 'cat', B: 'dog', E: 'kiwi' }, p)).toBe(false);
    expect(canInfer('i see a kiwi', { A: 'cat', B: 'dog', E: 'kiwi' }, 'vlmevalkit')).toBe('E');
  });
  it('the prediction is used as given (no strip inside the extractor)', () => {
    expect(canInfer('cat ', { A: 'cat ', B: 'dog' }, p)).toBe('A');
    expect(canInfer('cat', { A: 'cat ', B: 'dog' }, p)).toBe(false);
  });
});

describe('prefetchCircularGroup (§11.3 steps 1–2)', () => {
  const row = (prediction: string, answer: string) => ({ prediction, answer, options: ANIMALS });
  it('any present wrong letter scores 0, even with unresolved rows', () => {
    expect(prefetchCircularGroup([row('???', 'A'), row('C', 'B')], 'vlmevalkit').verdict).toBe(0);
  });
  it('a Z letter is a wrong letter', () => {
    expect(prefetchCircularGroup([row('A', 'A'), row('Cannot determine the answer', 'B')], 'vlmevalkit').verdict).toBe(0);
  });
  it('all resolved and right scores 1', () => {
    const r = prefetchCircularGroup([row('A', 'A'), row('(B)', 'B'), row('fish', 'D')], 'vlmevalkit');
    expect(r.verdict).toBe(1);
    expect(r.letters).toEqual(['A', 'B', 'D']);
  });
  it('right letters with an unresolved row need the judge', () => {
    expect(prefetchCircularGroup([row('A', 'A'), row('no idea', 'B')], 'vlmevalkit').verdict).toBe('needs_judge');
  });
  it('options that are NaN are not choices', () => {
    const rows = [{ prediction: 'C', answer: 'A', options: { A: 'yes', B: 'no', C: null, D: null } }];
    expect(prefetchCircularGroup(rows, 'vlmevalkit').verdict).toBe('needs_judge');
    expect(prefetchCircularGroup(rows, 'lmms-eval').verdict).toBe(0);
  });
});

describe('judge prompt (Appendix B)', () => {
  const expectedVlm =
    'You are an AI assistant who will help me to match an answer with several options of a single-choice question. ' +
    'You are provided with a question, several options, and an answer, and you need to find which option is most similar to the answer. ' +
    'If the meaning of all options are significantly different from the answer, output Z. ' +
    'Your should output a single uppercase character in A, B, C, D (if they are valid options), and Z. \n' +
    'Example 1: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
    'Answer: a cute teddy bear\nYour output: A\n' +
    'Example 2: \nQuestion: What is the main object in image?\nOptions: A. teddy bear B. rabbit C. cat D. dog\n' +
    'Answer: Spider\nYour output: Z\n' +
    'Example 3: \nQuestion: What is it?\nOptions: There are several options: \nA. cat\nB. dog\nD. $& fish\n\n' +
    'Answer: a {} $1 cat\nYour output: ';
  const options = { A: 'cat', B: 'dog', C: null, D: '$& fish' };
  it('vlmevalkit: every non-NaN option, Z for none, "?" after the question', () => {
    const prompt = mcqJudgePrompt('What is it', options, 'a {} $1 cat', 'vlmevalkit');
    expect(prompt).toBe(expectedVlm);
    expect(mcqJudgePrompt('What is it', options, 'a {} $1 cat', 'vlmevalkit@2024-05')).toBe(expectedVlm);
  });
  it('lmms-eval: E for none, options stop at the first NaN', () => {
    const prompt = mcqJudgePrompt('What is it', options, 'a {} $1 cat', 'lmms-eval');
    const expected = expectedVlm
      .replace('output Z. ', 'output E. ')
      .replace('and Z. \n', 'and E. \n')
      .replace('Your output: Z\n', 'Your output: E\n')
      .replace('B. dog\nD. $& fish\n', 'B. dog\n');
    expect(prompt).toBe(expected);
    expect(prompt.match(/\bZ\b/g)).toBeNull();
  });
  it('option strings', () => {
    expect(mcqOptionString({ A: 'x', B: 'y', C: 'z', D: 'w', E: 'v' }, 'lmms-eval')).toBe(
      'There are several options: \nA. x\nB. y\nC. z\nD. w\n',
    );
    expect(mcqOptionString({ B: 'y', A: 'x', E: 'v' }, 'vlmevalkit')).toBe('There are several options: \nA. x\nB. y\nE. v\n');
    expect(mcqOptionString({ A: 'x', B: '' }, 'vlmevalkit')).toBe('There are several options: \nA. x\nB. \n');
  });
});

function groupRow(partial: Partial<GroupRow> & Pick<GroupRow, 'prediction' | 'answer'>): GroupRow {
  return { index: 1, options: ANIMALS, ...partial };
}

describe('resolveRowWithJudge', () => {
  it('reads replies with the profile can_infer, skipping API failures', () => {
    const row = groupRow({ prediction: '?', answer: 'B', judgeOutputs: ['Failed to obtain answer via API', 'dunno', 'B'] });
    expect(resolveRowWithJudge(row, 'vlmevalkit', NO_RANDOM)).toEqual({ kind: 'letter', letter: 'B', attempts: 3 });
  });
  it('only the first 3 replies count', () => {
    const row = groupRow({ prediction: '?', answer: 'B', judgeOutputs: ['x', 'y', 'z', 'B'] });
    const rng = new PyRandom(7);
    const expected = new PyRandom(7).choice(['A', 'B', 'C', 'D', 'Z']);
    expect(resolveRowWithJudge(row, 'vlmevalkit', rng)).toEqual({ kind: 'random', letter: expected, attempts: 3 });
  });
  it('judge Z (vlmevalkit) and E (lmms-eval) are letters, never right', () => {
    expect(resolveRowWithJudge(groupRow({ prediction: '?', answer: 'A', judgeOutputs: ['Z'] }), 'vlmevalkit', NO_RANDOM)).toEqual({
      kind: 'letter',
      letter: 'Z',
      attempts: 1,
    });
    expect(resolveRowWithJudge(groupRow({ prediction: '?', answer: 'A', judgeOutputs: ['E'] }), 'lmms-eval', NO_RANDOM)).toEqual({
      kind: 'letter',
      letter: 'E',
      attempts: 1,
    });
  });
  it('missing or empty replies → missing; fewer than 3 unusable → failed', () => {
    expect(resolveRowWithJudge(groupRow({ prediction: '?', answer: 'A' }), 'vlmevalkit', NO_RANDOM).kind).toBe('missing');
    expect(resolveRowWithJudge(groupRow({ prediction: '?', answer: 'A', judgeOutputs: [] }), 'vlmevalkit', NO_RANDOM).kind).toBe('missing');
    expect(resolveRowWithJudge(groupRow({ prediction: '?', answer: 'A', judgeOutputs: ['x', 'y'] }), 'vlmevalkit', NO_RANDOM).kind).toBe(
      'failed',
    );
  });
  it('lmms-eval random fallback: randint over the first N column letters plus E', () => {
    const options = { A: 'yes', B: 'no', C: null, D: null }; // 4 columns, NaN or not
    const row = groupRow({ prediction: '?', answer: 'A', options, judgeOutputs: ['x', 'y', 'z'] });
    const expected = 'ABCDE'[new PyRandom(2680).randbelow(5)];
    expect(resolveRowWithJudge(row, 'lmms-eval', new PyRandom(2680))).toEqual({ kind: 'random', letter: expected, attempts: 3 });
    const twoColumns = groupRow({ prediction: '?', answer: 'A', options: { A: 'yes', B: 'no' }, judgeOutputs: ['x', 'y', 'z'] });
    const expected2 = 'ABE'[new PyRandom(5).randbelow(3)];
    expect(resolveRowWithJudge(twoColumns, 'lmms-eval', new PyRandom(5))).toEqual({ kind: 'random', letter: expected2, attempts: 3 });
    const oneColumn = groupRow({ prediction: '?', answer: 'A', options: { A: 'yes' }, judgeOutputs: ['x', 'y', 'z'] });
    expect(resolveRowWithJudge(oneColumn, 'lmms-eval', NO_RANDOM).kind).toBe('failed');
  });
  it('vlmevalkit random fallback: choice over the present letters plus Z', () => {
    const options = { A: 'yes', B: 'no', C: null, D: null };
    const row = groupRow({ prediction: '?', answer: 'A', options, judgeOutputs: ['x', 'y', 'z'] });
    const expected = new PyRandom(11).choice(['A', 'B', 'Z']);
    expect(resolveRowWithJudge(row, 'vlmevalkit@2024-05', new PyRandom(11))).toEqual({ kind: 'random', letter: expected, attempts: 3 });
  });
  it('vlmevalkit: judge replies see the choices lower-cased once the prediction passed the length check', () => {
    // "İ".lower() is 2 code points: the budget grows from 2·3 = 6 to 2·5 = 10 after lower-casing.
    const options = { A: 'İİ', B: 'x' };
    const short = groupRow({ prediction: 'q', answer: 'B', options, judgeOutputs: ['xyzxyzxy'] });
    expect(resolveRowWithJudge(short, 'vlmevalkit', NO_RANDOM)).toEqual({ kind: 'letter', letter: 'B', attempts: 1 });
    const long = groupRow({ prediction: 'qqqqqqq', answer: 'B', options, judgeOutputs: ['xyzxyzxy'] });
    expect(resolveRowWithJudge(long, 'vlmevalkit', NO_RANDOM).kind).toBe('failed');
  });
});

describe('decideCircularGroup', () => {
  const rows = (judge1?: string[], judge2?: string[]): GroupRow[] => [
    groupRow({ index: 5, prediction: 'hmm', answer: 'A', judgeOutputs: judge1 }),
    groupRow({ index: 1000005, prediction: 'hmm', answer: 'D', judgeOutputs: judge2 }),
  ];
  it('exact-matching: a group needing the judge scores 0, needs_judge', () => {
    const d = decideCircularGroup(rows(['A'], ['D']), 'vlmevalkit', 'exact-matching', NO_RANDOM);
    expect(d).toMatchObject({ value: 0, status: 'needs_judge' });
  });
  it('llm: all rows resolved right by the judge → 1, scored', () => {
    expect(decideCircularGroup(rows(['A'], ['D']), 'vlmevalkit', 'llm', NO_RANDOM)).toMatchObject({
      value: 1,
      status: 'scored',
      letters: ['A', 'D'],
    });
  });
  it('llm: rows go to the judge in order and the first wrong one ends the group', () => {
    // second row has no replies, but the first is already wrong
    expect(decideCircularGroup(rows(['B']), 'vlmevalkit', 'llm', NO_RANDOM)).toMatchObject({ value: 0, status: 'scored' });
    expect(decideCircularGroup(rows(['A']), 'vlmevalkit', 'llm', NO_RANDOM)).toMatchObject({ value: 0, status: 'needs_judge' });
    expect(decideCircularGroup(rows(['A'], ['q']), 'vlmevalkit', 'llm', NO_RANDOM)).toMatchObject({
      value: null,
      status: 'judge_failed',
    });
  });
  it('llm: prefetch-decided groups never use the judge', () => {
    const decided: GroupRow[] = [groupRow({ prediction: 'A', answer: 'A', judgeOutputs: ['B'] })];
    expect(decideCircularGroup(decided, 'vlmevalkit', 'llm', NO_RANDOM)).toMatchObject({ value: 1, status: 'scored', stage: 'prefetch' });
  });
  it('llm: a random fallback marks the group random_fallback', () => {
    const d = decideCircularGroup(rows(['x', 'y', 'z'], ['D']), 'vlmevalkit', 'llm', new PyRandom(3));
    const guess = new PyRandom(3).choice(['A', 'B', 'C', 'D', 'Z']);
    expect(d.status).toBe('random_fallback');
    expect(d.value).toBe(guess === 'A' ? 1 : 0);
  });
});

function record(over: Record<string, unknown>): Record<string, unknown> {
  return { index: 7, prediction: 'A', answer: 'A', question: 'q', A: 'cat', B: 'dog', C: 'bird', D: 'fish', ...over };
}

describe('mmbenchScorer.parseRecord', () => {
  const parse = (rec: Record<string, unknown>) => mmbenchScorer.parseRecord(rec);
  const fieldOf = (rec: Record<string, unknown>): string => {
    try {
      parse(rec);
    } catch (err) {
      if (err instanceof RecordError) return err.field;
      throw err;
    }
    return 'no error';
  };
  it('parses options, NaN cells, hint, categories and judge replies', () => {
    const item = parse(
      record({ C: 'NaN', D: null, hint: 'NaN', 'L2-category': 'l2', category: 'c', split: 'dev', judge_outputs: ['A'] }),
    );
    expect(item.options).toEqual({ A: 'cat', B: 'dog', C: null, D: null });
    expect(item.hint).toBeNull();
    expect(item).toMatchObject({ index: 7, category: 'c', l2Category: 'l2', split: 'dev', judgeOutputs: ['A'] });
  });
  it('accepts id when index is absent', () => {
    const rec = record({ id: 1000007 });
    delete rec['index'];
    expect(parse(rec).index).toBe(1000007);
  });
  it('names the bad field', () => {
    const noIndex = record({});
    delete noIndex['index'];
    expect(fieldOf(noIndex)).toBe('index');
    expect(fieldOf(record({ index: 1.5 }))).toBe('index');
    expect(fieldOf(record({ prediction: null }))).toBe('prediction');
    expect(fieldOf(record({ answer: 'a' }))).toBe('answer');
    expect(fieldOf(record({ answer: 'C', C: 'NaN' }))).toBe('answer');
    expect(fieldOf(record({ question: 3 }))).toBe('question');
    expect(fieldOf(record({ B: 2 }))).toBe('B');
    expect(fieldOf(record({ judge_outputs: ['A', 1] }))).toBe('judge_outputs');
    expect(fieldOf(record({}))).toBe('no error');
  });
});

describe('mmbenchScorer.scoreItems', () => {
  const items = (recs: Record<string, unknown>[]): MMBenchItem[] => recs.map((r) => mmbenchScorer.parseRecord(r));
  it('declares profiles, default, scale and binary', () => {
    expect([...mmbenchScorer.profiles].sort()).toEqual(['lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit', 'vlmevalkit@2024-05']);
    expect(mmbenchScorer.defaultProfile).toBe('vlmevalkit');
    expect(mmbenchScorer.scale).toBe('percent');
    expect(mmbenchScorer.binary).toBe(true);
    const names = mmbenchScorer.recordFields.map((f) => f.name);
    for (const n of ['id', 'prediction', 'answer', 'question', 'judge_outputs']) expect(names).toContain(n);
  });
  it('rejects other profiles, listing the valid ones', () => {
    expect(() => mmbenchScorer.scoreItems([], 'official', { judgeMode: 'exact-matching' })).toThrow(/vlmevalkit.*lmms-eval/);
  });
  it('one result per circular group (index mod 10⁶), in index order, categories from the main row', () => {
    const recs = [
      record({ index: 2000002, prediction: 'C', answer: 'C', category: 'copy-cat' }),
      record({ index: 2, prediction: 'A', answer: 'A', category: 'cat1', 'l2-category': 'l2a' }),
      record({ index: 1000002, prediction: 'B', answer: 'B' }),
      record({ index: 1, prediction: 'B', answer: 'A', category: 'cat2' }),
      record({ index: 1000001, prediction: 'A', answer: 'B' }),
    ];
    const res = mmbenchScorer.scoreItems(items(recs), 'vlmevalkit', { judgeMode: 'exact-matching' });
    expect(res.map((r) => [r.id, r.value, r.status])).toEqual([
      ['1', 0, 'scored'],
      ['2', 1, 'scored'],
    ]);
    expect(res[1].categories).toEqual({ category: 'cat1', l2_category: 'l2a' });
    expect(res[1].detail).toMatchObject({ indices: [2, 1000002, 2000002], letters: ['A', 'B', 'C'] });
  });
  it('exact-matching: groups needing a judge score 0 and are counted as needs_judge', () => {
    const res = mmbenchScorer.scoreItems(items([record({ prediction: 'no idea' })]), 'vlmevalkit', { judgeMode: 'exact-matching' });
    expect(res).toMatchObject([{ id: '7', value: 0, status: 'needs_judge' }]);
  });
  it('llm: uses judge_outputs; missing replies → needs_judge', () => {
    const withJudge = items([record({ prediction: 'no idea', judge_outputs: ['A'] })]);
    expect(mmbenchScorer.scoreItems(withJudge, 'vlmevalkit', { judgeMode: 'llm' })).toMatchObject([{ value: 1, status: 'scored' }]);
    const without = items([record({ prediction: 'no idea' })]);
    expect(mmbenchScorer.scoreItems(without, 'vlmevalkit', { judgeMode: 'llm' })).toMatchObject([{ value: 0, status: 'needs_judge' }]);
  });
  it('lmms-eval profiles strip the prediction first (§2.4); VLMEvalKit does not', () => {
    const recs = items([record({ prediction: 'I see a cat ', A: 'cat ', answer: 'A' })]);
    const opts = { judgeMode: 'exact-matching' } as const;
    expect(mmbenchScorer.scoreItems(recs, 'vlmevalkit@2024-05', opts)[0]).toMatchObject({ value: 1, status: 'scored' });
    expect(mmbenchScorer.scoreItems(recs, 'lmms-eval', opts)[0]).toMatchObject({ value: 0, status: 'needs_judge' });
    expect(mmbenchScorer.scoreItems(recs, 'lmms-eval@2024-05', opts)[0]).toMatchObject({ value: 0, status: 'needs_judge' });
  });
  it('lmms-eval random fallbacks draw from one RNG seeded 2680, groups in index order', () => {
    const recs = items([
      record({ index: 9, prediction: '?', judge_outputs: ['x', 'y', 'z'] }),
      record({ index: 3, prediction: '?', judge_outputs: ['x', 'y', 'z'] }),
    ]);
    const rng = new PyRandom(2680);
    const first = 'ABCDE'[rng.randbelow(5)];
    const second = 'ABCDE'[rng.randbelow(5)];
    const res = mmbenchScorer.scoreItems(recs, 'lmms-eval', { judgeMode: 'llm' });
    expect(res.map((r) => r.id)).toEqual(['3', '9']);
    expect(res.map((r) => r.status)).toEqual(['random_fallback', 'random_fallback']);
    expect(res.map((r) => r.value)).toEqual([first === 'A' ? 1 : 0, second === 'A' ? 1 : 0]);
    expect(res.map((r) => (r.detail?.['letters'] as string[])[0])).toEqual([first, second]);
    const seeded = mmbenchScorer.scoreItems(recs, 'lmms-eval', { judgeMode: 'llm', seed: 1 });
    expect((seeded[0].detail?.['letters'] as string[])[0]).toBe('ABCDE'[new PyRandom(1).randbelow(5)]);
  });
  it('copies without a main row are reported not_applicable', () => {
    const res = mmbenchScorer.scoreItems(items([record({ index: 1000004 })]), 'vlmevalkit', { judgeMode: 'exact-matching' });
    expect(res).toMatchObject([{ id: '4', value: null, status: 'not_applicable' }]);
  });
  it('duplicate indices are an error', () => {
    expect(() => mmbenchScorer.scoreItems(items([record({}), record({})]), 'vlmevalkit', { judgeMode: 'exact-matching' })).toThrow(
      /duplicate/,
    );
  });
});
