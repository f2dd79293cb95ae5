// Tests for TextVQA scoring (scoring.md §4, §5): each normalisation rule, the accuracy arithmetic,
// the BenchScorer contract, and the textvqa_* vector files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTRACTIONS,
  digitArticlePass,
  leaveOneOutScores,
  normalizeEvalAI,
  normalizeQuestion,
  normalizeVlmevalkit,
  numpyMean,
  periodPass,
  punctuationPass,
  pythonSumMean,
  statisticsMean,
  TEXTVQA_PROFILES,
  textvqaScorer,
  vqaAccuracy,
  vqaDigitArticlePass,
  vqaPunctuationPass,
} from '../../harness/benchmarks/textvqa/scorer.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import type { ProfileId } from '../../harness/metrics/types.js';
import { vectorChecks } from '../../harness/benchmarks/textvqa/vector-checks.js';
import { VECTORS_DIR, vectorMismatches } from '../vector-helper.js';

const ten = (s: string): string[] => Array<string>(10).fill(s);
const EXACT = { judgeMode: 'exact-matching' } as const;

describe('punctuation pass (§5.5)', () => {
  it('replaces a listed mark by a space when no space touches it', () => {
    expect(punctuationPass('a-b', false)).toBe('a b');
    expect(punctuationPass('a/b', true)).toBe('a b');
  });
  it('deletes a mark that is followed or preceded by a space somewhere in the text', () => {
    expect(punctuationPass('a - b', false)).toBe('a  b');
    expect(punctuationPass('a -b', false)).toBe('a b');
    expect(punctuationPass('x! y!z', false)).toBe('x yz');
  });
  it('tests the entry text, not the working copy', () => {
    // '(' has no space next to it; ')' does: '(' → space, ')' → deleted.
    expect(punctuationPass('(a) b', false)).toBe(' a b');
  });
  it('deletes every mark when digit-comma-digit occurs (only with the condition)', () => {
    expect(punctuationPass('1,2 x-y', true)).toBe('12 xy');
    expect(punctuationPass('1,2 x-y', false)).toBe('1 2 x y');
  });
  it('uses Unicode digits for the digit-comma condition', () => {
    expect(punctuationPass('١,٢-x', true)).toBe('١٢x');
    expect(punctuationPass('１,２-x', true)).toBe('１２x');
    expect(punctuationPass('²,³-x', true)).toBe('² ³ x');
  });
  it('only an ASCII space counts as a space', () => {
    expect(punctuationPass('a-\u00a0b', false)).toBe('a \u00a0b');
  });
  it('leaves unlisted characters alone', () => {
    const text = ".:'%$#&*^~|é😀";
    expect(punctuationPass(text, true)).toBe(text);
  });
  it('handles every listed character', () => {
    expect(punctuationPass(';/[]"{}()=+\\_-><@`,?!', false)).toBe(' '.repeat(21));
  });
});

describe('period pass (§5.6)', () => {
  it('old rule: deletes periods not followed by a digit, even after a digit', () => {
    expect(periodPass('2.', 'not-followed-by-digit')).toBe('2');
    expect(periodPass('3.14', 'not-followed-by-digit')).toBe('3.14');
    expect(periodPass('a.b.', 'not-followed-by-digit')).toBe('ab');
  });
  it('current VLMEvalKit rule: keeps periods next to a digit on either side', () => {
    expect(periodPass('2.', 'not-next-to-digit')).toBe('2.');
    expect(periodPass('MP3.', 'not-next-to-digit')).toBe('MP3.');
    expect(periodPass('1.2.3.', 'not-next-to-digit')).toBe('1.2.3.');
    expect(periodPass('a.b.', 'not-next-to-digit')).toBe('ab');
  });
  it('digits are Unicode Nd, astral ones included', () => {
    expect(periodPass('x.٥', 'not-followed-by-digit')).toBe('x.٥');
    expect(periodPass('٣.', 'not-followed-by-digit')).toBe('٣');
    expect(periodPass('٣.', 'not-next-to-digit')).toBe('٣.');
    expect(periodPass('𝟘.', 'not-next-to-digit')).toBe('𝟘.');
    expect(periodPass('².', 'not-next-to-digit')).toBe('²');
  });
  it('deletes at most the first 32 deletable periods', () => {
    expect(periodPass('.'.repeat(40), 'not-followed-by-digit')).toBe('.'.repeat(8));
    expect(periodPass('.'.repeat(40), 'not-next-to-digit')).toBe('.'.repeat(8));
    expect(periodPass('.'.repeat(32), 'not-followed-by-digit')).toBe('');
    // the protected period does not count towards the 32
    expect(periodPass('1.5' + '.'.repeat(33), 'not-followed-by-digit')).toBe('1.5.');
  });
});

