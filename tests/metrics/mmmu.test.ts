// Tests for MMMU scoring (harness/benchmarks/mmmu/scorer.ts): spec rules of scoring.md §9 and the mmmu_* vectors.
import { describe, expect, it } from 'vitest';
import {
  collapseOpenParse,
  extractNumbers,
  lmmsEvalCollapsedOpenCorrect,
  mmmuQuestionOutcome,
  mmmuScorer,
  mmmuSubjectInfo,
  multipleChoiceCorrect,
  multipleChoiceLetter,
  normalizeOpenString,
  officialGold,
  openAnswerCorrect,
  openKeySubresponses,
  parseMultipleChoice,
  parseOpenResponse,
  subjectFromId,
  trimMcPunctuation,
  vlmevalkitChoices,
  vlmevalkitGroundTruth,
  vlmevalkitJudgeLetter,
  type MmmuItem,
  type MmmuQuestion,
} from '../../harness/benchmarks/mmmu/scorer.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import { PyRandom } from '../../harness/metrics/py.js';
import { vectorChecks } from '../../harness/benchmarks/mmmu/vector-checks.js';
import { vectorMismatches } from '../vector-helper.js';

const ANIMALS = ['cat', 'dog', 'bird', 'fish'];
const sortSet = (xs: readonly (number | string)[]) =>
  [...xs].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );

describe('vectors', () => {
  for (const file of ['mmmu_mc_parse.jsonl', 'mmmu_open_parse.jsonl', 'mmmu_eval.jsonl']) {
    it(file, () => {
      const r = vectorMismatches(file, vectorChecks);
      expect(r.problems).toEqual([]);
      expect(r.mismatches).toEqual([]);
      expect(r.failed).toBe(0);
      expect(r.passed).toBeGreaterThan(100);
    });
  }
});

describe('multiple-choice parsing, official (§9.3)', () => {
  const off = (r: string, opts: readonly string[] = ANIMALS) => multipleChoiceLetter(r, opts, 'official');

  it('trims punctuation one character type at a time, in order', () => {
    expect(trimMcPunctuation('B.!')).toBe('B.');
    expect(trimMcPunctuation('!B.')).toBe('B');
    expect(trimMcPunctuation(',;B:')).toBe('B');
    expect(trimMcPunctuation(';,B')).toBe(',B'); // ',' was tried before ';' came off
    expect(trimMcPunctuation(' B. ')).toBe(' B. ');
    expect(off('B.!')).toBeNull();
    expect(off('B!')).toBe('B');
    expect(off("'C'")).toBe('C');
  });

  it('does not trim whitespace: a letter next to a newline is not " L "', () => {
    expect(off('\nB\n')).toBeNull();
    expect(off(' B ')).toBe('B');
    expect(off('B\n\nExplanation: A is wrong')).toBe('A');
  });

  it('bracket mode wins over space mode and takes the last bracket', () => {
    expect(off('(A) or (B)? I\'d go with (B)')).toBe('B');
    expect(off('I pick (C) not A')).toBe('C');
    expect(off('(C) then (A)')).toBe('A');
    expect(off('(b)')).toBeNull();
  });

  it('space mode needs spaces on both sides; last occurrence wins', () => {
    expect(off('A and B')).toBe('B');
    expect(off('B or A or B then D is off')).toBe('D');
    expect(off('B. cat')).toBeNull();
    expect(off('AB')).toBeNull();
    expect(off('E')).toBeNull(); // not an option letter
  });

  it('content mode only with more than 5 whitespace tokens; last option text wins', () => {
    expect(off('The image shows a dog and a cat together.')).toBe('A');
    expect(off('a dog then a cat')).toBeNull(); // 5 tokens
    expect(off('i see a dog then a bird')).toBe('C');
    expect(off('THE ANIMAL IN PICTURE IS DOG')).toBe('B'); // lower-cased on both sides
  });

  it('ties go to the earliest letter', () => {
    // option texts "cats" and "cat" both last occur at the same index
    expect(multipleChoiceLetter('what we have here are many cats', ['cats', 'cat'], 'official')).toBe('A');
  });

  it('draws a seeded random guess when nothing is found, from a shared stream', () => {
    const rng = new PyRandom(42);
    const guesses = ['x', 'y', 'z', 'w'].map((r) => parseMultipleChoice(r, ANIMALS, 'official', rng));
    expect(guesses.every((g) => g.randomFallback)).toBe(true);
    expect(guesses.map((g) => g.letter)).toEqual(['A', 'A', 'C', 'B']); // random.Random(42).choice sequence (§12.9)
    expect(parseMultipleChoice('B', ANIMALS, 'official', rng)).toEqual({ letter: 'B', randomFallback: false });
  });
});

