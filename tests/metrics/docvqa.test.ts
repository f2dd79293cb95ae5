// Tests for DocVQA scoring (scoring.md §6): the vector file plus own cases for each rule.
import { describe, expect, it } from 'vitest';
import {
  DOCVQA_PROFILES,
  anchorAnls,
  anchorNormalizedDistance,
  anlsNormalize,
  docvqaItemScore,
  docvqaScorer,
  pix2structAnls,
  pix2structAnlsPair,
  type DocvqaItem,
} from '../../harness/benchmarks/docvqa/scorer.js';
import { PyError } from '../../harness/metrics/py.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import type { ProfileId } from '../../harness/metrics/types.js';
import { vectorChecks } from '../../harness/benchmarks/docvqa/vector-checks.js';
import { vectorMismatches } from '../vector-helper.js';

const OPTS = { judgeMode: 'exact-matching' } as const;

/** Scores under lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05, pix2struct (in that order). */
function allProfiles(prediction: string, answers: string[]): number[] {
  return DOCVQA_PROFILES.map((p) => docvqaItemScore(prediction, answers, p));
}

function pyErrorName(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof PyError ? err.pyName : `not a PyError: ${String(err)}`;
  }
  return undefined;
}

describe('docvqa_anls.jsonl vectors', () => {
  it('matches every label of every line', () => {
    const r = vectorMismatches('docvqa_anls.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBeGreaterThan(0);
  });
});

describe('anchor normalisation (§6.2)', () => {
  it('strips, lower-cases and collapses Python whitespace runs', () => {
    expect(anlsNormalize('  Dear   Dr.\tLOBO \n')).toBe('dear dr. lobo');
    // U+00A0, U+0085 and U+001C are Python whitespace; U+200B and U+FEFF are not.
    expect(anlsNormalize('a\u00a0b\u0085c\u001cd')).toBe('a b c d');
    expect(anlsNormalize('\ufeffa\u200bb')).toBe('\ufeffa\u200bb');
  });
});

describe('anchor ANLS (§6.2)', () => {
  it('gives 1 for an exact match and 1 - d/L otherwise', () => {
    expect(anchorAnls('Denver Broncos', ['Denver Broncos'])).toBe(1);
    expect(anchorAnls('12/15/88', ['12/15/89'])).toBe(1 - 1 / 8);
  });

  it('keeps a score of exactly 0.5 and zeroes anything below', () => {
    expect(anchorAnls('ac', ['ab'])).toBe(0.5);
    expect(anchorAnls('abx', ['abcd'])).toBe(0.5);
    expect(anchorAnls('abc', ['xyz'])).toBe(0);
    expect(anchorAnls('axyd', ['abcd'])).toBe(0.5);
    expect(anchorAnls('xxyd', ['abcd'])).toBe(0);
  });

  it('takes the best answer (min normalised distance)', () => {
    expect(anchorAnls('Dr. Lobo', ['Dear Dr. Lobo', 'Dr. Lobo'])).toBe(1);
    expect(anchorAnls('abcx', ['zzzz', 'abcd'])).toBe(0.75);
  });

  it('is case-insensitive and ignores inner whitespace runs in the distance', () => {
    expect(anchorAnls('DENVER', ['denver'])).toBe(1);
    expect(anchorAnls('a    b', ['a b'])).toBe(1);
  });

  it('takes L from the unnormalised strings, upper-cased (ß → SS)', () => {
    // d("strasse", "straße") = 2, L = len("STRASSE") = 7 = len("STRASSE") of "straße".upper()
    expect(anchorAnls('STRASSE', ['straße'])).toBeCloseTo(1 - 2 / 7, 15);
    expect(anchorNormalizedDistance('straße', 'STRASSE')).toBe(2 / 7);
    // "ß" vs "ss": d = 2, L = 2 → 0
    expect(anchorAnls('ss', ['ß'])).toBe(0);
    // Surrounding spaces are free in d but count in L: d("abxd", "abcd") = 1, L = len("abxd  ") = 6.
    expect(anchorNormalizedDistance('abcd', 'abxd  ')).toBe(1 / 6);
    // An inner run collapses to one space: d("ab xd", "abcd") = 2, L = len("ab   xd") = 7.
    expect(anchorNormalizedDistance('abcd', 'ab   xd')).toBe(2 / 7);
  });

  it('measures distance and length in code points, not UTF-16 units', () => {
    // d = 1, L = 2 code points → 0.5 (UTF-16 units would give L = 4 → 0.75).
    expect(anchorAnls('😀a', ['😁a'])).toBe(0.5);
    expect(anchorNormalizedDistance('𠀀𠀁', '𠀀𠀂')).toBe(0.5);
  });

  it('scores an empty prediction against an empty answer as 1', () => {
    expect(anchorAnls('', [''])).toBe(1);
    expect(anchorAnls('', ['ab'])).toBe(0);
  });

  it('raises ValueError for an empty answer list (Python min of nothing)', () => {
    expect(pyErrorName(() => anchorAnls('a', []))).toBe('ValueError');
  });
});

describe('pix2struct ANLS (§6.3)', () => {
  it('does not strip or collapse whitespace, and cuts strictly below 0.5', () => {
    expect(pix2structAnls('a    b', ['a b'])).toBe(0); // d = 3, L = 6 → NL = 0.5, not < 0.5
    expect(pix2structAnls('ac', ['ab'])).toBe(0);
    expect(pix2structAnls('abcx', ['abcd'])).toBe(0.75);
    expect(pix2structAnls(' abc', ['abc'])).toBe(0.75);
  });

  it('lower-cases both strings and measures the lower-cased lengths', () => {
    expect(pix2structAnls('ABC', ['abc'])).toBe(1);
    // "İ".lower() is "i̇" (2 code points)
    expect(pix2structAnls('İ', ['i\u0307'])).toBe(1);
    expect(pix2structAnlsPair('ab', 'a')).toBe(0); // NL = 0.5 exactly → 0
    expect(pix2structAnlsPair('abc', 'ab')).toBe(1 - 1 / 3);
  });

  it('takes the maximum over answers', () => {
    expect(pix2structAnls('abcd', ['zzzz', 'abcd'])).toBe(1);
  });

  it('raises ZeroDivisionError on an empty prediction against an empty answer, whichever answer it is', () => {
    expect(pyErrorName(() => pix2structAnls('', ['']))).toBe('ZeroDivisionError');
    expect(pyErrorName(() => pix2structAnls('', ['x', '']))).toBe('ZeroDivisionError');
    expect(pix2structAnls('', ['x'])).toBe(0);
  });
});

describe('profiles (§6.2 stripping, §2.4)', () => {
  it('strips the prediction under lmms-eval only', () => {
    // "  " vs "a": lmms-eval strips → d = 1, L = 1 → 0; VLMEvalKit: d = 1, L = 2 → 0.5.
    expect(allProfiles('  ', ['a'])).toEqual([0, 0, 0.5, 0.5, 0]);
    // Extra trailing spaces inflate L for VLMEvalKit only.
    expect(allProfiles('abxd  ', ['abcd'])).toEqual([0.75, 0.75, 1 - 1 / 6, 1 - 1 / 6, 0]);
  });

  it('uses Python whitespace for the lmms-eval strip (U+0085 yes, U+FEFF no)', () => {
    expect(docvqaItemScore('\u0085abd', ['abc'], 'lmms-eval')).toBe(1 - 1 / 3);
    expect(docvqaItemScore('\u0085abd', ['abc'], 'vlmevalkit')).toBe(0.75);
    expect(docvqaItemScore('\ufeffabc', ['abc'], 'lmms-eval')).toBe(0.75);
  });

  it('rejects profiles DocVQA does not offer, listing the valid ones', () => {
    expect(() => docvqaItemScore('a', ['a'], 'official')).toThrow(/lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05, pix2struct/);
    expect(() => docvqaScorer.scoreItems([], 'vqa-v2@2021' as ProfileId, OPTS)).toThrow(/valid profiles/);
  });
});

describe('docvqaScorer', () => {
  it('declares profiles, default, scale and binary', () => {
    expect(docvqaScorer.bench).toBe('docvqa');
    expect([...docvqaScorer.profiles]).toEqual(['lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit', 'vlmevalkit@2024-05', 'pix2struct']);
    expect(docvqaScorer.defaultProfile).toBe('lmms-eval');
    expect(docvqaScorer.scale).toBe('percent');
    expect(docvqaScorer.binary).toBe(false);
    expect(docvqaScorer.recordFields.map((f) => f.name)).toEqual(['id', 'prediction', 'answers', 'question_types']);
  });

  it('parses records with list or list-literal answers', () => {
    expect(docvqaScorer.parseRecord({ id: 7, prediction: 'x', answers: ['a', 'b'] })).toEqual({ id: '7', prediction: 'x', answers: ['a', 'b'] });
    expect(docvqaScorer.parseRecord({ id: 'q1', prediction: 'x', answers: "['a', \"b's\"]", question_types: "['layout', 'form']" })).toEqual({
      id: 'q1',
      prediction: 'x',
      answers: ['a', "b's"],
      questionTypes: ['layout', 'form'],
    });
    expect(docvqaScorer.parseRecord({ id: 'q2', prediction: 'x', answers: ['a'], question_types: 'layout' }).questionTypes).toEqual(['layout']);
  });

  it('names the bad field', () => {
    const fieldOf = (rec: Record<string, unknown>): string | undefined => {
      try {
        docvqaScorer.parseRecord(rec);
      } catch (err) {
        return err instanceof RecordError ? err.field : 'not a RecordError';
      }
      return undefined;
    };
    expect(fieldOf({ prediction: 'x', answers: ['a'] })).toBe('id');
    expect(fieldOf({ id: 1, prediction: 3, answers: ['a'] })).toBe('prediction');
    expect(fieldOf({ id: 1, prediction: 'x' })).toBe('answers');
    expect(fieldOf({ id: 1, prediction: 'x', answers: [] })).toBe('answers');
    expect(fieldOf({ id: 1, prediction: 'x', answers: 'a' })).toBe('answers');
    expect(fieldOf({ id: 1, prediction: 'x', answers: [1] })).toBe('answers');
    expect(fieldOf({ id: 1, prediction: 'x', answers: ['a'], question_types: 5 })).toBe('question_types');
  });

  it('scores raw predictions per profile, with question-type categories', () => {
    const items: DocvqaItem[] = [
      { id: 'a', prediction: '  ', answers: ['a'], questionTypes: ['layout', 'form'] },
      { id: 'b', prediction: ' Denver ', answers: ['denver'] },
    ];
    const lmms = docvqaScorer.scoreItems(items, 'lmms-eval', OPTS);
    expect(lmms.map((r) => r.value)).toEqual([0, 1]);
    expect(lmms.every((r) => r.status === 'scored')).toBe(true);
    expect(lmms[0].categories).toEqual({ question_type: ['layout', 'form'] });
    expect(lmms[1].categories).toEqual({});
    expect(docvqaScorer.scoreItems(items, 'vlmevalkit', OPTS).map((r) => r.value)).toEqual([0.5, 1]);
    expect(docvqaScorer.scoreItems(items, 'pix2struct', OPTS).map((r) => r.value)).toEqual([0, 0.75]);
  });

  it('excludes a pix2struct item that raises ZeroDivisionError instead of scoring it', () => {
    const [r] = docvqaScorer.scoreItems([{ id: 'e', prediction: '', answers: [''] }], 'pix2struct', OPTS);
    expect(r).toMatchObject({ id: 'e', value: null, status: 'not_applicable', detail: { error: 'ZeroDivisionError' } });
    expect(docvqaScorer.scoreItems([{ id: 'e', prediction: '', answers: [''] }], 'lmms-eval', OPTS)[0].value).toBe(1);
  });
});
