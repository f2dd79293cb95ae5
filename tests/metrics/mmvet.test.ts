// Tests for MM-Vet scoring (scoring.md §10, Appendix A): the three vector files plus own cases
// for each rule (prompts, judge schedules, reply parsing, aggregation, records and statuses).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LMMS_EVAL_MAX_JUDGE_CALLS,
  MMVET_BASE_LMMS_EVAL,
  MMVET_BASE_OFFICIAL,
  MMVET_BASE_VLMEVALKIT,
  MMVET_PROFILES,
  OFFICIAL_RETRY_SUFFIX,
  aggregateLmmsEval,
  aggregateOfficial,
  aggregateOfficialRuns,
  aggregateVlmevalkit,
  firstTokenNumber,
  judgeRepliesToScore,
  mmvetAggregate,
  mmvetItemResult,
  mmvetJudgeModel,
  mmvetJudgePrompt,
  mmvetJudgePromptBase,
  mmvetJudgePromptForItem,
  mmvetModelPrompt,
  mmvetScorer,
  nextJudgeCall,
  spacedGroundTruth,
  wholeReplyNumber,
  type MmvetItem,
} from '../../harness/benchmarks/mmvet/scorer.js';
import { PyError, pyFormatFixed, pyLen } from '../../harness/metrics/py.js';
import { RecordError } from '../../harness/metrics/scorer.js';
import { benchScore } from '../../harness/metrics/aggregate.js';
import type { ItemResult, ProfileId } from '../../harness/metrics/types.js';
import { vectorChecks } from '../../harness/benchmarks/mmvet/vector-checks.js';
import { VECTORS_DIR, vectorMismatches } from '../vector-helper.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const temps = (calls: readonly { temperature: number }[]) => calls.map((c) => c.temperature);
const suffixes = (calls: readonly { promptSuffix: string }[]) => calls.map((c) => c.promptSuffix);
const OPTS = { judgeMode: 'llm' as const };

describe('MM-Vet vectors', () => {
  for (const [file, lines, labels] of [
    ['mmvet_prompt.jsonl', 8, 4],
    ['mmvet_judge_parse.jsonl', 21, 3],
    ['mmvet_aggregate.jsonl', 14, 3],
  ] as const) {
    it(`${file}: every label matches`, () => {
      const r = vectorMismatches(file, vectorChecks);
      expect(r.problems).toEqual([]);
      expect(r.mismatches).toEqual([]);
      expect(r.failed).toBe(0);
      expect(r.passed).toBe(lines * labels);
    });
  }
});

describe('grader prompt bases (Appendix A)', () => {
  it('have the lengths and SHA-256 digests of Appendix A', () => {
    expect(pyLen(MMVET_BASE_OFFICIAL)).toBe(2290);
    expect(sha256(MMVET_BASE_OFFICIAL)).toBe('d1b3e0a5b4e72c888b77164489d705bba4dd149934fff564dfba6443d81afe3f');
    expect(pyLen(MMVET_BASE_VLMEVALKIT)).toBe(2291);
    expect(sha256(MMVET_BASE_VLMEVALKIT)).toBe('f3e131e1d998e890676bda56a63e404f601cb5166293b1ab0c9fafd9d8567323');
    expect(pyLen(MMVET_BASE_LMMS_EVAL)).toBe(2297);
    expect(sha256(MMVET_BASE_LMMS_EVAL)).toBe('4d9b806e960fcd3f25997104017744653443fb17f907aa0712b5efecea78438c');
  });

  it('are ASCII and end with "| 1.0" and one newline', () => {
    for (const base of [MMVET_BASE_OFFICIAL, MMVET_BASE_VLMEVALKIT, MMVET_BASE_LMMS_EVAL]) {
      expect([...base].every((ch) => (ch.codePointAt(0) ?? 0) < 0x80)).toBe(true);
      expect(base.endsWith('| 1.0\n')).toBe(true);
      expect(base.endsWith('\n\n')).toBe(false);
    }
  });

  it('A.2 is A.1 with a leading newline and 19 spaces turned into newlines, no trailing spaces', () => {
    expect(MMVET_BASE_VLMEVALKIT.startsWith('\nCompare')).toBe(true);
    const body = MMVET_BASE_VLMEVALKIT.slice(1);
    expect(body.length).toBe(MMVET_BASE_OFFICIAL.length);
    let changed = 0;
    for (let i = 0; i < body.length; i++) {
      if (body[i] === MMVET_BASE_OFFICIAL[i]) continue;
      expect([MMVET_BASE_OFFICIAL[i], body[i]]).toEqual([' ', '\n']);
      changed++;
    }
    expect(changed).toBe(19);
    expect(MMVET_BASE_VLMEVALKIT.split('\n').some((line) => line.endsWith(' '))).toBe(false);
  });

  it('A.3 replaces "\\n\\nQuestion" by "\\ngpt_query_prompt" and keeps the table', () => {
    const [first, second] = MMVET_BASE_LMMS_EVAL.split('\n');
    expect(first.endsWith('Just complete the last space of the correctness score.')).toBe(true);
    expect(second).toBe('gpt_query_prompt | Ground truth | Prediction | Correctness');
    const table = (s: string) => s.slice(s.indexOf('--- | --- | --- | ---'));
    expect(table(MMVET_BASE_LMMS_EVAL)).toBe(table(MMVET_BASE_OFFICIAL));
  });

  it('each profile uses its base', () => {
    expect(mmvetJudgePromptBase('official')).toBe(MMVET_BASE_OFFICIAL);
    expect(mmvetJudgePromptBase('vlmevalkit')).toBe(MMVET_BASE_VLMEVALKIT);
    expect(mmvetJudgePromptBase('lmms-eval')).toBe(MMVET_BASE_LMMS_EVAL);
    expect(mmvetJudgePromptBase('lmms-eval@2024-05')).toBe(MMVET_BASE_LMMS_EVAL);
  });
});