describe('multiple-choice parsing, lmms-eval (§9.4)', () => {
  const lm = (r: string, opts: readonly string[] = ANIMALS) => multipleChoiceLetter(r, opts, 'lmms-eval');

  it('accepts "L " without a leading space, then "L."', () => {
    expect(lm('B. cat')).toBe('B');
    expect(lm('Answer:B')).toBe('B');
    expect(lm('答案是B')).toBe('B');
    expect(lm('B.C.')).toBe('C');
    expect(multipleChoiceLetter('B.C.', ANIMALS, 'lmms-eval@2024-05')).toBe('C');
    expect(lm('xB.y')).toBe('B'); // only the "L." step finds it
    expect(multipleChoiceLetter('xB.y', ANIMALS, 'official')).toBeNull();
  });

  it('resolves several candidates with rfind(" L "), -1 when absent (earliest letter on ties)', () => {
    expect(lm('ABC')).toBe('C'); // " ABC ": only "C " occurs
    expect(lm('AB')).toBe('B');
    expect(lm('B, A.')).toBe('A'); // " B, A ": "B," is not "B "
    expect(lm('B A')).toBe('A'); // candidates A, B; " A " occurs last
    expect(lm('xA B')).toBe('B'); // rfind(" A ") = -1 < rfind(" B ")
    expect(lm('xA xB ')).toBe('A'); // neither has " L ": both -1 → earliest letter
  });

  it('does not strip the response itself', () => {
    expect(lm('\nB\n')).toBeNull();
  });
});

describe('multipleChoiceCorrect', () => {
  it('compares with one gold or a list', () => {
    expect(multipleChoiceCorrect('B', 'B')).toBe(true);
    expect(multipleChoiceCorrect('B', 'C')).toBe(false);
    expect(multipleChoiceCorrect(['A', 'C'], 'C')).toBe(true);
    expect(multipleChoiceCorrect(['A', 'C'], 'B')).toBe(false);
  });
});

