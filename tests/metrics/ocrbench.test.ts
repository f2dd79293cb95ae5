// Tests for OCRBench scoring (scoring.md §8): the vector file plus own cases for each rule.
import { describe, expect, it } from 'vitest';
import {
  OCRBENCH_CATEGORIES,
  OCRBENCH_PROFILES,
  SUBSCORE_KEY,
  TEXT_RECOGNITION,
  answerList,
  foldFullwidth,
  hmeNormalize,
  ocrbenchItemScore,
  ocrbenchItemVerdict,
  ocrbenchPoints,
  ocrbenchScorer,
  ocrbenchSubscore,
  textNormalize,
  usesHmeRule,
  type OcrBenchCategory,
  type OcrBenchItem,
  type OcrBenchProfile,
} from '../../harness/benchmarks/ocrbench/scorer.js';
import { pyContains } from '../../harness/metrics/py.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import { vectorChecks } from '../../harness/benchmarks/ocrbench/vector-checks.js';
import { vectorMismatches } from '../vector-helper.js';

const HME: OcrBenchCategory = 'Handwritten Mathematical Expression Recognition';
const REGULAR: OcrBenchCategory = 'Regular Text Recognition';
const STVQA: OcrBenchCategory = 'Scene Text-centric VQA';

function hmeItem(prediction: string, answer: string | string[]) {
  return { prediction, answer, dataset: 'HME100k', category: HME };
}
function textItem(prediction: string, answer: string | string[], category: OcrBenchCategory = REGULAR) {
  return { prediction, answer, dataset: 'IIIT5K', category };
}
/** Scores under all four profiles, in the order official, lmms-eval, lmms-eval@2024-05, vlmevalkit. */
function allProfiles(item: Parameters<typeof ocrbenchItemScore>[0]): number[] {
  return OCRBENCH_PROFILES.map((p) => ocrbenchItemScore(item, p));
}