describe('digit/article pass (§5.7)', () => {
  it('maps number words up to ten and nothing above', () => {
    expect(digitArticlePass('none of them')).toBe('0 of them');
    expect(digitArticlePass('Ten Eleven zero')).toBe('10 eleven 0');
  });
  it('drops articles and lower-cases', () => {
    expect(digitArticlePass('The A an Apple')).toBe('apple');
    expect(digitArticlePass('theater anne')).toBe('theater anne');
  });
  it('expands contractions, keeping the quirks of the table', () => {
    expect(CONTRACTIONS.size).toBe(120);
    expect(digitArticlePass('dont')).toBe("don't");
    expect(digitArticlePass('Im')).toBe('im'); // capitalised key never matches
    expect(digitArticlePass("somebody'd")).toBe('somebodyd');
    expect(digitArticlePass("y'allll")).toBe("y'all'll");
  });
  it('never consults object prototypes', () => {
    expect(digitArticlePass('constructor __proto__ toString')).toBe('constructor __proto__ tostring');
  });
  it('splits on Python whitespace only', () => {
    expect(digitArticlePass('a\u3000b\u0085c\u001cd')).toBe('b c d');
    expect(digitArticlePass('x\u200by\ufeffz')).toBe('x\u200by\ufeffz');
    expect(digitArticlePass('  two   words ')).toBe('2 words');
  });
});

describe('normalisation A — EvalAI (§5.3)', () => {
  it('removes commas and question marks up front', () => {
    expect(normalizeEvalAI('Red,Blue')).toBe('redblue');
    expect(normalizeEvalAI('a?b')).toBe('ab');
    expect(normalizeEvalAI('1,000-2,000')).toBe('1000 2000');
    expect(normalizeEvalAI('2,3-dimethyl')).toBe('23 dimethyl');
  });
  it("splits 's after lower-casing", () => {
    expect(normalizeEvalAI("John's")).toBe("john 's");
    expect(normalizeEvalAI("JOHN'S")).toBe("john 's");
    expect(normalizeEvalAI("'S")).toBe("'s");
  });
  it('turns newlines and tabs into spaces and strips', () => {
    expect(normalizeEvalAI('\tHello\nWorld ')).toBe('hello world');
    expect(normalizeEvalAI('\u3000Stop\u00a0')).toBe('stop');
  });
  it('uses the old period rule', () => {
    expect(normalizeEvalAI('1.')).toBe('1');
    expect(normalizeEvalAI('The End.')).toBe('end');
  });
});

describe('normalisation B — VLMEvalKit (§5.4)', () => {
  it('keeps commas as spaces and treats ? as punctuation', () => {
    expect(normalizeVlmevalkit('red,blue', 'current')).toBe('red blue');
    expect(normalizeVlmevalkit('a?b', 'current')).toBe('b');
    expect(normalizeVlmevalkit('1,000-2,000', '2024-05')).toBe('10002000');
  });
  it("does not split 's and lower-cases late", () => {
    expect(normalizeVlmevalkit("John's", 'current')).toBe("john's");
    expect(normalizeVlmevalkit(' COCA\tCOLA\n', '2024-05')).toBe('coca cola');
  });
  it('differs between revisions only in the period rule', () => {
    expect(normalizeVlmevalkit('1.', 'current')).toBe('1.');
    expect(normalizeVlmevalkit('1.', '2024-05')).toBe('1');
    expect(normalizeVlmevalkit('MP3.', 'current')).toBe('mp3.');
  });
});

describe('VQA API passes (§5.8)', () => {
  it('punctuation pass keeps case and surrounding space', () => {
    expect(vqaPunctuationPass('  Hi-There.  ')).toBe('  Hi There  ');
    expect(vqaDigitArticlePass(vqaPunctuationPass('  Hi-There.  '))).toBe('hi there');
  });
});

