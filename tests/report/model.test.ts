// The leaderboard model on real runs (runner + loopback server + scorer): README rows, row order,
// verdicts, sensitivity, the sample-browser data, and how damaged run files are reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReportedTable, parseReportedTable, reportedRowFor } from '../../harness/report/reported.js';
import { loadRun, loadRuns, findRunDirs } from '../../harness/report/load-runs.js';
import { buildLeaderboard, type RunRow } from '../../harness/report/model.js';
import { decideVerdict } from '../../harness/report/verdict.js';
import { buildSamplesView, OUTCOMES } from '../../harness/report/samples-view.js';
import { MODELS } from '../../harness/run/models.js';
import { ConfigError } from '../../harness/errors.js';
import { makeReportRuns, PAYLOAD_RUN_ID, PAYLOADS, tempDir, type ReportRuns } from './fixtures.js';
import type { RunScores } from '../../harness/run/run-format.js';

let fx: ReportRuns;
beforeAll(async () => {
  fx = await makeReportRuns();
});
afterAll(() => {
  if (fx) rmSync(fx.runsDir, { recursive: true, force: true });
});

describe('configs/reported.json', () => {
  const table = loadReportedTable();

  it('holds every row and column of the CogVLM2 README table, missing cells as null', () => {
    expect(table.rows.map((r) => r.name)).toEqual([
      'CogVLM1.1', 'LLaVA-1.5', 'Mini-Gemini', 'LLaVA-NeXT-LLaMA3', 'LLaVA-NeXT-110B', 'InternVL-1.5',
      'QwenVL-Plus', 'Claude3-Opus', 'Gemini Pro 1.5', 'GPT-4V', 'CogVLM2-LLaMA3', 'CogVLM2-LLaMA3-Chinese',
    ]);
    expect(table.columns.map((c) => c.title)).toEqual(['Open Source', 'LLM Size', 'TextVQA', 'DocVQA', 'ChartQA', 'OCRbench', 'VCR_EASY', 'VCR_HARD', 'MMMU', 'MMVet', 'MMBench']);
    const scoreKeys = table.columns.filter((c) => c.kind === 'score').map((c) => c.key);
    for (const r of table.rows) expect(Object.keys(r.scores).sort()).toEqual([...scoreKeys].sort());
    const cells = table.rows.flatMap((r) => Object.values(r.scores));
    // 12 rows × 9 score columns; the README has 26 "-" cells.
    expect(cells).toHaveLength(108);
    expect(cells.filter((v) => v === null)).toHaveLength(26);
    expect(table.rows.find((r) => r.name === 'LLaVA-1.5')?.scores).toMatchObject({ docvqa: null, chartqa: null, vcr_easy: null, vcr_hard: null, ocrbench: 337 });
    expect(table.rows.find((r) => r.name === 'Claude3-Opus')?.scores).toMatchObject({ textvqa: null, vcr_easy: 63.85, mmmu: 59.4 });
    expect(table.rows.find((r) => r.name === 'QwenVL-Plus')).toMatchObject({ openSource: false, llmSize: null });
    expect(table.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('agrees with the reported scores in configs/models for both CogVLM2 rows', () => {
    for (const m of MODELS.filter((x) => x.reported)) {
      const row = reportedRowFor(table, m);
      expect(row?.name).toBe(m.reported?.row);
      for (const [bench, v] of Object.entries(m.reported?.scores ?? {})) expect(row?.scores[bench]).toBe(v);
    }
    expect(reportedRowFor(table, { name: 'chat-int4', hfId: 'THUDM/cogvlm2-llama3-chat-19B-int4' })).toBeUndefined();
  });

  it('names the file and field of a bad value', () => {
    const raw = JSON.parse(readFileSync(table.file, 'utf8')) as { rows: { scores: Record<string, unknown> }[] };
    raw.rows[2].scores['mmmu'] = '48.0';
    expect(() => parseReportedTable(raw, 'x/reported.json')).toThrow(ConfigError);
    expect(() => parseReportedTable(raw, 'x/reported.json')).toThrow('x/reported.json: rows[2].scores.mmmu must be a number or null');
    raw.rows[2].scores['mmmu'] = 48.0;
    raw.rows[2].scores['vqav2'] = 1;
    expect(() => parseReportedTable(raw, 'x/reported.json')).toThrow('rows[2].scores.vqav2: not a score column');
  });
});

describe('decideVerdict', () => {
  const base = { value: 84.0, ciLo: 83.0, ciHi: 85.0, n: 5000, scale: 'percent' as const };
  it('reproduced when the reported value is inside the CI, allowing for the README rounding', () => {
    expect(decideVerdict({ ...base, reported: 84.2 }).kind).toBe('reproduced');
    expect(decideVerdict({ ...base, reported: 85.05 }).kind).toBe('reproduced');
    expect(decideVerdict({ ...base, reported: 85.1 }).kind).toBe('below');
    expect(decideVerdict({ ...base, reported: 82.9 }).kind).toBe('above');
    expect(decideVerdict({ ...base, scale: 'points1000', value: 750, ciLo: 723, ciHi: 776, reported: 776.4 }).kind).toBe('reproduced');
    expect(decideVerdict({ ...base, scale: 'points1000', value: 750, ciLo: 723, ciHi: 776, reported: 777 }).kind).toBe('below');
  });
  it('keeps not comparable, no reported value and no score apart, and marks partial runs', () => {
    const nc = decideVerdict({ ...base, reported: 84.2, notComparableWhy: 'another split' });
    expect(nc).toMatchObject({ kind: 'not-comparable', reportedInsideCi: true });
    expect(nc.explanation).toContain('another split');
    expect(decideVerdict({ ...base, reported: undefined, noReportedWhy: 'no row' })).toMatchObject({ kind: 'no-reported', explanation: 'no row' });
    expect(decideVerdict({ ...base, value: Number.NaN, n: 0, reported: 84.2 }).kind).toBe('no-score');
    expect(decideVerdict({ ...base, reported: 84.2, partialWhy: '--limit 100' })).toMatchObject({ kind: 'reproduced', partial: '--limit 100' });
  });
});

describe('buildLeaderboard on real runs', () => {
  function board() {
    const { runs } = loadRuns(findRunDirs(fx.runsDir));
    return buildLeaderboard(runs, loadReportedTable(), { generatedAt: '2026-01-01T00:00:00.000Z', measuredSplits: { docvqa: 'DocVQA (validation)' } });
  }
  const run = (b: ReturnType<typeof board>, id: string): RunRow => {
    const r = b.runs.find((x) => x.runId === id);
    if (!r) throw new Error(`no run ${id}`);
    return r;
  };

  it('puts each run under the README row of its model, runs without a row last', () => {
    const b = board();
    const names = b.rows.map((r) => (r.kind === 'reported' ? `README:${r.name}` : `run:${r.runId}`));
    expect(names.slice(10)).toEqual([
      'README:CogVLM2-LLaMA3',
      'run:chat-demo',
      'run:chat-textvqa-above',
      'run:chat-textvqa-good',
      'README:CogVLM2-LLaMA3-Chinese',
      'run:chinese-textvqa-poor',
      `run:${PAYLOAD_RUN_ID}`,
    ]);
    // Every score column of the README table is a registered benchmark now (VCR included): none is extra.
    expect(b.extraColumns.map((c) => c.key)).toEqual([]);
    expect(b.benches.map((x) => x.id).slice(-2)).toEqual(['vcr_easy', 'vcr_hard']);
    expect(b.benches.find((x) => x.id === 'vcr_hard')).toMatchObject({ title: 'VCR_HARD', scale: 'percent', comparable: true });
  });

  it('decides the verdicts from the measured CIs and the README values', () => {
    const b = board();
    const good = run(b, 'chat-textvqa-good').cells.textvqa;
    expect(good?.display).toBe('85.0');
    expect(good?.verdict.kind).toBe('reproduced');
    expect(good?.ciLo).toBeLessThan(84.2);
    expect(run(b, 'chat-textvqa-above').cells.textvqa?.verdict.kind).toBe('above');
    const poor = run(b, 'chinese-textvqa-poor').cells.textvqa;
    expect(poor?.reported).toBe(85.0);
    expect(poor?.verdict.kind).toBe('below');
    const demo = run(b, 'chat-demo');
    expect(Object.keys(demo.cells)).toHaveLength(9);
    for (const [bench, c] of Object.entries(demo.cells)) {
      if (bench === 'mmvet') expect(c?.verdict.kind).toBe('no-score'); // no judge: every item excluded
      else expect(c?.verdict.kind, bench).toBe('not-comparable');
    }
    expect(demo.cells.docvqa?.verdict.explanation).toContain('cogeval measures DocVQA (validation)');
    // The README's VCR_EASY for CogVLM2-LLaMA3 (83.3) is the demo run's reference.
    expect(demo.cells.vcr_easy?.reported).toBe(83.3);
    const evil = run(b, PAYLOAD_RUN_ID).cells.docvqa;
    expect(evil?.verdict.kind).toBe('no-reported');
    expect(evil?.verdict.partial).toBe('2 failed sample(s) excluded');
    expect(evil?.samples).toEqual({ selected: 10, predicted: 8, failed: 2, missing: 0 });
  });

  it('carries every profile of the same predictions and the categories', () => {
    const b = board();
    const scores = JSON.parse(readFileSync(join(fx.dirs.good, 'scores.json'), 'utf8')) as RunScores;
    const sens = run(b, 'chat-textvqa-good').sensitivity.textvqa ?? [];
    expect(sens.map((e) => e.profile)).toEqual(scores.benches.textvqa?.profiles.map((p) => p.profile));
    expect(sens.filter((e) => e.primary).map((e) => e.profile)).toEqual(['lmms-eval']);
    const cats = run(b, 'chat-demo').categories.ocrbench ?? {};
    expect(Object.keys(cats)).toContain('category');
  });
});

describe('buildSamplesView', () => {
  it('classifies outcomes, keeps payloads as data and shares strings between runs', () => {
    const good = loadRun(fx.dirs.good);
    const one = buildSamplesView([good], new Map());
    const samples = one.runs[0].benches.textvqa ?? [];
    expect(samples).toHaveLength(40);
    const byOutcome = (o: string): number => samples.filter((s) => OUTCOMES[s[1]] === o).length;
    expect([byOutcome('correct'), byOutcome('wrong')]).toEqual([34, 6]);
    const twice = buildSamplesView([good, { ...good, id: 'copy' }], new Map());
    expect(twice.strings.length).toBe(one.strings.length); // the second run's texts are all shared
    expect(twice.runs.map((r) => r.id)).toEqual(['chat-textvqa-good', 'copy']);
    const evil = buildSamplesView([loadRun(fx.dirs.payload)], new Map());
    for (const p of PAYLOADS) expect(evil.strings.some((s) => s.includes(p))).toBe(true);
    const failed = (evil.runs[0].benches.docvqa ?? []).filter((s) => OUTCOMES[s[1]] === 'failed');
    expect(failed).toHaveLength(2);
  });
});

describe('damaged run files', () => {
  it('reports a bad samples.jsonl line by file and line, and skips an unreadable run', () => {
    const root = tempDir('cogeval-report-damaged-');
    try {
      const copy = join(root, 'copy');
      cpSync(fx.dirs.good, copy, { recursive: true });
      const lines = readFileSync(join(copy, 'samples.jsonl'), 'utf8').split('\n');
      lines[2] = '{"bench":"textvqa","id":"t2","value":7,"status":"scored"}';
      lines[4] = '{not json';
      writeFileSync(join(copy, 'samples.jsonl'), lines.join('\n'));
      const r = loadRun(copy);
      expect(r.samples).toHaveLength(38);
      expect(r.problems.join('\n')).toMatch(/samples\.jsonl:3: field "value": expected a number in \[0, 1\] or null/);
      expect(r.problems.join('\n')).toMatch(/samples\.jsonl:5: not valid JSON/);
      rmSync(join(copy, 'scores.json'));
      const unscored = buildLeaderboard([loadRun(copy)], loadReportedTable());
      expect(unscored.runs[0].cells.textvqa?.verdict).toMatchObject({ kind: 'no-score' });
      expect(unscored.runs[0].problems.join('\n')).toContain('cogeval rescore');
      const broken = join(root, 'broken');
      cpSync(fx.dirs.good, broken, { recursive: true });
      writeFileSync(join(broken, 'run.json'), '{"id": 3');
      const { runs, skipped } = loadRuns([copy, broken]);
      expect(runs).toHaveLength(1);
      expect(skipped[0].reason).toContain(join(broken, 'run.json'));
      expect(skipped[0].reason).toContain('not valid JSON');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