describe('ocrbench vectors', () => {
  it('passes every row of ocrbench.jsonl under every label', () => {
    const r = vectorMismatches('ocrbench.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(346 * 4);
  });
});

describe('HME rule (§8.3)', () => {
  it('strips, turns \\n into a space and removes every ASCII space', () => {
    expect(hmeNormalize('  y _ { 2 } = - 1\n')).toBe('y_{2}=-1');
    expect(hmeNormalize('\\frac { A }\n{ B }')).toBe('\\frac{A}{B}');
  });
  it('keeps tabs, \\r, U+00A0 and U+3000 inside the text', () => {
    expect(hmeNormalize('a\tb')).toBe('a\tb');
    expect(hmeNormalize('a\r\nb')).toBe('a\rb');
    expect(hmeNormalize('a\u00a0b')).toBe('a\u00a0b');
    expect(hmeNormalize('a\u3000b')).toBe('a\u3000b');
  });
  it('hits when the transformed answer is inside the transformed prediction', () => {
    expect(allProfiles(hmeItem('$y_{2} = -1$', 'y _ { 2 } = - 1\n'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(hmeItem('y_{2}=-1', 'y _ { 3 } = - 1\n'))).toEqual([0, 0, 0, 0]);
  });
  it('is case-sensitive (except lmms-eval@2024-05, which lower-cases the prediction)', () => {
    expect(allProfiles(hmeItem('X^{2}', 'x ^ { 2 }\n'))).toEqual([0, 0, 1, 0]);
    expect(allProfiles(hmeItem('x^{2}', 'X ^ { 2 }\n'))).toEqual([0, 0, 0, 0]);
  });
  it('does not remove tabs, so a tab between tokens misses', () => {
    expect(allProfiles(hmeItem('a\t+b', 'a + b\n'))).toEqual([0, 0, 0, 0]);
    expect(allProfiles(hmeItem('a +b', 'a + b\n'))).toEqual([1, 1, 1, 1]);
  });
  it('does not lower-case or fold fullwidth characters (not even under lmms-eval)', () => {
    expect(allProfiles(hmeItem('ｘ＋１', 'x + 1\n'))).toEqual([0, 0, 0, 0]);
  });
  it('counts one hit among several answers once', () => {
    const v = ocrbenchItemVerdict(hmeItem('\\sqrt2', ['\\sqrt { 2 }\n', '\\sqrt 2\n']), 'official');
    expect(v).toEqual({ score: 1, rule: 'hme', hitIndex: 1 });
  });
});

describe('non-HME rule (§8.3)', () => {
  it('lower-cases, strips and turns \\n into a space, keeping \\r', () => {
    expect(textNormalize('  The CENTRE\nline \r\n')).toBe('the centre line');
    expect(textNormalize('a\r\nb')).toBe('a\r b');
  });
  it('uses Python strip (U+0085, U+001C are whitespace, U+200B is not)', () => {
    expect(textNormalize('\u0085ab\u001c')).toBe('ab');
    expect(textNormalize('\u200bab')).toBe('\u200bab');
  });
  it('is substring containment on both lower-cased sides', () => {
    expect(allProfiles(textItem('The text says CENTRE.', 'CENTRE'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('thunder', 'under'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('123', '12'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('12', '123'))).toEqual([0, 0, 0, 0]);
    expect(allProfiles(textItem('cafe', 'café'))).toEqual([0, 0, 0, 0]);
  });
  it('turns a newline in either side into a space', () => {
    expect(allProfiles(textItem('04\nAPR 2018', '04 APR 2018'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('x a b y', 'a\nb'))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('a\r\nb', 'a b'))).toEqual([0, 0, 0, 0]);
  });
  it('strips the answer: padded answers still hit', () => {
    expect(allProfiles(textItem('it says padded', '  padded  '))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('padded', ' padded\n'))).toEqual([1, 1, 1, 1]);
  });
  it('lets an empty answer hit anything and an empty answer list hit nothing', () => {
    expect(allProfiles(textItem('', ''))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('whatever', ['']))).toEqual([1, 1, 1, 1]);
    expect(allProfiles(textItem('whatever', []))).toEqual([0, 0, 0, 0]);
  });
  it('gives 1 when any of several answers hits', () => {
    const v = ocrbenchItemVerdict(textItem('Coca-Cola!', ['pepsi', 'coca-cola', 'Coca-Cola']), 'official');
    expect(v).toEqual({ score: 1, rule: 'text', hitIndex: 1 });
  });
  it('treats a plain string as one answer, not as characters', () => {
    expect(allProfiles(textItem('C', 'CENTRE'))).toEqual([0, 0, 0, 0]);
  });
  it('uses Python lower-casing (İ → i + U+0307)', () => {
    expect(allProfiles(textItem('İstanbul', 'i\u0307stanbul'))).toEqual([1, 1, 1, 1]);
  });
});

describe('profile differences (§8.3, §14 items 14–16)', () => {
  it('folds fullwidth ASCII and U+3000 only under lmms-eval', () => {
    expect(allProfiles(textItem('ＣＥＮＴＲＥ', 'CENTRE'))).toEqual([0, 1, 0, 0]);
    expect(allProfiles(textItem('CENTRE', 'ｃｅｎｔｒｅ'))).toEqual([0, 1, 0, 0]);
    expect(allProfiles(textItem('04\u3000APR 2018', '04 APR 2018'))).toEqual([0, 1, 0, 0]);
    expect(allProfiles(textItem('price：５！', 'price:5!'))).toEqual([0, 1, 0, 0]);
  });
  it('foldFullwidth maps exactly U+FF01–U+FF5E and U+3000', () => {
    expect(foldFullwidth('！～Ａｚ０\u3000')).toBe('!~Az0 ');
    expect(foldFullwidth('\uff00\uff5f｡')).toBe('\uff00\uff5f｡');
  });
  it('lmms-eval@2024-05 lower-cases the prediction before the HME rule', () => {
    expect(allProfiles(hmeItem('\\frac{A}{B}', '\\frac { A } { B }\n'))).toEqual([1, 1, 0, 1]);
    expect(allProfiles(hmeItem('Y_{2}=-1', 'y _ { 2 } = - 1\n'))).toEqual([0, 0, 1, 0]);
  });
  it('vlmevalkit chooses the HME rule by category, the others by dataset name', () => {
    const mislabelled = { prediction: 'y_{2}=-1', answer: 'y _ { 2 } = - 1\n', dataset: 'HME100k', category: STVQA };
    expect(allProfiles(mislabelled)).toEqual([1, 1, 1, 0]);
    const reverse = { prediction: 'Y_{2}=-1', answer: 'y _ { 2 } = - 1\n', dataset: 'STVQA', category: HME };
    // official/lmms-eval: non-HME rule (lower-cased, spaces kept) → miss; vlmevalkit: HME rule, case-sensitive → miss.
    expect(allProfiles(reverse)).toEqual([0, 0, 0, 0]);
    const reverseSpaced = { prediction: 'y _ { 2 } = - 1', answer: 'y_{2}=-1', dataset: 'STVQA', category: HME };
    expect(allProfiles(reverseSpaced)).toEqual([0, 0, 0, 1]);
    expect(usesHmeRule({ dataset: 'HME100k', category: STVQA }, 'vlmevalkit')).toBe(false);
    expect(usesHmeRule({ dataset: 'HME100k', category: STVQA }, 'official')).toBe(true);
    expect(usesHmeRule({ dataset: 'hme100k', category: REGULAR }, 'lmms-eval')).toBe(false);
  });
  it('vlmevalkit evaluates a string answer cell that is a Python list literal', () => {
    expect(answerList("['CENTRE', 'centre']", 'vlmevalkit')).toEqual(['CENTRE', 'centre']);
    expect(answerList("['CENTRE', 'centre']", 'official')).toEqual(["['CENTRE', 'centre']"]);
    expect(answerList('CENTRE', 'vlmevalkit')).toEqual(['CENTRE']);
    expect(answerList(['a', 'b'], 'official')).toEqual(['a', 'b']);
    expect(allProfiles(textItem('centre', "['CENTRE']"))).toEqual([0, 0, 0, 1]);
  });
});

describe('pyContains (appended to py.ts)', () => {
  it('matches like Python `in` over code points', () => {
    expect(pyContains('abc', '')).toBe(true);
    expect(pyContains('x😀y', '😀')).toBe(true);
    expect(pyContains('abc', 'd')).toBe(false);
  });
  it('never matches half of a surrogate pair', () => {
    expect('😀'.includes('\ude00')).toBe(true);
    expect(pyContains('😀', '\ude00')).toBe(false);
    expect(pyContains('😀', '\ud83d')).toBe(false);
    expect(pyContains('😀\ude00', '\ude00')).toBe(true);
  });
});

describe('ocrbenchScorer', () => {
  it('offers the profiles of §2.3 with official as the default', () => {
    expect([...ocrbenchScorer.profiles].sort()).toEqual(['lmms-eval', 'lmms-eval@2024-05', 'official', 'vlmevalkit']);
    expect(ocrbenchScorer.defaultProfile).toBe('official');
    expect(ocrbenchScorer.scale).toBe('points1000');
    expect(ocrbenchScorer.binary).toBe(true);
    expect(ocrbenchScorer.bench).toBe('ocrbench');
    expect(ocrbenchScorer.recordFields.map((f) => f.name)).toEqual(['id', 'prediction', 'answer', 'question_type', 'dataset']);
  });

  it('parses HF-style and authors-style records', () => {
    const hf = ocrbenchScorer.parseRecord({
      id: 7,
      prediction: 'CENTRE',
      answer: ['CENTRE'],
      question_type: REGULAR,
      dataset: 'IIIT5K',
    });
    expect(hf).toEqual({ id: '7', prediction: 'CENTRE', answer: ['CENTRE'], category: REGULAR, dataset: 'IIIT5K' });
    const authors = ocrbenchScorer.parseRecord({
      id: 'a',
      prediction: 'x',
      answers: 'x',
      category: HME,
      dataset_name: 'HME100k',
    });
    expect(authors).toEqual({ id: 'a', prediction: 'x', answer: 'x', category: HME, dataset: 'HME100k' });
  });

  it('names the bad field when a record is wrong', () => {
    const good = { id: 1, prediction: 'p', answer: ['a'], question_type: REGULAR, dataset: 'IIIT5K' };
    const fieldOf = (rec: Record<string, unknown>): string => {
      try {
        ocrbenchScorer.parseRecord(rec);
      } catch (err) {
        if (err instanceof RecordError) return err.field;
        throw err;
      }
      return 'no error';
    };
    expect(fieldOf(good)).toBe('no error');
    expect(fieldOf({ ...good, id: undefined })).toBe('id');
    expect(fieldOf({ ...good, id: true })).toBe('id');
    expect(fieldOf({ ...good, prediction: null })).toBe('prediction');
    expect(fieldOf({ ...good, answer: undefined })).toBe('answer');
    expect(fieldOf({ ...good, answer: ['a', 3] })).toBe('answer');
    expect(fieldOf({ ...good, answer: undefined, answers: 5 })).toBe('answers');
    expect(fieldOf({ ...good, question_type: undefined })).toBe('question_type');
    expect(fieldOf({ ...good, question_type: 'Text Recognition' })).toBe('question_type');
    expect(fieldOf({ ...good, question_type: undefined, category: 'nope' })).toBe('category');
    expect(fieldOf({ ...good, dataset: undefined })).toBe('dataset');
    expect(fieldOf({ ...good, dataset: undefined, dataset_name: 1 })).toBe('dataset_name');
  });

  it('scores one unit per item with category and sub-score labels', () => {
    const items: OcrBenchItem[] = [
      { id: '1', prediction: ' CENTRE ', answer: ['centre'], category: REGULAR, dataset: 'IIIT5K' },
      { id: '2', prediction: 'nope', answer: 'yes', category: STVQA, dataset: 'STVQA' },
      { id: '3', prediction: '\\sqrt{2}', answer: ['\\sqrt { 2 }\n'], category: HME, dataset: 'HME100k' },
    ];
    const results = ocrbenchScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' });
    expect(results.map((r) => [r.id, r.value, r.status])).toEqual([
      ['1', 1, 'scored'],
      ['2', 0, 'scored'],
      ['3', 1, 'scored'],
    ]);
    expect(results[0].categories).toEqual({ category: REGULAR, [SUBSCORE_KEY]: TEXT_RECOGNITION });
    expect(results[1].categories).toEqual({ category: STVQA, [SUBSCORE_KEY]: STVQA });
    expect(results[2].detail).toEqual({ rule: 'hme', hitIndex: 0 });
  });

  it('rejects profiles OCRBench does not offer, listing the valid ones', () => {
    const opts = { judgeMode: 'exact-matching' as const };
    for (const bad of ['vlmevalkit@2024-05', 'pix2struct', 'vqa-v2@2021'] as const) {
      expect(() => ocrbenchScorer.scoreItems([], bad, opts)).toThrow(/official, lmms-eval, lmms-eval@2024-05, vlmevalkit/);
    }
    for (const good of OCRBENCH_PROFILES as readonly OcrBenchProfile[]) {
      expect(ocrbenchScorer.scoreItems([], good, opts)).toEqual([]);
    }
  });
});

describe('grouping and points (§8.1, §8.4)', () => {
  it('groups the first six categories as Text Recognition', () => {
    expect(OCRBENCH_CATEGORIES).toHaveLength(10);
    expect(OCRBENCH_CATEGORIES.map(ocrbenchSubscore)).toEqual([
      ...Array(6).fill(TEXT_RECOGNITION),
      'Scene Text-centric VQA',
      'Doc-oriented VQA',
      'Key Information Extraction',
      HME,
    ]);
  });
  it('sums points per category, Text Recognition and Final Score', () => {
    const items: OcrBenchItem[] = [
      { id: '1', prediction: 'a', answer: 'a', category: REGULAR, dataset: 'IIIT5K' },
      { id: '2', prediction: 'b', answer: 'b', category: 'Digit String Recognition', dataset: 'ORAND' },
      { id: '3', prediction: 'c', answer: 'x', category: 'Handwriting Recognition', dataset: 'IAM' },
      { id: '4', prediction: 'd', answer: 'd', category: 'Doc-oriented VQA', dataset: 'docVQA' },
      { id: '5', prediction: 'e', answer: 'e', category: HME, dataset: 'HME100k' },
    ];
    const points = ocrbenchPoints(ocrbenchScorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' }));
    expect(points.byCategory[REGULAR]).toBe(1);
    expect(points.byCategory['Handwriting Recognition']).toBe(0);
    expect(points.byCategory['Doc-oriented VQA']).toBe(1);
    expect(points.textRecognition).toBe(2);
    expect(points.final).toBe(4);
  });
});