describe('leave-one-out accuracy (§4)', () => {
  it('gives 0 / 0.3 / 0.6 / 0.9 / 1 for 0 / 1 / 2 / 3 / ≥4 matches', () => {
    const expected = [0, 0.3, 0.6, 0.9, 1, 1];
    for (let m = 0; m <= 5; m++) {
      const answers = [...Array<string>(m).fill('x'), ...Array<string>(10 - m).fill('y')];
      for (const profile of TEXTVQA_PROFILES) {
        expect(vqaAccuracy('x', answers, profile)).toBeCloseTo(expected[m], 12);
      }
    }
  });
  it('leaves exactly one annotator out each time', () => {
    expect(leaveOneOutScores('x', ['x', 'x', 'y'])).toEqual([1 / 3, 1 / 3, 2 / 3]);
  });
  it('has no substring matching', () => {
    for (const profile of TEXTVQA_PROFILES) expect(vqaAccuracy('The answer is 5', ten('5'), profile)).toBe(0);
  });
});

describe('mean arithmetic of each reference', () => {
  it('statistics.mean is the exact mean rounded once', () => {
    expect(statisticsMean([0.1, 0.2, 0.3])).toBe(0.2);
    expect(statisticsMean([1e16, 1, 1])).toBe(3333333333333334);
    expect(statisticsMean(Array<number>(10).fill(0.1))).toBe(0.1);
    const l = Array.from({ length: 300 }, (_, i) => ((i * 7) % 11) / 7);
    expect(statisticsMean(l)).toBe(0.7119047619047619);
  });
  it('np.mean uses pairwise summation', () => {
    expect(numpyMean(Array<number>(10).fill(0.1))).toBe(0.1);
    expect(numpyMean([1 / 3, 1 / 3, 0.3, 0.7, 0.3, 0.3, 0.7, 0.7, 0.2, 0.2])).toBe(0.4066666666666666);
    const seventeen = [0.2, 1 / 3, 0.7, 1 / 3, 0.1, 0.7, 2 / 3, 0.3, 0.1, 0.3, 0.3, 0.1, 0.3, 0.1, 1 / 3, 0.1, 0.7];
    expect(numpyMean(seventeen)).toBe(0.33333333333333337);
    const mk = (k: number, n: number) => Array.from({ length: n }, (_, i) => ((i * k) % 11) / k);
    expect(numpyMean(mk(7, 300))).toBe(0.7119047619047618);
    expect(numpyMean(mk(7, 513))).toBe(0.7148426622110834);
    expect(numpyMean(mk(13, 200))).toBe(0.3815384615384616);
  });
  it('per-question accuracy keeps each reference’s rounding (depends on where the matches sit)', () => {
    const withMatchesAt = (positions: number[]) => Array.from({ length: 10 }, (_, j) => (positions.includes(j) ? 'x' : 'y'));
    const bits = (positions: number[]) =>
      (['lmms-eval', 'official', 'vlmevalkit', 'vqa-v2@2021'] as const).map((p) => vqaAccuracy('x', withMatchesAt(positions), p));
    expect(bits([3, 4])).toEqual([0.6, 0.6, 0.6, 0.6000000000000001]);
    expect(bits([8, 9])).toEqual([0.6, 0.6, 0.5999999999999999, 0.5999999999999999]);
    expect(bits([0, 1, 9])).toEqual([0.9, 0.9, 0.8999999999999998, 0.8999999999999998]);
    expect(bits([4, 5, 9])).toEqual([0.9, 0.9, 0.8999999999999998, 0.9]);
  });
  it('lmms-eval’s mean does not depend on the order of the answers (fresh module: no cached means)', async () => {
    for (const positions of [[3, 4], [8, 9], [0, 1, 9], [4, 5, 9]]) {
      vi.resetModules();
      const fresh = await import('../../harness/benchmarks/textvqa/scorer.js');
      const answers = Array.from({ length: 10 }, (_, j) => (positions.includes(j) ? 'x' : 'y'));
      expect(fresh.vqaAccuracy('x', answers, 'lmms-eval')).toBe(positions.length === 2 ? 0.6 : 0.9);
    }
  });
  it('the VQA API sums left to right', () => {
    expect(pythonSumMean(Array<number>(10).fill(0.1))).toBe(0.09999999999999999);
    expect(pythonSumMean([1 / 3, 1 / 3, 0.3, 0.7, 0.3, 0.3, 0.7, 0.7, 0.2, 0.2])).toBe(0.40666666666666673);
    expect(pythonSumMean(Array.from({ length: 300 }, (_, i) => ((i * 7) % 11) / 7))).toBe(0.7119047619047612);
  });
});