describe('open answers (§9.5)', () => {
  it('extracts comma-grouped, scientific, then simple numbers with Unicode \\d and \\b', () => {
    expect(extractNumbers('x=3.14 and y=-2')).toEqual(['3.14', '-2']);
    expect(extractNumbers('1,234,567 and 7')).toEqual(['1,234,567', '567', '7']);
    expect(extractNumbers('6.02e23')).toEqual(['6.02e23', '6', '23']);
    expect(extractNumbers('a1b2')).toEqual(['2']);
    expect(extractNumbers('٣٤')).toEqual(['٣٤']);
    expect(extractNumbers('x²')).toEqual([]);
    expect(extractNumbers('12,5')).toEqual(['5']);
  });

  it('normalises numbers with Python round on the exact binary value', () => {
    expect(normalizeOpenString(' 8.005 ')).toEqual([8.01]);
    expect(normalizeOpenString('12.975')).toEqual([12.97]);
    expect(normalizeOpenString('0.125')).toEqual([0.12]);
    expect(normalizeOpenString('1,249')).toEqual([1249]);
    expect(normalizeOpenString('١٢')).toEqual([12]);
    expect(normalizeOpenString('1_000')).toEqual([1000]);
    expect(normalizeOpenString('−5')).toEqual(['−5']);
    expect(normalizeOpenString('X')).toEqual([' x', 'x ']);
    expect(normalizeOpenString('Hello')).toEqual(['hello']);
    expect(normalizeOpenString('')).toEqual(['']);
  });

  it('keeps the shortest indicator tail per segment; "=" only in the last segment', () => {
    expect(openKeySubresponses('Thus the value is 5 units')).toEqual(['5 units']);
    expect(openKeySubresponses('x = 4\nso it is 4')).toEqual(['4']);
    expect(openKeySubresponses('x = 4\ny')).toEqual(['x = 4\ny']);
    expect(openKeySubresponses('a = 3')).toEqual(['3']);
    expect(openKeySubresponses('the answer is :')).toEqual(['the answer is :']); // trivial tail dropped
    expect(openKeySubresponses('so \nthus 7')).toEqual(['7']); // empty tail is replaced by any later tail
    expect(openKeySubresponses('  Paris.  ')).toEqual(['paris']);
  });

  it('parses to a set of numbers and strings', () => {
    expect(sortSet(parseOpenResponse('The mass is 12.97 grams'))).toEqual([12.97, '12.97 grams']);
    expect(sortSet(parseOpenResponse('1,249'))).toEqual([249, 1249]);
    expect(parseOpenResponse('5 and 5.0 and 5')).toEqual(['5 and 5.0 and 5', 5]);
    expect(parseOpenResponse('.')).toEqual(['']);
  });

  it('matches strings by substring and numbers by equality', () => {
    const right = (gold: string | string[], resp: string) => openAnswerCorrect(gold, parseOpenResponse(resp));
    expect(right('8', '8.004')).toBe(true);
    expect(right('8', '8.005')).toBe(false);
    expect(right('12.97', '12.975')).toBe(true);
    expect(right('12', '١٢')).toBe(true);
    expect(right('-120', '−120')).toBe(false);
    expect(right('Transformation', 'transformations')).toBe(true);
    expect(right('1249', '1,249')).toBe(true);
    expect(right('1249', '1 249')).toBe(false);
    expect(right('50', '50%')).toBe(true);
    expect(right('A', 'Other Answers')).toBe(true);
    expect(right('A', 'B')).toBe(false);
    expect(right(['24/7', '3.429'], '3.43')).toBe(true);
    expect(right(['24/7', '3.429'], 'the answer is 24/7 hours')).toBe(true);
    expect(right('10', 'ten')).toBe(false);
    // numeric gold vs string-only parse: a number never matches a string form
    expect(right('5', 'five')).toBe(false);
  });
});

describe('lmms-eval collapsed open answers (§9.6)', () => {
  it('walks the first element character by character, so real golds never match', () => {
    const parsed = parseOpenResponse('12.97');
    expect(collapseOpenParse(parsed)).toBe('12.97');
    expect(lmmsEvalCollapsedOpenCorrect('12.97', parsed)).toBe(false);
    expect(lmmsEvalCollapsedOpenCorrect('A', parseOpenResponse('A'))).toBe(false);
    expect(collapseOpenParse([])).toBe('');
  });
  it('an empty gold form sits in any character of a non-empty collapse', () => {
    expect(lmmsEvalCollapsedOpenCorrect('  ', parseOpenResponse('x y'))).toBe(true);
    expect(lmmsEvalCollapsedOpenCorrect('  ', parseOpenResponse('.'))).toBe(false);
  });
});