describe('grader prompt (§10.3)', () => {
  it('spaces every <AND> and <OR> in the ground truth', () => {
    expect(spacedGroundTruth('a<AND>b<AND>c')).toBe('a <AND> b <AND> c');
    expect(spacedGroundTruth('x <OR> y<OR>z')).toBe('x  <OR>  y <OR> z');
    expect(spacedGroundTruth('<and> <Or>')).toBe('<and> <Or>');
  });

  it('official and vlmevalkit rows end with " | " (trailing space), lmms-eval rows with " |"', () => {
    const row = 'Q? | a <OR> b | p | ';
    expect(mmvetJudgePrompt('Q?', 'a<OR>b', 'p', 'official')).toBe(`${MMVET_BASE_OFFICIAL}\n${row}`);
    expect(mmvetJudgePrompt('Q?', 'a<OR>b', 'p', 'vlmevalkit')).toBe(`${MMVET_BASE_VLMEVALKIT}\n${row}`);
    for (const p of ['lmms-eval', 'lmms-eval@2024-05'] as const) {
      expect(mmvetJudgePrompt('Q?', 'a<OR>b', 'p', p)).toBe(`${MMVET_BASE_LMMS_EVAL}\nQ? | a <OR> b | p |`);
    }
  });

  it('inserts texts verbatim (bars, newlines, surrounding spaces)', () => {
    const prompt = mmvetJudgePrompt(' q|1\n', 'g | h', '\tp\n', 'official');
    expect(prompt.endsWith('| 1.0\n\n q|1\n | g | h | \tp\n | ')).toBe(true);
  });

  it('strips the prediction for lmms-eval profiles only when built from an item (§2.4)', () => {
    const item = { question: 'Q', answer: 'A', prediction: '  p \n' };
    expect(mmvetJudgePromptForItem(item, 'lmms-eval').endsWith('\nQ | A | p |')).toBe(true);
    expect(mmvetJudgePromptForItem(item, 'lmms-eval@2024-05').endsWith('\nQ | A | p |')).toBe(true);
    expect(mmvetJudgePromptForItem(item, 'official').endsWith('\nQ | A |   p \n | ')).toBe(true);
    expect(mmvetJudgePromptForItem(item, 'vlmevalkit').endsWith('\nQ | A |   p \n | ')).toBe(true);
  });

  it('rejects a profile MM-Vet does not offer, listing the valid ones', () => {
    expect(() => mmvetJudgePrompt('q', 'a', 'p', 'pix2struct')).toThrow(/official, lmms-eval, lmms-eval@2024-05, vlmevalkit/);
    expect(() => nextJudgeCall('vlmevalkit@2024-05', [])).toThrow(/valid profiles/);
  });
});