describe('per-profile behaviour (§5.9, §14 TextVQA)', () => {
  const scores = (prediction: string, answers: string[]) =>
    Object.fromEntries(TEXTVQA_PROFILES.map((p) => [p, vqaAccuracy(prediction, answers, p)]));

  it('comma handling', () => {
    expect(scores('red blue', ten('red,blue'))).toMatchObject({ 'lmms-eval': 0, official: 0, vlmevalkit: 1 });
    expect(scores('redblue', ten('red,blue'))).toMatchObject({ 'lmms-eval': 1, official: 1, vlmevalkit: 0 });
  });
  it("possessive 's", () => {
    expect(scores("john 's", ten("john's"))).toEqual({
      'lmms-eval': 1, 'lmms-eval@2024-05': 1, official: 1, vlmevalkit: 0, 'vlmevalkit@2024-05': 0, 'vqa-v2@2021': 0, 'vqa-v2@2016': 0,
    });
  });
  it('period after a digit', () => {
    expect(scores('1.', ten('1'))).toEqual({
      'lmms-eval': 1, 'lmms-eval@2024-05': 1, official: 1, vlmevalkit: 0, 'vlmevalkit@2024-05': 1, 'vqa-v2@2021': 0, 'vqa-v2@2016': 1,
    });
  });
  it('VQA 2021 compares raw stripped strings when the answers agree', () => {
    expect(vqaAccuracy('nike', ten('Nike'), 'vqa-v2@2021')).toBe(0);
    expect(vqaAccuracy(' Nike\n', ten('Nike\t'), 'vqa-v2@2021')).toBe(1);
    expect(vqaAccuracy('nike', [...Array<string>(9).fill('Nike'), 'nike!'], 'vqa-v2@2021')).toBe(1);
    // unanimity is judged after the strip
    expect(vqaAccuracy('yes', [...Array<string>(7).fill(' yes'), 'yes', 'yes', 'yes'], 'vqa-v2@2021')).toBe(1);
  });
  it('VQA 2016 always normalises the prediction and never strips or lower-cases the answers', () => {
    expect(vqaAccuracy('Nike', ten('Nike'), 'vqa-v2@2016')).toBe(0);
    expect(vqaAccuracy('yes', [...Array<string>(5).fill('Yes'), ...Array<string>(5).fill('no')], 'vqa-v2@2016')).toBe(0);
    expect(vqaAccuracy('yes', [...Array<string>(5).fill('Yes'), ...Array<string>(5).fill('no')], 'vqa-v2@2021')).toBe(1);
    expect(vqaAccuracy('yes', [...Array<string>(7).fill(' yes'), 'yes', 'yes', 'yes'], 'vqa-v2@2016')).toBeCloseTo(0.9, 12);
    // non-unanimous answers get the punctuation pass only: 'yes!' → 'yes ' (no strip)
    expect(normalizeQuestion('yes', ['yes!', 'no'], 'vqa-v2@2016').answers).toEqual(['yes ', 'no']);
  });
  it('lmms-eval strips the raw output first; VLMEvalKit normalises it itself', () => {
    expect(normalizeQuestion('\u2003 Yes \n', ['x'], 'lmms-eval').prediction).toBe('yes');
    expect(normalizeQuestion('\u2003 Yes \n', ['x'], 'vlmevalkit').prediction).toBe('yes');
  });
  it('rejects profiles TextVQA does not offer, naming the valid ones', () => {
    expect(() => vqaAccuracy('a', ten('a'), 'pix2struct')).toThrow(/valid profiles: lmms-eval, .*vqa-v2@2016/);
  });
});