describe('vlmevalkit reframing (§9.7)', () => {
  it('rewrites open questions as gold vs Other Answers; single capital letters stay the truth', () => {
    expect(vlmevalkitChoices('open', '1249', [])).toEqual({ A: '1249', B: 'Other Answers' });
    expect(vlmevalkitChoices('multiple-choice', 'B', ['x', 'y'])).toEqual({ A: 'x', B: 'y' });
    expect(vlmevalkitGroundTruth('1249')).toBe('A');
    expect(vlmevalkitGroundTruth('B')).toBe('B');
    expect(vlmevalkitGroundTruth('b')).toBe('A');
    expect(vlmevalkitGroundTruth('AB')).toBe('A');
  });

  const q = (answer: string | string[], response: string, extra: Partial<MmmuQuestion> = {}): MmmuQuestion => ({
    questionType: 'open',
    answer,
    response,
    options: [],
    ...extra,
  });
  const vk = (question: MmmuQuestion, mode: 'exact-matching' | 'llm' = 'exact-matching') =>
    mmmuQuestionOutcome(question, 'vlmevalkit', mode, new PyRandom(0));

  it('exact matching: textual substring, unresolved → Z (needs judge)', () => {
    expect(vk(q('1249', '12490')).correct).toBe(true);
    expect(vk(q('1249', '1,249')).correct).toBe(false);
    expect(vk(q('8', '8.005')).correct).toBe(true);
    const unresolved = vk(q('1249', '1,249'));
    expect(unresolved.status).toBe('needs_judge');
    expect(unresolved.detail['letter']).toBe('Z');
    expect(vk(q('B', 'The answer is other answers')).correct).toBe(true);
    expect(vk(q(['a', 'b'], 'a')).status).toBe('not_applicable');
    expect(vk(q(['a', 'b'], 'a')).correct).toBeNull();
  });

  it('llm mode reads judge replies with can_infer, then falls back to a random letter', () => {
    const question = q('1249', '1,249');
    expect(vk({ ...question, judgeOutputs: ['A'] }, 'llm')).toMatchObject({ correct: true, status: 'scored' });
    expect(vk({ ...question, judgeOutputs: ['B'] }, 'llm')).toMatchObject({ correct: false, status: 'scored' });
    expect(vk({ ...question, judgeOutputs: ['???', 'A'] }, 'llm')).toMatchObject({ correct: true, status: 'scored' });
    expect(vk({ ...question, judgeOutputs: ['?', '?', '?'] }, 'llm').status).toBe('random_fallback');
    expect(vk({ ...question, judgeOutputs: ['?'] }, 'llm').status).toBe('judge_failed');
    expect(vk(question, 'llm').status).toBe('needs_judge');
  });

  it('judge loop skips API failures and draws from the choices plus Z', () => {
    const choices = { A: 'cat', B: 'dog' };
    const failed = 'Failed to obtain answer via API';
    expect(vlmevalkitJudgeLetter([failed, 'B'], choices, new PyRandom(0))).toMatchObject({ letter: 'B', attempts: 2 });
    expect(vlmevalkitJudgeLetter([failed, failed, failed], choices, new PyRandom(0)).status).toBe('judge_failed');
    const drawn = vlmevalkitJudgeLetter(['?', '?', '?', 'A'], choices, new PyRandom(0));
    expect(drawn.status).toBe('random_fallback');
    expect(['A', 'B', 'Z']).toContain(drawn.letter);
  });
});

describe('records and subjects', () => {
  it('derives the subject from an HF id and the discipline from the subject', () => {
    expect(subjectFromId('validation_Art_Theory_12')).toBe('Art_Theory');
    expect(subjectFromId('validation_Math_1')).toBe('Math');
    expect(subjectFromId('nope')).toBeUndefined();
    expect(mmmuSubjectInfo('Art Theory')).toEqual({ subject: 'Art_Theory', discipline: 'Art & Design' });
    expect(mmmuSubjectInfo('Diagnostics_and_Laboratory_Medicine')?.discipline).toBe('Health & Medicine');
    expect(mmmuSubjectInfo('Astrology')).toBeUndefined();
  });

  it('parses records and names the bad field', () => {
    const item = mmmuScorer.parseRecord({
      id: 'validation_Math_3',
      prediction: 'B',
      question_type: 'multiple-choice',
      answer: 'B',
      options: "['1', '2', '3']",
    });
    expect(item).toMatchObject({ id: 'validation_Math_3', options: ['1', '2', '3'], subject: 'Math', discipline: 'Science' });
    const bad = (rec: Record<string, unknown>, field: string) => {
      try {
        mmmuScorer.parseRecord(rec);
      } catch (err) {
        expect(err).toBeInstanceOf(RecordError);
        expect((err as RecordError).field).toBe(field);
        return;
      }
      throw new Error('expected a RecordError');
    };
    const base = { id: 'validation_Math_3', prediction: 'B', question_type: 'open', answer: '3' };
    bad({ ...base, id: undefined }, 'id');
    bad({ ...base, prediction: 3 }, 'prediction');
    bad({ ...base, question_type: 'mc' }, 'question_type');
    bad({ ...base, answer: 3 }, 'answer');
    bad({ ...base, question_type: 'multiple-choice' }, 'options');
    bad({ ...base, options: 'not a list' }, 'options');
    bad({ ...base, id: 'x1' }, 'subject');
    bad({ ...base, judge_outputs: 'A' }, 'judge_outputs');
    expect(mmmuScorer.parseRecord({ ...base, id: 7, subject: 'Physics' })).toMatchObject({ id: '7', subject: 'Physics', discipline: 'Science' });
  });

  it('official converts list-literal golds of strings only', () => {
    expect(officialGold("['24/7', '3.429']")).toEqual(['24/7', '3.429']);
    expect(officialGold('[1, 2]')).toBe('[1, 2]');
    expect(officialGold('(1, 2)')).toBe('(1, 2)');
    expect(officialGold(['x'])).toEqual(['x']);
  });
});

