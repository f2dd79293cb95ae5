// Tests for ChartQA scoring (scoring.md §7) and py.ts pyListLiteralStr: the vector file plus own cases for each rule.
import { describe, expect, it } from 'vitest';
import {
  CHARTQA_PROFILES,
  chartqaItemScore,
  chartqaScorer,
  chartqaTargets,
  relaxedCorrectness,
  relaxedToFloat,
  type ChartqaItem,
} from '../../harness/benchmarks/chartqa/scorer.js';
import { pyListLiteralStr } from '../../harness/metrics/py.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import type { ProfileId } from '../../harness/metrics/types.js';
import { vectorChecks } from '../../harness/benchmarks/chartqa/vector-checks.js';
import { vectorMismatches } from '../vector-helper.js';

const OPTS = { judgeMode: 'exact-matching' } as const;

/** Scores under lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05, pix2struct (in that order). */
function allProfiles(prediction: string, answer: string): number[] {
  return CHARTQA_PROFILES.map((p) => chartqaItemScore(prediction, answer, p));
}

describe('chartqa_relaxed.jsonl vectors', () => {
  it('matches every label of every line', () => {
    const r = vectorMismatches('chartqa_relaxed.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBeGreaterThan(0);
  });
});

describe('relaxedToFloat (§7.2 step 1)', () => {
  it('divides by 100 after removing every trailing %', () => {
    expect(relaxedToFloat('45%')).toBe(0.45);
    expect(relaxedToFloat('45%%')).toBe(0.45);
    expect(relaxedToFloat('45 %')).toBe(0.45);
    expect(relaxedToFloat('%')).toBeNull();
    expect(relaxedToFloat('4%5')).toBeNull();
  });

  it('uses Python float() grammar', () => {
    expect(relaxedToFloat('1_000')).toBe(1000);
    expect(relaxedToFloat('١٢')).toBe(12);
    expect(relaxedToFloat('１２')).toBe(12);
    expect(relaxedToFloat(' 5 ')).toBe(5);
    expect(relaxedToFloat('1e3')).toBe(1000);
    expect(relaxedToFloat('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(relaxedToFloat('nan')).toBeNaN();
    expect(relaxedToFloat('1,000')).toBeNull();
    expect(relaxedToFloat('0x10')).toBeNull();
    expect(relaxedToFloat('')).toBeNull();
    expect(relaxedToFloat('$5')).toBeNull();
    expect(relaxedToFloat('−5')).toBeNull(); // U+2212 minus sign
  });
});

describe('relaxedCorrectness(target, prediction) (§7.2)', () => {
  it('accepts a relative change of at most 5%, in IEEE doubles', () => {
    expect(relaxedCorrectness('5', '5.25')).toBe(true);
    expect(relaxedCorrectness('1', '1.04')).toBe(true);
    expect(relaxedCorrectness('1', '1.05')).toBe(false); // 1.05 - 1 = 0.050000000000000044
    expect(relaxedCorrectness('100', '95')).toBe(true); // 5 / 100 = 0.05
    expect(relaxedCorrectness('2017', '2018')).toBe(true);
    expect(relaxedCorrectness('-5', '-5.25')).toBe(true);
    expect(relaxedCorrectness('5', '-5')).toBe(false);
  });

  it('divides by |target|, so the argument order matters', () => {
    expect(relaxedCorrectness('95', '100')).toBe(false); // 5 / 95 > 0.05
    expect(relaxedCorrectness('100', '105.0001')).toBe(false);
    expect(relaxedCorrectness('105.0001', '100')).toBe(true);
  });

  it('compares percentages as fractions', () => {
    expect(relaxedCorrectness('45%', '0.45')).toBe(true);
    expect(relaxedCorrectness('45', '45%')).toBe(false);
    expect(relaxedCorrectness('0.45', '45%%')).toBe(true);
  });

  it('never accepts NaN or infinities numerically (NaN is a truthy target)', () => {
    expect(relaxedCorrectness('nan', 'nan')).toBe(false);
    expect(relaxedCorrectness('NaN', 'nan')).toBe(false);
    expect(relaxedCorrectness('inf', 'inf')).toBe(false);
    expect(relaxedCorrectness('5', 'inf')).toBe(false);
  });

  it('falls back to case-insensitive exact string comparison for a zero target', () => {
    expect(relaxedCorrectness('0', '0')).toBe(true);
    expect(relaxedCorrectness('0', '0.0')).toBe(false);
    expect(relaxedCorrectness('0', '-0')).toBe(false);
    expect(relaxedCorrectness('0', '0%')).toBe(false);
    expect(relaxedCorrectness('-0.0', '-0.0')).toBe(true);
    expect(relaxedCorrectness('0%', '0%')).toBe(true);
  });

  it('falls back to string comparison when either side is not a number', () => {
    expect(relaxedCorrectness('Yes', 'YES')).toBe(true);
    expect(relaxedCorrectness('Yes', 'yes.')).toBe(false);
    expect(relaxedCorrectness('1000', '1,000')).toBe(false);
    expect(relaxedCorrectness('1,000', '1,000')).toBe(true);
    expect(relaxedCorrectness('five', '5')).toBe(false);
    expect(relaxedCorrectness('Straße', 'STRASSE')).toBe(false); // lower(), not casefold()
    expect(relaxedCorrectness('ΟΔΟΣ', 'οδος')).toBe(true); // final sigma
    // No stripping inside the metric.
    expect(relaxedCorrectness('yes', 'yes ')).toBe(false);
    expect(relaxedCorrectness(' yes', 'yes')).toBe(false);
  });
});

describe('pyListLiteralStr (py.ts): [str(x) for x in eval(s)] for list literals', () => {
  it('converts elements with Python str(), keeping int vs float', () => {
    expect(pyListLiteralStr('[1, 2]')).toEqual(['1', '2']);
    expect(pyListLiteralStr('[0, 0.0, -0, -0.0, +5, 1e3, 1_000, 0x10, 1e16, .5]')).toEqual([
      '0', '0.0', '0', '-0.0', '5', '1000.0', '1000', '16', '1e+16', '0.5',
    ]);
    expect(pyListLiteralStr("['Yes', \"it's\", 'a' 'b', u'x', r'\\n', '\\u00e9']")).toEqual(['Yes', "it's", 'ab', 'x', '\\n', 'é']);
    expect(pyListLiteralStr('[True, None, 12345678901234567890123]')).toEqual(['True', 'None', '12345678901234567890123']);
    expect(pyListLiteralStr("[[1, 'a'], (2,), ()]")).toEqual(["[1, 'a']", '(2,)', '()']);
  });

  it('accepts what eval accepts around the list', () => {
    expect(pyListLiteralStr(' \t[1]')).toEqual(['1']);
    expect(pyListLiteralStr('[1,\n 2,  # note\n]')).toEqual(['1', '2']);
    expect(pyListLiteralStr('[1]\n')).toEqual(['1']);
    expect(pyListLiteralStr('([1, 2])')).toEqual(['1', '2']);
    expect(pyListLiteralStr('[]')).toEqual([]);
  });

  it('is undefined for tuples, non-lists and invalid literals', () => {
    expect(pyListLiteralStr('(1, 2)')).toBeUndefined();
    expect(pyListLiteralStr('1, 2')).toBeUndefined();
    expect(pyListLiteralStr('12')).toBeUndefined();
    expect(pyListLiteralStr("'[1]'")).toBeUndefined();
    expect(pyListLiteralStr('[1, 2')).toBeUndefined();
    expect(pyListLiteralStr('[1 2]')).toBeUndefined();
    expect(pyListLiteralStr('[007]')).toBeUndefined();
    expect(pyListLiteralStr('[nan]')).toBeUndefined();
    expect(pyListLiteralStr("[-'a']")).toBeUndefined();
    expect(pyListLiteralStr('[1]\n  ')).toBeUndefined(); // IndentationError
    expect(pyListLiteralStr('\u00a0[1]')).toBeUndefined();
  });
});

describe('targets per profile (§7.3)', () => {
  it('expands list literals only under VLMEvalKit', () => {
    expect(chartqaTargets('[1, 2]', 'vlmevalkit')).toEqual(['1', '2']);
    expect(chartqaTargets('[1, 2]', 'vlmevalkit@2024-05')).toEqual(['1', '2']);
    expect(chartqaTargets('[1, 2]', 'lmms-eval')).toEqual(['[1, 2]']);
    expect(chartqaTargets('[1, 2]', 'pix2struct')).toEqual(['[1, 2]']);
    expect(chartqaTargets('(1, 2)', 'vlmevalkit')).toEqual(['(1, 2)']);
    expect(chartqaTargets(' Yes', 'vlmevalkit')).toEqual([' Yes']);
  });
});

describe('per-profile item score (§7.3)', () => {
  it('strips the prediction (Python whitespace) except under pix2struct', () => {
    expect(allProfiles(' Yes', 'Yes')).toEqual([1, 1, 1, 1, 0]);
    expect(allProfiles('\u0085Yes\u3000', 'yes')).toEqual([1, 1, 1, 1, 0]);
    expect(allProfiles('\ufeffYes', 'yes')).toEqual([0, 0, 0, 0, 0]); // U+FEFF is not Python whitespace
    expect(allProfiles('0 ', '0')).toEqual([1, 1, 1, 1, 0]);
  });

  it('never strips the answer cell', () => {
    expect(allProfiles('blue', ' blue')).toEqual([0, 0, 0, 0, 0]);
  });

  it('swaps the arguments under vlmevalkit@2024-05', () => {
    expect(allProfiles('95', '100')).toEqual([1, 1, 1, 0, 1]);
    expect(allProfiles('105.0001', '100')).toEqual([0, 0, 0, 1, 0]);
    expect(allProfiles('3.3', '3.14159')).toEqual([0, 0, 0, 1, 0]);
    expect(allProfiles('1.05', '1')).toEqual([0, 0, 0, 1, 0]);
  });

  it('takes the max over list-literal targets under VLMEvalKit', () => {
    expect(allProfiles('2', '[1, 2]')).toEqual([0, 0, 1, 1, 0]);
    expect(allProfiles('[1, 2]', '[1, 2]')).toEqual([1, 1, 0, 0, 1]);
    expect(allProfiles('0', '[0, 7]')).toEqual([0, 0, 1, 1, 0]); // str(0) == "0"
    expect(allProfiles('0', '[0.0, 7]')).toEqual([0, 0, 0, 0, 0]); // str(0.0) == "0.0"
    expect(allProfiles('no', "['Yes', 'No']")).toEqual([0, 0, 1, 1, 0]);
    expect(allProfiles('1000', '[1e3]')).toEqual([0, 0, 1, 1, 0]);
    expect(allProfiles('(1, 2)', '(1, 2)')).toEqual([1, 1, 1, 1, 1]);
  });

  it('rejects profiles ChartQA does not offer, listing the valid ones', () => {
    expect(() => chartqaItemScore('1', '1', 'official')).toThrow(/lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05, pix2struct/);
    expect(() => chartqaScorer.scoreItems([], 'vqa-v2@2016' as ProfileId, OPTS)).toThrow(/valid profiles/);
  });
});

describe('chartqaScorer', () => {
  it('declares profiles, default, scale and binary', () => {
    expect(chartqaScorer.bench).toBe('chartqa');
    expect([...chartqaScorer.profiles]).toEqual(['lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit', 'vlmevalkit@2024-05', 'pix2struct']);
    expect(chartqaScorer.defaultProfile).toBe('lmms-eval');
    expect(chartqaScorer.scale).toBe('percent');
    expect(chartqaScorer.binary).toBe(true);
    expect(chartqaScorer.recordFields.map((f) => f.name)).toEqual(['id', 'prediction', 'answer', 'type']);
  });

  it('parses records and normalises the split', () => {
    expect(chartqaScorer.parseRecord({ id: 3, prediction: ' 5', answer: '[1, 2]', type: 'human_test' })).toEqual({
      id: '3',
      prediction: ' 5',
      answer: '[1, 2]',
      split: 'human',
    });
    expect(chartqaScorer.parseRecord({ id: 'x', prediction: '5', answer: '5', type: 'augmented' }).split).toBe('augmented');
    expect(chartqaScorer.parseRecord({ id: 'x', prediction: '5', answer: '5' }).split).toBeUndefined();
  });

  it('names the bad field', () => {
    const fieldOf = (rec: Record<string, unknown>): string | undefined => {
      try {
        chartqaScorer.parseRecord(rec);
      } catch (err) {
        return err instanceof RecordError ? err.field : 'not a RecordError';
      }
      return undefined;
    };
    expect(fieldOf({ prediction: '5', answer: '5' })).toBe('id');
    expect(fieldOf({ id: 1, answer: '5' })).toBe('prediction');
    expect(fieldOf({ id: 1, prediction: '5', answer: 5 })).toBe('answer');
    expect(fieldOf({ id: 1, prediction: '5', answer: '5', type: 'train' })).toBe('type');
  });

  it('scores 0/1 per item with split categories; the overall is the plain mean', () => {
    const items: ChartqaItem[] = [
      { id: 'h1', prediction: ' Five ', answer: 'five', split: 'human' },
      { id: 'h2', prediction: 'no', answer: 'Yes', split: 'human' },
      { id: 'a1', prediction: 'Yes', answer: 'yes', split: 'augmented' },
      { id: 'a2', prediction: '2', answer: '[1, 2]', split: 'augmented' },
    ];
    const lmms = chartqaScorer.scoreItems(items, 'lmms-eval', OPTS);
    expect(lmms.map((r) => r.value)).toEqual([1, 0, 1, 0]);
    expect(lmms.map((r) => r.categories)).toEqual([{ split: 'human' }, { split: 'human' }, { split: 'augmented' }, { split: 'augmented' }]);
    expect(lmms.every((r) => r.status === 'scored')).toBe(true);
    expect(chartqaScorer.scoreItems(items, 'vlmevalkit', OPTS).map((r) => r.value)).toEqual([1, 0, 1, 1]);
    expect(chartqaScorer.scoreItems(items, 'pix2struct', OPTS).map((r) => r.value)).toEqual([0, 0, 1, 0]);
    expect(chartqaScorer.aggregate).toBeUndefined(); // runner's default: mean over all items
  });
});