describe('model prompt (§10.2)', () => {
  it('official and vlmevalkit send the bare question; lmms-eval profiles prepend their instruction', () => {
    expect(mmvetModelPrompt(' Q? ', 'official')).toBe(' Q? ');
    expect(mmvetModelPrompt(' Q? ', 'vlmevalkit')).toBe(' Q? ');
    expect(mmvetModelPrompt('Q?', 'lmms-eval')).toBe(
      'First please perform reasoning, and think step by step to provide best answer to the following question: \n\nQ?',
    );
    expect(mmvetModelPrompt('Q?', 'lmms-eval@2024-05')).toBe(
      'Please think step by step and try to provide best answer to the following question: \n\nQ?',
    );
  });

  it('matches the prompt.mmvet rows of prompts.jsonl', () => {
    const rows = readFileSync(join(VECTORS_DIR, 'prompts.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { metric: string; input: { question: string }; expected: { lmms_eval: string } })
      .filter((r) => r.metric === 'prompt.mmvet');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(mmvetModelPrompt(r.input.question, 'lmms-eval')).toBe(r.expected.lmms_eval);
  });
});

describe('reply reading', () => {
  it('official/lmms-eval read the text before the first ASCII space, stripped, with Python float()', () => {
    expect(firstTokenNumber('0.5 because')).toBe(0.5);
    expect(firstTokenNumber('0.5\n')).toBe(0.5);
    expect(firstTokenNumber(' 0.5')).toBeUndefined();
    expect(firstTokenNumber('0.5\nbecause')).toBeUndefined();
    expect(firstTokenNumber('０.５')).toBe(0.5); // Python float() takes any Unicode decimal digits
    expect(firstTokenNumber('1_0')).toBe(10);
    expect(Number.isNaN(firstTokenNumber('NaN') as number)).toBe(true);
    expect(firstTokenNumber('0,5')).toBeUndefined();
  });

  it('vlmevalkit reads the whole reply (surrounding whitespace allowed)', () => {
    expect(wholeReplyNumber(' 0.5\n')).toBe(0.5);
    expect(wholeReplyNumber('0.5 because')).toBeUndefined();
    expect(wholeReplyNumber('')).toBeUndefined();
  });
});

describe('official judge schedule (§10.4)', () => {
  it('"0.5 because …" is 0.5 after one call at temperature 0', () => {
    const o = judgeRepliesToScore(['0.5 because it is partly right'], 'official');
    expect(o).toEqual({ kind: 'score', score: 0.5, calls: [{ temperature: 0, promptSuffix: '' }] });
  });

  it('retries with the digit suffix at 0, 0, 0.5, 1.0, 1.5, 2.0 and never reads the 6th reply', () => {
    const o = judgeRepliesToScore(['x', 'x', 'x', 'x', 'x', '0.5'], 'official');
    expect(o.kind).toBe('failed');
    if (o.kind !== 'failed') return;
    expect(o.reason).toBe('retries-exhausted');
    expect(o.referenceScore).toBe(0);
    expect(temps(o.calls)).toEqual([0, 0, 0.5, 1, 1.5, 2]);
    expect(suffixes(o.calls)).toEqual(['', ...Array<string>(5).fill(OFFICIAL_RETRY_SUFFIX)]);
  });

  it('the 5th reply is still read (score at temperature 1.5)', () => {
    const o = judgeRepliesToScore(['x', 'x', 'x', 'x', '0.7'], 'official');
    expect(o.kind).toBe('score');
    if (o.kind === 'score') expect(o.score).toBe(0.7);
    expect(temps(o.calls)).toEqual([0, 0, 0.5, 1, 1.5]);
  });

  it('"Correctness: 0.5" then "0.5" gives 0.5 after 2 calls; a leading space fails all 6', () => {
    const o = judgeRepliesToScore(['Correctness: 0.5', '0.5'], 'official');
    expect(o.kind === 'score' && o.score).toBe(0.5);
    expect(suffixes(o.calls)).toEqual(['', OFFICIAL_RETRY_SUFFIX]);
    expect(judgeRepliesToScore([' 0.5', ' 0.5', ' 0.5', ' 0.5', ' 0.5', ' 0.5'], 'official').calls).toHaveLength(6);
  });

  it('accepts NaN and 0 and -0, rejects numbers above 1 or below 0', () => {
    const nan = judgeRepliesToScore(['nan'], 'official');
    expect(nan.kind === 'score' && Number.isNaN(nan.score)).toBe(true);
    expect(judgeRepliesToScore(['-0.0'], 'official').kind).toBe('score');
    expect(judgeRepliesToScore(['1.01', '1.0'], 'official').calls).toHaveLength(2);
    expect(judgeRepliesToScore(['-0.1'], 'official').kind).toBe('failed');
  });

  it('nextJudgeCall gives model, budget, temperature and suffix, then done', () => {
    expect(nextJudgeCall('official', [])).toEqual({ promptSuffix: '', temperature: 0, maxTokens: 3, model: 'gpt-4-0613' });
    expect(nextJudgeCall('official', ['abc'])).toEqual({
      promptSuffix: OFFICIAL_RETRY_SUFFIX,
      temperature: 0,
      maxTokens: 3,
      model: 'gpt-4-0613',
    });
    expect(nextJudgeCall('official', ['abc', 'def'])).toMatchObject({ temperature: 0.5 });
    expect(nextJudgeCall('official', ['1.0'])).toBe('done');
    expect(nextJudgeCall('official', ['a', 'b', 'c', 'd', 'e', 'f'])).toBe('done');
  });
});

describe('lmms-eval judge schedule (§10.4)', () => {
  it('a non-number raises the temperature and discards the next reply', () => {
    const o = judgeRepliesToScore(['abc', 'def', '0.2'], 'lmms-eval');
    expect(o.kind === 'score' && o.score).toBe(0.2);
    expect(temps(o.calls)).toEqual([0, 0.5, 0.5]);
    expect(suffixes(o.calls)).toEqual(['', '', '']);
    // The discarded reply is not read even when it is a valid score.
    const d = judgeRepliesToScore(['abc', '0.9', '0.3'], 'lmms-eval');
    expect(d.kind === 'score' && d.score).toBe(0.3);
  });

  it('stops with the reference score 0 once the temperature reaches 2', () => {
    const o = judgeRepliesToScore(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '0.5'], 'lmms-eval');
    expect(o).toMatchObject({ kind: 'failed', reason: 'retries-exhausted', referenceScore: 0 });
    expect(temps(o.calls)).toEqual([0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2]);
  });

  it('an empty (or all-whitespace) reply ends with the reference score 0', () => {
    expect(judgeRepliesToScore(['', '0.3'], 'lmms-eval')).toMatchObject({ kind: 'failed', reason: 'empty-reply', referenceScore: 0 });
    expect(judgeRepliesToScore([' \n\u00a0', '0.3'], 'lmms-eval').calls).toHaveLength(1);
  });

  it('re-asks at the same temperature after an out-of-range number or NaN', () => {
    const o = judgeRepliesToScore(['1.5', 'nan', '0.4'], 'lmms-eval');
    expect(o.kind === 'score' && o.score).toBe(0.4);
    expect(temps(o.calls)).toEqual([0, 0, 0]);
  });

  it('the reply is stripped first, so a leading space is harmless (unlike official)', () => {
    expect(judgeRepliesToScore(['  0.7 because'], 'lmms-eval')).toMatchObject({ kind: 'score', score: 0.7 });
  });

  it('caps the endless re-ask loop and records a failure where the reference hangs', () => {
    const o = judgeRepliesToScore(Array<string>(50).fill('1.5'), 'lmms-eval');
    expect(o).toMatchObject({ kind: 'failed', reason: 'call-limit', referenceScore: 'HANG' });
    expect(o.calls).toHaveLength(LMMS_EVAL_MAX_JUDGE_CALLS);
    expect(nextJudgeCall('lmms-eval', Array<string>(50).fill('1.5'))).toBe('done');
  });

  it('judge models and budgets: gpt-4o-2024-11-20 now, gpt-4-0613 in 2024-05, 128 tokens', () => {
    expect(nextJudgeCall('lmms-eval', ['abc'])).toEqual({ promptSuffix: '', temperature: 0.5, maxTokens: 128, model: 'gpt-4o-2024-11-20' });
    expect(nextJudgeCall('lmms-eval@2024-05', [])).toMatchObject({ maxTokens: 128, model: 'gpt-4-0613' });
    expect(nextJudgeCall('lmms-eval', [], 'my-judge')).toMatchObject({ model: 'my-judge' });
    expect(mmvetJudgeModel('lmms-eval')).toBe('gpt-4o-2024-11-20');
  });
});

describe('vlmevalkit judge schedule (§10.4)', () => {
  it('up to 5 calls at 0, 0.5, 1.0, 1.5, 2.0 with the same prompt; the whole reply must parse', () => {
    const o = judgeRepliesToScore(['0.5 because', 'Score: 1', '2', 'inf', '0.5/1', '0.8'], 'vlmevalkit');
    expect(o).toMatchObject({ kind: 'failed', reason: 'retries-exhausted', referenceScore: 0 });
    expect(temps(o.calls)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(suffixes(o.calls)).toEqual(['', '', '', '', '']);
  });

  it('accepts surrounding whitespace and NaN', () => {
    expect(judgeRepliesToScore(['x', ' 0.6\n'], 'vlmevalkit')).toMatchObject({ kind: 'score', score: 0.6 });
    const nan = judgeRepliesToScore(['NAN'], 'vlmevalkit');
    expect(nan.kind === 'score' && Number.isNaN(nan.score)).toBe(true);
  });

  it('uses gpt-4-1106-preview with 2048 tokens', () => {
    expect(nextJudgeCall('vlmevalkit', ['x', 'y'])).toEqual({ promptSuffix: '', temperature: 1, maxTokens: 2048, model: 'gpt-4-1106-preview' });
  });
});

describe('pyFormatFixed (Python "%.Nf")', () => {
  it('rounds the exact binary value, half to even on exact ties, and keeps the sign of zero', () => {
    expect(pyFormatFixed(0.125, 2)).toBe('0.12'); // JS toFixed gives "0.13"
    expect(pyFormatFixed(0.375, 2)).toBe('0.38');
    expect(pyFormatFixed(2.675, 2)).toBe('2.67');
    expect(pyFormatFixed(41.81818181818182, 2)).toBe('41.82');
    expect(pyFormatFixed(0, 2)).toBe('0.00');
    expect(pyFormatFixed(-0, 2)).toBe('-0.00');
    expect(pyFormatFixed(-0.001, 2)).toBe('-0.00');
    expect(pyFormatFixed(2.5, 0)).toBe('2');
    expect(pyFormatFixed(1e22, 1)).toBe('10000000000000000000000.0');
    expect(pyFormatFixed(5e-324, 3)).toBe('0.000');
    expect(pyFormatFixed(Number.NaN, 2)).toBe('nan');
    expect(pyFormatFixed(Number.NEGATIVE_INFINITY, 2)).toBe('-inf');
  });
});

describe('aggregation (§10.5)', () => {
  const example = [
    { capability: ['math', 'ocr', 'rec'], score: 0.0 },
    { capability: ['ocr'], score: 0.2 },
    { capability: ['know'], score: 0.5 },
    { capability: ['spat'], score: 1.0 },
    { capability: ['ocr'], score: 0.3 },
  ];

  it('official: per capability present (most frequent first) and total, numpy-rounded to 1 decimal', () => {
    const agg = aggregateOfficial(example);
    expect(agg).toEqual({ ocr: 16.7, math: 0, rec: 0, know: 50, spat: 100, total: 40 });
    expect(Object.keys(agg)[0]).toBe('ocr');
    expect(Object.keys(agg).at(-1)).toBe('total');
  });

  it('official rounds with numpy (rint(x·10)/10), not Python round', () => {
    // 0.0115·100 = 1.15 (just below 1.15): Python round → 1.1, numpy → 1.2.
    expect(aggregateOfficial([{ capability: ['ocr'], score: 0.0115 }])).toEqual({ ocr: 1.2, total: 1.2 });
    // 33.45 (just above): Python round → 33.5, numpy → 33.4.
    expect(aggregateOfficial([{ capability: ['ocr'], score: 0.3345 }])).toEqual({ ocr: 33.4, total: 33.4 });
  });

  it('official counts a capability listed twice once (capability sets)', () => {
    expect(aggregateOfficial([{ capability: ['ocr', 'ocr'], score: 0.5 }, { capability: ['rec'], score: 0 }])).toEqual({
      ocr: 50,
      rec: 0,
      total: 25,
    });
  });

  it('lmms-eval: overall, and "%.2f" per capability with "0.00" for capabilities without items', () => {
    const agg = aggregateLmmsEval(example);
    expect(agg.overall).toBeCloseTo(40, 12);
    expect(agg.perCapabilityLogged).toEqual({ rec: '0.00', ocr: '16.67', know: '50.00', gen: '0.00', spat: '100.00', math: '0.00' });
    expect(agg.counts.gen).toBe(0);
  });

  it('lmms-eval logs with Python rounding (exact ties to even)', () => {
    expect(aggregateLmmsEval([{ capability: ['ocr'], score: 0.00125 }]).perCapabilityLogged.ocr).toBe('0.12');
  });

  it('lmms-eval and vlmevalkit use a substring test on the comma-joined capabilities', () => {
    const lmms = aggregateLmmsEval([{ capability: ['xocrx'], score: 1 }, { capability: ['rec'], score: 0 }]);
    expect(lmms.counts.ocr).toBe(1);
    expect(aggregateOfficial([{ capability: ['xocrx'], score: 1 }])).not.toHaveProperty('ocr');
  });

  it('lmms-eval raises ZeroDivisionError without samples; official gives NaN', () => {
    expect(() => aggregateLmmsEval([])).toThrow(PyError);
    expect(Number.isNaN(aggregateOfficial([])['total'])).toBe(true);
  });

  it('vlmevalkit counts single-capability items twice for that capability', () => {
    const agg = aggregateVlmevalkit([
      { capability: ['rec'], score: 1 },
      { capability: ['ocr', 'rec'], score: 0 },
      { capability: ['know', 'gen', 'spat', 'math', 'ocr'], score: 0.5 },
    ]);
    expect(agg.counts.rec).toBe(3); // twice for {rec}, once for {ocr,rec}
    expect(agg.perCapability.rec).toBeCloseTo((2 / 3) * 100, 12);
    expect(agg.perCapability.ocr).toBeCloseTo(25, 12);
    expect(agg.perCombination['rec']).toBeCloseTo((2 / 3) * 100, 12);
    expect(agg.perCombination['ocr_rec']).toBe(0);
    expect(agg.overall).toBeCloseTo(50, 12);
  });

  it('vlmevalkit raises ZeroDivisionError when a capability has no item, or omits it on request', () => {
    let thrown: unknown;
    try {
      aggregateVlmevalkit(example);
    } catch (err) {
      thrown = err;
    }
    expect(thrown instanceof PyError && thrown.pyName).toBe('ZeroDivisionError');
    const omitted = aggregateVlmevalkit(example, 'omit');
    expect(omitted.perCapability).not.toHaveProperty('gen');
    expect(omitted.perCapability.ocr).toBeCloseTo((1.0 / 5) * 100, 12); // {ocr} items counted twice
  });
});

function item(overrides: Partial<MmvetItem> = {}): MmvetItem {
  return { id: 'v1_0', prediction: 'p', question: 'q', answer: 'a', capability: ['ocr'], ...overrides };
}

describe('mmvetScorer', () => {
  it('offers the four profiles, official by default, percent scale, graded scores', () => {
    expect(mmvetScorer.bench).toBe('mmvet');
    expect([...mmvetScorer.profiles]).toEqual([...MMVET_PROFILES]);
    expect(mmvetScorer.defaultProfile).toBe('official');
    expect(mmvetScorer.scale).toBe('percent');
    expect(mmvetScorer.binary).toBe(false);
    expect(mmvetScorer.recordFields.map((f) => [f.name, f.required])).toEqual([
      ['id', true],
      ['prediction', true],
      ['question', true],
      ['answer', true],
      ['capability', true],
      ['judge_outputs', false],
      ['judge_runs', false],
      ['judge_scores', false],
    ]);
  });

  it('parses records: comma-joined or list capabilities, optional judge outputs', () => {
    const rec = { id: 3, prediction: 'p', question: 'q', answer: 'a<AND>b', capability: 'ocr,math' };
    expect(mmvetScorer.parseRecord(rec)).toEqual({ id: '3', prediction: 'p', question: 'q', answer: 'a<AND>b', capability: ['ocr', 'math'] });
    expect(mmvetScorer.parseRecord({ ...rec, capability: ['rec'], judge_outputs: ['0.5'] })).toMatchObject({
      capability: ['rec'],
      judgeOutputs: ['0.5'],
    });
  });

  it('names the bad field in RecordError', () => {
    const good = { id: 'x', prediction: 'p', question: 'q', answer: 'a', capability: ['ocr'] };
    const fieldOf = (rec: Record<string, unknown>) => {
      try {
        mmvetScorer.parseRecord(rec);
      } catch (err) {
        return err instanceof RecordError ? err.field : 'other error';
      }
      return 'no error';
    };
    expect(fieldOf(good)).toBe('no error');
    expect(fieldOf({ ...good, id: undefined })).toBe('id');
    expect(fieldOf({ ...good, prediction: 5 })).toBe('prediction');
    expect(fieldOf({ ...good, question: undefined })).toBe('question');
    expect(fieldOf({ ...good, answer: ['a'] })).toBe('answer');
    expect(fieldOf({ ...good, capability: 7 })).toBe('capability');
    expect(fieldOf({ ...good, capability: [] })).toBe('capability');
    expect(fieldOf({ ...good, judge_outputs: '0.5' })).toBe('judge_outputs');
    expect(fieldOf({ ...good, judge_outputs: [0.5] })).toBe('judge_outputs');
  });

  it('without judge replies an item needs a judge: value null, next call given', () => {
    const r = mmvetItemResult(item(), 'official');
    expect(r).toMatchObject({ id: 'v1_0', value: null, status: 'needs_judge', categories: { capability: ['ocr'] } });
    expect(r.detail?.['nextCall']).toEqual({ promptSuffix: '', temperature: 0, maxTokens: 3, model: 'gpt-4-0613' });
  });

  it('replies that stop before the schedule ends also leave the item to the judge', () => {
    expect(mmvetItemResult(item({ judgeOutputs: ['abc'] }), 'official').status).toBe('needs_judge');
    expect(mmvetItemResult(item({ judgeOutputs: ['abc'] }), 'vlmevalkit').status).toBe('needs_judge');
  });

  it('a valid reply scores the item', () => {
    const r = mmvetItemResult(item({ judgeOutputs: ['0.5 because'] }), 'official');
    expect(r).toMatchObject({ value: 0.5, status: 'scored' });
    expect(mmvetItemResult(item({ judgeOutputs: ['0.5 because'] }), 'vlmevalkit').status).toBe('needs_judge');
  });

  it('an exhausted schedule, an empty lmms-eval reply and a NaN verdict are judge failures, never 0', () => {
    const exhausted = mmvetItemResult(item({ judgeOutputs: ['a', 'b', 'c', 'd', 'e', 'f'] }), 'official');
    expect(exhausted).toMatchObject({ value: null, status: 'judge_failed', detail: { reason: 'retries-exhausted', referenceScore: 0 } });
    const empty = mmvetItemResult(item({ judgeOutputs: [''] }), 'lmms-eval');
    expect(empty).toMatchObject({ value: null, status: 'judge_failed', detail: { reason: 'empty-reply' } });
    const nan = mmvetItemResult(item({ judgeOutputs: ['nan'] }), 'official');
    expect(nan).toMatchObject({ value: null, status: 'judge_failed', detail: { reason: 'nan-reply' } });
  });

  it('scoreItems scores every item and rejects other profiles', () => {
    const results = mmvetScorer.scoreItems([item({ judgeOutputs: ['1.0'] }), item({ id: 'v1_1' })], 'lmms-eval', OPTS);
    expect(results.map((r) => r.status)).toEqual(['scored', 'needs_judge']);
    expect(() => mmvetScorer.scoreItems([], 'vqa-v2@2021', OPTS)).toThrow(/valid profiles: official, lmms-eval/);
  });

  it('aggregate: fractions per profile; excluded units do not count', () => {
    const unit = (capability: string[], value: number | null): ItemResult => ({
      id: String(Math.random()),
      value,
      status: value === null ? 'judge_failed' : 'scored',
      categories: { capability },
    });
    const results = [
      unit(['math', 'ocr', 'rec'], 0),
      unit(['ocr'], 0.2),
      unit(['know'], 0.5),
      unit(['spat'], 1),
      unit(['ocr'], 0.3),
      unit(['gen'], null),
    ];
    const official = mmvetAggregate(results, 'official');
    expect(official.value).toBeCloseTo(0.4, 12);
    expect(official.byCategory['capability']['ocr'].value).toBeCloseTo(0.167, 12);
    expect(official.byCategory['capability']['ocr'].n).toBe(3);
    expect(official.byCategory['capability']).not.toHaveProperty('gen');

    const lmms = mmvetAggregate(results, 'lmms-eval');
    expect(lmms.byCategory['capability']['ocr'].value).toBeCloseTo(1 / 6, 12);
    expect(lmms.byCategory['capability']).not.toHaveProperty('gen');

    const vlm = mmvetAggregate(results, 'vlmevalkit');
    expect(vlm.value).toBeCloseTo(0.4, 12);
    expect(vlm.byCategory['capability']['ocr'].value).toBeCloseTo(1.0 / 5, 12); // double count
    expect(vlm.byCategory['capability']['ocr'].n).toBe(3);
    expect(vlm.byCategory['capability']).not.toHaveProperty('gen');

    expect(() => mmvetAggregate(results, 'pix2struct' as ProfileId)).toThrow(/valid profiles/);
    expect(Number.isNaN(mmvetAggregate([], 'official').value)).toBe(true);
  });
});

describe('MM-Vet with several grading runs (official --num_run N)', () => {
  const rec = (id: string, capability: string[], extra: Record<string, unknown>) => ({ id, prediction: 'p', question: 'q', answer: 'a', capability, ...extra });
  // Run totals 43.33… and 40.0: the mean of the unrounded runs is 41.67 → 41.7, while the mean
  // of the rounded runs (43.3, 40.0) would be 41.65 → 41.6; numpy's population std is 1.67.
  const grades: [string, string[], number[]][] = [
    ['v1_0', ['rec'], [1, 0.5]],
    ['v1_1', ['ocr'], [0.2, 0.3]],
    ['v1_2', ['rec', 'ocr'], [0.1, 0.4]],
  ];
  const score = (records: Record<string, unknown>[], profile: ProfileId) =>
    benchScore(mmvetScorer, mmvetScorer.scoreItems(records.map((r) => mmvetScorer.parseRecord(r)), profile, { judgeMode: 'exact-matching' }), profile, 'exact-matching');

  it('reports the mean of the unrounded runs, per-capability means and the spread, from recorded grades', () => {
    const s = score(grades.map(([id, cap, g]) => rec(id, cap, { judge_scores: g })), 'official');
    expect(s.display).toBe('41.7');
    expect(s.runs?.values[0]).toBeCloseTo(130 / 3, 9);
    expect(s.runs?.values[1]).toBeCloseTo(40, 9);
    expect(s.runs?.std).toBeCloseTo(5 / 3, 9);
    expect(s.byCategory['capability']['rec'].value).toBeCloseTo(50, 9);
    expect(s.byCategory['capability']['ocr'].value).toBeCloseTo(25, 9);
    expect(aggregateOfficialRuns(grades.map(([, capability, runScores]) => ({ capability, runScores }))).means).toEqual({ rec: 50, ocr: 25, total: 41.7 });
  });

  it('grades each run of judge replies with the profile schedule; other profiles never reuse official grades', () => {
    const s = score(grades.map(([id, cap, g]) => rec(id, cap, { judge_runs: g.map((x) => [x.toFixed(1)]) })), 'official');
    expect(s.display).toBe('41.7');
    expect(s.runs?.values.length).toBe(2);
    const lmms = score(grades.map(([id, cap, g]) => rec(id, cap, { judge_scores: g })), 'lmms-eval');
    expect(lmms.counts.needs_judge).toBe(3);
    // A run whose schedule is unfinished leaves the item needing a judge, never a partial mean.
    const pending = mmvetScorer.scoreItems([mmvetScorer.parseRecord(rec('v1_9', ['rec'], { judge_runs: [['1.0'], ['oops']] }))], 'official', { judgeMode: 'exact-matching' });
    expect(pending[0]).toMatchObject({ value: null, status: 'needs_judge' });
  });

  it('rejects malformed run fields naming the field', () => {
    expect(() => mmvetScorer.parseRecord(rec('v1_0', ['rec'], { judge_scores: [1.5] }))).toThrow(/judge_scores/);
    expect(() => mmvetScorer.parseRecord(rec('v1_0', ['rec'], { judge_runs: ['1.0'] }))).toThrow(/judge_runs/);
  });
});