describe('mmmuScorer.scoreItems', () => {
  const item = (over: Partial<MmmuItem>): MmmuItem => ({
    id: 'validation_Math_1',
    prediction: 'B',
    questionType: 'multiple-choice',
    answer: 'B',
    options: ANIMALS,
    subject: 'Math',
    discipline: 'Science',
    ...over,
  });

  it('declares profiles, default, scale', () => {
    expect([...mmmuScorer.profiles].sort()).toEqual(['lmms-eval', 'lmms-eval@2024-05', 'official', 'vlmevalkit']);
    expect(mmmuScorer.defaultProfile).toBe('official');
    expect(mmmuScorer.scale).toBe('percent');
    expect(mmmuScorer.binary).toBe(true);
    expect(() => mmmuScorer.scoreItems([item({})], 'pix2struct', { judgeMode: 'exact-matching' })).toThrow(/official, lmms-eval/);
  });

  it('strips the output under lmms-eval profiles only (§2.4)', () => {
    const items = [item({ prediction: '\nB\n' })];
    expect(mmmuScorer.scoreItems(items, 'lmms-eval', { judgeMode: 'exact-matching' })[0]).toMatchObject({ value: 1, status: 'scored' });
    expect(mmmuScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' })[0].status).toBe('random_fallback');
  });

  it('flags random fallbacks and reproduces them from the seed in item order', () => {
    const items = ['x', 'y', 'z', 'w', 'B'].map((p, i) => item({ id: `validation_Math_${i}`, prediction: p, answer: 'A' }));
    const official = mmmuScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' });
    expect(official.map((r) => r.status)).toEqual(['random_fallback', 'random_fallback', 'random_fallback', 'random_fallback', 'scored']);
    expect(official.map((r) => r.value)).toEqual([1, 1, 0, 0, 0]); // seed 42: A A C B
    expect(official[0].detail?.['randomFallback']).toBe(true);
    expect(official[4].detail?.['randomFallback']).toBe(false);
    const seeded = (seed: number | undefined, profile: 'official' | 'lmms-eval') =>
      mmmuScorer.scoreItems(items, profile, { judgeMode: 'exact-matching', ...(seed === undefined ? {} : { seed }) }).map((r) => r.detail?.['letter']);
    expect(seeded(undefined, 'lmms-eval')).toEqual(seeded(0, 'official'));
    expect(seeded(42, 'lmms-eval')).toEqual(seeded(undefined, 'official'));
    const seq = new PyRandom(0);
    expect(seeded(undefined, 'lmms-eval').slice(0, 4)).toEqual([0, 1, 2, 3].map(() => seq.choice(['A', 'B', 'C', 'D'])));
  });

  it('official draws its random guesses in the authors\' order (subject by subject, then id number), whatever the line order', () => {
    // Art comes after Accounting in the authors' CAT_SHORT2LONG; Math_10 after Math_9.
    const given = [
      item({ id: 'validation_Math_10', subject: 'Math', prediction: 'x' }),
      item({ id: 'validation_Art_1', subject: 'Art', prediction: 'x' }),
      item({ id: 'validation_Math_9', subject: 'Math', prediction: 'x' }),
      item({ id: 'validation_Accounting_3', subject: 'Accounting', prediction: 'x' }),
      item({ id: 'validation_Accounting_2', subject: 'Accounting', prediction: 'B' }),
    ];
    const letters = (items: MmmuItem[]) =>
      Object.fromEntries(mmmuScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' }).map((r) => [r.id, r.detail?.['letter']]));
    const seq = new PyRandom(42);
    const draw = () => seq.choice(['A', 'B', 'C', 'D']);
    const expected: Record<string, unknown> = { validation_Accounting_2: 'B' };
    for (const id of ['validation_Accounting_3', 'validation_Art_1', 'validation_Math_9', 'validation_Math_10']) expected[id] = draw();
    expect(letters(given)).toEqual(expected);
    // Shuffled lines (a fixed permutation and the reverse): the same guess for every id, the same score.
    const shuffled = [given[3], given[0], given[4], given[2], given[1]];
    expect(letters(shuffled)).toEqual(expected);
    expect(letters([...given].reverse())).toEqual(expected);
    const score = (items: MmmuItem[]) => mmmuScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' }).reduce((a, r) => a + (r.value ?? 0), 0);
    expect(score(shuffled)).toBe(score(given));
    // lmms-eval keeps drawing in the given order (its harness does).
    const lmms = (items: MmmuItem[]) => mmmuScorer.scoreItems(items, 'lmms-eval', { judgeMode: 'exact-matching' }).map((r) => r.detail?.['letter']);
    const seq0 = new PyRandom(0);
    expect(lmms(given.slice(0, 4))).toEqual([0, 1, 2, 3].map(() => seq0.choice(['A', 'B', 'C', 'D'])));
  });

  it('an already-parsed letter (eval-only layout) is compared directly, without options', () => {
    const rec = { id: 'validation_Art_2', prediction: 'C', question_type: 'multiple-choice', answer: 'C', parsed: true };
    const parsed = mmmuScorer.parseRecord(rec);
    expect(mmmuScorer.scoreItems([parsed], 'official', { judgeMode: 'exact-matching' })[0]).toMatchObject({ value: 1, status: 'scored' });
    expect(mmmuScorer.scoreItems([mmmuScorer.parseRecord({ ...rec, answer: 'B' })], 'official', { judgeMode: 'exact-matching' })[0].value).toBe(0);
    expect(mmmuScorer.scoreItems([parsed], 'vlmevalkit', { judgeMode: 'exact-matching' })[0].status).toBe('not_applicable');
    expect(() => mmmuScorer.parseRecord({ ...rec, parsed: undefined })).toThrow(/options/);
    expect(() => mmmuScorer.parseRecord({ ...rec, parsed: 'yes' })).toThrow(/parsed/);
  });

  it('converts list-literal golds under official only; lmms-eval scores open items wrong', () => {
    const open = item({ questionType: 'open', options: [], answer: "['24/7', '3.429']", prediction: '3.429' });
    expect(mmmuScorer.scoreItems([open], 'official', { judgeMode: 'exact-matching' })[0].value).toBe(1);
    expect(mmmuScorer.scoreItems([open], 'lmms-eval@2024-05', { judgeMode: 'exact-matching' })[0].value).toBe(0);
    const plain = item({ questionType: 'open', options: [], answer: '12.97', prediction: '12.97' });
    expect(mmmuScorer.scoreItems([plain], 'lmms-eval@2024-05', { judgeMode: 'exact-matching' })[0].value).toBe(1);
    expect(mmmuScorer.scoreItems([plain], 'lmms-eval', { judgeMode: 'exact-matching' })[0].value).toBe(0);
  });

  it('vlmevalkit: needs_judge counted and scored 0; list golds not applicable; categories kept', () => {
    const rs = mmmuScorer.scoreItems(
      [item({ prediction: 'dunno' }), item({ questionType: 'open', options: [], answer: ['a', 'b'], prediction: 'a' })],
      'vlmevalkit',
      { judgeMode: 'exact-matching' },
    );
    expect(rs[0]).toMatchObject({ value: 0, status: 'needs_judge', categories: { subject: 'Math', discipline: 'Science' } });
    expect(rs[1]).toMatchObject({ value: null, status: 'not_applicable' });
  });
});