describe('textvqaScorer', () => {
  it('declares profiles, default and scale', () => {
    expect(textvqaScorer.bench).toBe('textvqa');
    expect([...textvqaScorer.profiles]).toEqual([
      'lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit', 'vlmevalkit@2024-05', 'official', 'vqa-v2@2021', 'vqa-v2@2016',
    ]);
    expect(textvqaScorer.defaultProfile).toBe('lmms-eval');
    expect(textvqaScorer.scale).toBe('percent');
    expect(textvqaScorer.binary).toBe(false);
    expect(textvqaScorer.recordFields.map((f) => f.name)).toEqual(['id', 'prediction', 'answers']);
  });
  it('parses JSON lists and Python list literals', () => {
    expect(textvqaScorer.parseRecord({ id: 7, prediction: 'x', answers: ['a', 'b'] })).toEqual({
      id: '7', prediction: 'x', answers: ['a', 'b'],
    });
    expect(textvqaScorer.parseRecord({ id: 'q', prediction: 'x', answers: "['a', \"b's\"]" }).answers).toEqual(['a', "b's"]);
  });
  it('names the bad field', () => {
    const field = (rec: Record<string, unknown>): string => {
      try {
        textvqaScorer.parseRecord(rec);
      } catch (err) {
        if (err instanceof RecordError) return err.field;
        throw err;
      }
      return 'none';
    };
    expect(field({ prediction: 'x', answers: ['a'] })).toBe('id');
    expect(field({ id: 1, answers: ['a'] })).toBe('prediction');
    expect(field({ id: 1, prediction: 'x' })).toBe('answers');
    expect(field({ id: 1, prediction: 'x', answers: [] })).toBe('answers');
    expect(field({ id: 1, prediction: 'x', answers: [1, 2] })).toBe('answers');
    expect(field({ id: 1, prediction: 'x', answers: 'just text' })).toBe('answers');
    expect(field({ id: 1, prediction: 'x', answers: ['a'] })).toBe('none');
  });
  it('scores one result per item', () => {
    const items = [
      textvqaScorer.parseRecord({ id: 'a', prediction: ' Nike ', answers: ten('nike') }),
      textvqaScorer.parseRecord({ id: 'b', prediction: 'two', answers: [...Array<string>(2).fill('2'), ...Array<string>(8).fill('x')] }),
    ];
    const results = textvqaScorer.scoreItems(items, 'lmms-eval', EXACT);
    expect(results.map((r) => [r.id, r.status])).toEqual([['a', 'scored'], ['b', 'scored']]);
    expect(results[0].value).toBe(1);
    expect(results[1].value).toBeCloseTo(0.6, 12);
    // unanimous answers: 2021 compares the stripped raw 'Nike' (case-sensitive); 2016 lower-cases the prediction
    expect(textvqaScorer.scoreItems(items, 'vqa-v2@2021', EXACT)[0].value).toBe(0);
    expect(textvqaScorer.scoreItems(items, 'vqa-v2@2016', EXACT)[0].value).toBe(1);
    expect(() => textvqaScorer.scoreItems(items, 'pix2struct' as ProfileId, EXACT)).toThrow(/valid profiles/);
  });
});

describe('vectors', () => {
  it('textvqa_normalize.jsonl', () => {
    const r = vectorMismatches('textvqa_normalize.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(470 * 5);
  });
  it('textvqa_accuracy.jsonl', () => {
    const r = vectorMismatches('textvqa_accuracy.jsonl', vectorChecks);
    expect(r.problems).toEqual([]);
    expect(r.mismatches).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(135 * 6);
  });
  it('textvqa_accuracy.jsonl matches to the last bit', () => {
    const labels: Record<string, ProfileId> = {
      lmms_eval: 'lmms-eval',
      lmms_eval_2024_05: 'lmms-eval@2024-05',
      vlmevalkit: 'vlmevalkit',
      vlmevalkit_2024_05: 'vlmevalkit@2024-05',
      official_vqa_v2_script_2021: 'vqa-v2@2021',
      official_vqa_v2_script_2016: 'vqa-v2@2016',
    };
    const lines = readFileSync(join(VECTORS_DIR, 'textvqa_accuracy.jsonl'), 'utf8').trim().split('\n');
    const off: string[] = [];
    for (const line of lines) {
      const row = JSON.parse(line) as { input: { prediction: string; answers: string[] }; expected: Record<string, number> };
      for (const [label, profile] of Object.entries(labels)) {
        const got = vqaAccuracy(row.input.prediction, row.input.answers, profile);
        if (got !== row.expected[label]) off.push(`${label} ${JSON.stringify(row.input)} ${got} ≠ ${row.expected[label]}`);
      }
    }
    expect(off).toEqual([]);
  });
});
