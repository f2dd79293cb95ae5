// The regression gate end to end: real runs made by the runner against the loopback fake server
// (ChartQA 0/1 → McNemar, DocVQA ANLS → paired bootstrap), saved baselines, reported scores, the
// CLI's Markdown/JSON and exit codes, and gate() on synthetic sources for the statistics' edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import { runEval } from '../../harness/run/runner.js';
import { scoreRun } from '../../harness/run/score-run.js';
import type { BenchDataset, Sample, SampleOrFailure } from '../../harness/datasets/types.js';
import type { BenchId } from '../../harness/metrics/types.js';
import { main } from '../../harness/cli/main.js';
import { formatGateMarkdown, gate, GateInputError, type GateReport } from '../../harness/report/gate.js';
import { readBaselineFile, type ScoreSource, type UnitOutcome } from '../../harness/report/baseline.js';
import { fileURLToPath } from 'node:url';
import { mcnemarExactOneSided } from '../../harness/report/paired.js';
import { plan, tinyPng } from '../run/helpers.js';

const N = 200;

/** What the fake model answers for item i of a benchmark. */
type Outcome = 'right' | 'wrong' | 'partial';
type Behaviour = Record<'chartqa' | 'docvqa', (i: number) => Outcome>;

function dataset(bench: 'chartqa' | 'docvqa', n: number, failAt: number[] = []): BenchDataset {
  return {
    bench,
    source: 'hf',
    description: `synthetic ${bench} (${n})`,
    revision: `synthetic-${bench}-${n}`,
    count: async () => n,
    async *samples(o = {}) {
      const end = Math.min(n, o.limit ?? n);
      for (let i = o.offset ?? 0; i < end; i++) {
        if (failAt.includes(i)) {
          const failure: SampleOrFailure = { failed: true, id: `${bench}-${i}`, index: i, bench, reason: `row ${i} column image: corrupt bytes` };
          yield failure;
          continue;
        }
        const question = `${bench} question number ${i}?`;
        const gold = `answer text ${i}`;
        const sample: Sample = {
          id: `${bench}-${i}`,
          bench,
          index: i,
          question,
          images: [{ origin: `row ${i}`, bytes: async () => tinyPng(i) }],
          prompt: { bench, question },
          references: bench === 'chartqa' ? { answer: gold, type: 'human' } : { answers: [gold], question_types: ['form'] },
          categories: {},
          extra: {},
        };
        yield sample;
      }
    },
  };
}

let behaviour: Behaviour;
function answer(key: string): string {
  const m = /^(chartqa|docvqa) question number (\d+)\?/.exec(key);
  if (!m) return 'unexpected prompt';
  const i = Number(m[2]);
  const outcome = behaviour[m[1] as 'chartqa' | 'docvqa'](i);
  // "partial": one character added to the gold, ANLS 1 − 1/(length + 1).
  return outcome === 'right' ? `answer text ${i}` : outcome === 'partial' ? `answer text ${i}x` : 'no idea';
}

let server: FakeOpenAIServer;
let runsDir: string;
const runs: Record<string, string> = {};

async function makeRun(id: string, b: Behaviour, opts: { benches?: BenchId[]; limit?: number; failAt?: number[] } = {}): Promise<string> {
  behaviour = b;
  const engine = createOpenAIEngine({ endpoints: server.url, model: 'fake-cogvlm2', concurrency: 16, timeoutMs: 5_000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }, { env: {} });
  const benches = opts.benches ?? ['chartqa', 'docvqa'];
  const outcome = await runEval(
    plan(engine, runsDir, dataset('docvqa', N), {
      runId: id,
      benches,
      limit: opts.limit ?? null,
      openDataset: async (bench) => dataset(bench as 'chartqa' | 'docvqa', N, bench === 'docvqa' ? opts.failAt : []),
    }),
  );
  await engine.close();
  scoreRun(outcome.runDir);
  return outcome.runDir;
}

// Baseline: ChartQA right unless i % 5 == 0 (80.0%), DocVQA right unless i % 10 == 0 (90.0%).
const chartBase = (i: number): boolean => i % 5 !== 0;
const docBase = (i: number): boolean => i % 10 !== 0;
const rightIf = (ok: boolean): Outcome => (ok ? 'right' : 'wrong');
/** Flips the first `losses` baseline-right and the first `gains` baseline-wrong items. */
function flips(base: (i: number) => boolean, losses: number, gains: number): (i: number) => Outcome {
  const lose = new Set<number>();
  const gain = new Set<number>();
  for (let i = 0; i < N; i++) {
    if (base(i) && lose.size < losses) lose.add(i);
    else if (!base(i) && gain.size < gains) gain.add(i);
  }
  return (i) => rightIf(lose.has(i) ? false : gain.has(i) ? true : base(i));
}

beforeAll(async () => {
  server = await startFakeOpenAIServer({ answer, inspectImages: false });
  runsDir = mkdtempSync(join(tmpdir(), 'cogeval-gate-'));
  const base: Behaviour = { chartqa: (i) => rightIf(chartBase(i)), docvqa: (i) => rightIf(docBase(i)) };
  runs.base = await makeRun('base', base);
  // A real regression: ChartQA 30 lost / 6 gained (−12 points); DocVQA 81 answers one character off (−2.7 points).
  const docPartial = (i: number): Outcome => (docBase(i) && i < 90 ? 'partial' : rightIf(docBase(i)));
  runs.regressed = await makeRun('regressed', { chartqa: flips(chartBase, 30, 6), docvqa: docPartial });
  // Noise: ChartQA 12 lost / 8 gained (−2.0), DocVQA 12 lost / 8 gained (−2.0): beyond T = 1 but not significant.
  runs.noise = await makeRun('noise', { chartqa: flips(chartBase, 12, 8), docvqa: flips(docBase, 12, 8) });
  // Within tolerance: one ChartQA item lost (−0.5).
  runs.small = await makeRun('small', { chartqa: flips(chartBase, 1, 0), docvqa: base.docvqa });
  runs.failed = await makeRun('failed', base, { failAt: [3] });
  runs.short = await makeRun('short', base, { limit: 180 });
  runs.docOnly = await makeRun('doc-only', base, { benches: ['docvqa'] });
  // Seven runs of up to 400 requests: sized for a loaded 2-core machine, not vitest's 10 s default.
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function jsonPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'cogeval-gate-json-')), 'gate.json');
}

function readReport(path: string): GateReport {
  return JSON.parse(readFileSync(path, 'utf8')) as GateReport;
}

describe('cogeval gate against a baseline run', () => {
  it('fails a real, significant drop (exit 1): McNemar on ChartQA, paired bootstrap on DocVQA', async () => {
    const json = jsonPath();
    const { code, out } = await cli(['gate', '--run', runs.regressed, '--baseline', runs.base, '--json', json]);
    expect(code).toBe(1);
    expect(out).toMatch(/^## cogeval gate: FAIL/);
    expect(out).toContain('| benchmark | baseline | current | Δ | 90% CI of Δ | p (one-sided) | n | test | verdict |');
    expect(out).toMatch(/\| chartqa \(lmms-eval\) \| 80\.0 \| 68\.0 \| -12\.00 \| \[-\d+\.\d\d, -\d+\.\d\d\] \| <0\.0001 \| 200 \| McNemar exact \(30 lost, 6 gained\) \| \*\*FAIL\*\* regression/);
    const r = readReport(json);
    expect(r.verdict).toBe('fail');
    const chart = r.benches.find((b) => b.bench === 'chartqa');
    const doc = r.benches.find((b) => b.bench === 'docvqa');
    expect(chart).toMatchObject({ test: 'mcnemar-exact', n: 200, discordant: { losses: 30, gains: 6, ties: 164 }, verdict: 'regression' });
    expect(chart?.pValue).toBe(mcnemarExactOneSided(30, 6));
    expect(chart?.delta).toBeCloseTo(-12, 10);
    expect(chart?.ci?.hi).toBeLessThan(0);
    expect(doc).toMatchObject({ test: 'paired-bootstrap', n: 200, verdict: 'regression' });
    // 81 partial answers: 9 golds of 13 characters (ANLS 13/14), 72 of 14 (ANLS 14/15).
    expect(doc?.delta).toBeCloseTo((-(9 / 14 + 72 / 15) / 200) * 100, 10);
    expect(doc?.pValue).toBe(1 / 10_001); // every unit moved down: no resample shows no drop
    expect(r.settings).toMatchObject({ tolerance: 1, alpha: 0.05, ciLevel: 0.9, resamples: 10_000 });
  });

  it('passes a noise-sized drop beyond the tolerance that is not significant', async () => {
    const json = jsonPath();
    const { code, out } = await cli(['gate', '--run', runs.noise, '--baseline', runs.base, '--json', json]);
    expect(code).toBe(0);
    expect(out).toMatch(/^## cogeval gate: PASS/);
    const r = readReport(json);
    const chart = r.benches.find((b) => b.bench === 'chartqa');
    const doc = r.benches.find((b) => b.bench === 'docvqa');
    expect(chart).toMatchObject({ verdict: 'pass', discordant: { losses: 12, gains: 8 } });
    expect(chart?.delta).toBeCloseTo(-2, 10);
    expect(chart?.pValue).toBeCloseTo(0.2517223358154297, 12);
    expect(chart?.reason).toMatch(/not significant.*noise/);
    expect(doc?.delta).toBeCloseTo(-2, 10);
    expect(doc?.pValue).toBeGreaterThan(0.1);
    expect(doc?.verdict).toBe('pass');
    // The same drop with a stricter alpha still passes; with a loose alpha it is called a regression.
    const loose = await cli(['gate', '--run', runs.noise, '--baseline', runs.base, '--alpha', '0.3']);
    expect(loose.code).toBe(1);
  });

  it('passes a drop within the tolerance, and a significant drop when the tolerance is raised', async () => {
    const small = await cli(['gate', '--run', runs.small, '--baseline', runs.base]);
    expect(small.code).toBe(0);
    expect(small.out).toMatch(/chartqa.*-0\.50.*pass: drop 0\.50 within tolerance 1\.00/);
    expect(small.out).toMatch(/docvqa.*\+0\.00.*pass: no drop/);
    const wide = await cli(['gate', '--run', runs.regressed, '--baseline', runs.base, '--tolerance', '15']);
    expect(wide.code).toBe(0);
    const perBench = await cli(['gate', '--run', runs.regressed, '--baseline', runs.base, '--tolerance', 'chartqa=15', '--tolerance', 'docvqa=3']);
    expect(perBench.code).toBe(0);
    const oneBench = await cli(['gate', '--run', runs.regressed, '--baseline', runs.base, '--tolerance', 'chartqa=15']);
    expect(oneBench.code).toBe(1);
    expect(oneBench.err).toMatch(/gate failed: docvqa \(regression\)/);
  });

  it('fails a run with failed samples as incomplete unless --allow-incomplete', async () => {
    const json = jsonPath();
    const r1 = await cli(['gate', '--run', runs.failed, '--baseline', runs.base, '--json', json]);
    expect(r1.code).toBe(1);
    const doc = readReport(json).benches.find((b) => b.bench === 'docvqa');
    expect(doc).toMatchObject({ verdict: 'incomplete', n: 199, incomplete: { failed: 1, missing: 0, judgeFailed: 0, needsJudge: 0 }, excluded: { baseline: {}, current: { failed: 1 } } });
    expect(r1.out).toMatch(/\*\*FAIL\*\* incomplete: no drop; the run is incomplete: 1 failed sample/);
    expect(r1.out).toMatch(/docvqa: left out of the pairing — run: 1 failed; baseline: none/);
    const r2 = await cli(['gate', '--run', runs.failed, '--baseline', runs.base, '--allow-incomplete']);
    expect(r2.code).toBe(0);
  });
});

describe('cogeval gate: bad input exits 2 and says which', () => {
  it('names a benchmark whose sample sets differ, with counts; --allow-subset compares the common ids', async () => {
    const json = jsonPath();
    const r = await cli(['gate', '--run', runs.short, '--baseline', runs.base, '--json', json]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/chartqa: the sample sets differ: 20 id\(s\) only in the baseline \(chartqa-180, chartqa-181, chartqa-182, …\); 180 units in the run, 200 in the baseline/);
    expect(r.err).toMatch(/docvqa: the sample sets differ: 20 id\(s\) only in the baseline/);
    expect(readReport(json)).toMatchObject({ verdict: 'bad-input', exitCode: 2 });
    const subset = await cli(['gate', '--run', runs.short, '--baseline', runs.base, '--allow-subset']);
    expect(subset.code).toBe(0);
    expect(subset.out).toMatch(/chartqa: --allow-subset: 0 id\(s\) only in the run and 20 only in the baseline were not compared/);
  });

  it('names benchmarks present on one side only; --bench gates the common ones', async () => {
    const r = await cli(['gate', '--run', runs.docOnly, '--baseline', runs.base]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/chartqa: in the baseline but not in the current run/);
    const r2 = await cli(['gate', '--run', runs.base, '--baseline', runs.docOnly]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/chartqa: in the current run but not in the baseline/);
    const r3 = await cli(['gate', '--run', runs.docOnly, '--baseline', runs.base, '--bench', 'docvqa']);
    expect(r3.code).toBe(0);
  });

  it('refuses a benchmark scored under another profile', async () => {
    const copy = join(runsDir, 'pix2struct-copy');
    cpSync(runs.base, copy, { recursive: true });
    scoreRun(copy, { profiles: { docvqa: 'pix2struct' } });
    const r = await cli(['gate', '--run', copy, '--baseline', runs.base]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/docvqa: scored under profile pix2struct in the run but lmms-eval in the baseline/);
  });

  it('names a missing run, an unscored run and a missing baseline', async () => {
    const missing = await cli(['gate', '--run', join(runsDir, 'nope'), '--baseline', runs.base]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/run directory .*nope does not exist/);
    const noBase = await cli(['gate', '--run', runs.base, '--baseline', join(runsDir, 'nothing.json')]);
    expect(noBase.code).toBe(2);
    expect(noBase.err).toMatch(/baseline .*nothing\.json does not exist/);
    const unscored = join(runsDir, 'unscored-copy');
    cpSync(runs.base, unscored, { recursive: true });
    writeFileSync(join(unscored, 'samples.jsonl'), readFileSync(join(unscored, 'samples.jsonl'), 'utf8').split('\n').slice(1).join('\n'));
    const stale = await cli(['gate', '--run', unscored, '--baseline', runs.base]);
    expect(stale.code).toBe(2);
    expect(stale.err).toMatch(/samples\.jsonl lists 199 chartqa units but scores\.json counts 200; .*cogeval rescore/);
  });
});

describe('baselines: cogeval baseline save, reported scores', () => {
  it('saves a baseline file that gates exactly like the run it came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-baseline-'));
    const file = join(dir, 'baselines', 'base.json');
    const saved = await cli(['baseline', 'save', runs.base, '--out', file, '--note', 'test baseline']);
    expect(saved.code).toBe(0);
    expect(saved.err).toMatch(/wrote .*base\.json: chartqa 80\.0 \(n 200\), docvqa 90\.0 \(n 200\); with per-unit results/);
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as { format: string; note: string; model: { name: string }; benches: Record<string, { profile: string; judgeMode: string; dataset: { revision: string }; units: unknown[] }> };
    expect(parsed).toMatchObject({ format: 'cogeval-baseline', note: 'test baseline', model: { name: 'chat' } });
    expect(parsed.benches.docvqa).toMatchObject({ profile: 'lmms-eval', judgeMode: 'exact-matching', dataset: { revision: 'synthetic-docvqa-200' } });
    expect(parsed.benches.chartqa.units[0]).toEqual(['chartqa-0', 0, 'scored']);
    expect(text).toContain('\n        ["chartqa-1",1,"scored"],\n'); // one unit per line: diffs stay readable
    expect(text).not.toContain('127.0.0.1'); // no endpoint hosts in a committed file
    const viaFile = jsonPath();
    const viaRun = jsonPath();
    expect((await cli(['gate', '--run', runs.regressed, '--baseline', file, '--json', viaFile])).code).toBe(1);
    await cli(['gate', '--run', runs.regressed, '--baseline', runs.base, '--json', viaRun]);
    expect(readReport(viaFile).benches).toEqual(readReport(viaRun).benches);
  });

  it('keeps the committed example baseline readable, with per-unit results and its EXAMPLE note', () => {
    const file = fileURLToPath(new URL('../../reports/baselines/demo-example.json', import.meta.url));
    const src = readBaselineFile(file);
    expect(Object.keys(src.benches)).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmbench']);
    for (const b of Object.values(src.benches)) expect(b?.units?.length).toBeGreaterThan(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { note: string }).note).toMatch(/^EXAMPLE ONLY/);
  });

  it('gates on scores alone (threshold) with a baseline saved --no-units', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cogeval-baseline-')), 'b.json');
    expect((await cli(['baseline', 'save', runs.base, '--out', file, '--no-units'])).code).toBe(0);
    const json = jsonPath();
    const r = await cli(['gate', '--run', runs.noise, '--baseline', file, '--json', json]);
    expect(r.code).toBe(1); // −2.0 > T: without per-unit results the noise cannot be told apart
    const chart = readReport(json).benches.find((b) => b.bench === 'chartqa');
    expect(chart).toMatchObject({ test: 'threshold', pValue: null, verdict: 'regression' });
    expect(chart?.baseline).toBeCloseTo(80, 10);
    expect(chart?.delta).toBeCloseTo(-2, 10);
    expect(r.out).toMatch(/saved without per-unit results/);
  });

  it('reports a damaged baseline file with the field to fix', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cogeval-baseline-')), 'bad.json');
    await cli(['baseline', 'save', runs.base, '--out', file]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('["docvqa-0",0,"scored"]', '["docvqa-0",2,"scored"]'));
    const r = await cli(['gate', '--run', runs.base, '--baseline', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: benches\.docvqa\.units\[0\]\[1\] \(value\): must be a number in \[0, 1\] or null, got 2/);
  });

  it('compares with the CogVLM2 README row of the run\'s model: threshold, comparable benchmarks only', async () => {
    const json = jsonPath();
    const r = await cli(['gate', '--run', runs.base, '--baseline', 'reported', '--json', json]);
    // chat row: ChartQA 81.0 (run 80.0: −1.0, not more than T); DocVQA is reported on its test split: not gated.
    expect(r.code).toBe(0);
    const rep = readReport(json);
    expect(rep.baseline).toMatchObject({ kind: 'reported', row: 'CogVLM2-LLaMA3' });
    expect(rep.benches.map((b) => [b.bench, b.verdict, b.test])).toEqual([['chartqa', 'pass', 'threshold']]);
    expect(rep.skipped).toHaveLength(1);
    expect(rep.skipped[0].bench).toBe('docvqa');
    expect(r.out).toMatch(/Not compared: docvqa \(not comparable — reported on test .*gate it anyway with --bench docvqa\)/);
    expect(r.out).toMatch(/95% CI of current − baseline/);
    const forced = await cli(['gate', '--run', runs.base, '--baseline', 'reported', '--bench', 'docvqa,chartqa']);
    expect(forced.code).toBe(1); // DocVQA 90.0 vs 92.3
    expect(forced.out).toMatch(/docvqa.*92\.3.*90\.0.*-2\.30.*\*\*FAIL\*\* regression/);
    expect(forced.out).toMatch(/docvqa: compared as asked \(--bench\), but the reported number is not the same quantity/);
    const chinese = await cli(['gate', '--run', runs.base, '--baseline', 'reported', '--row', 'CogVLM2-LLaMA3-Chinese']);
    expect(chinese.code).toBe(0);
    expect(chinese.out).toMatch(/chartqa.*74\.7.*80\.0.*\+5\.30/);
  });

  it('reads a reported-scores file in the configs/reported.json format and names a bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-reported-'));
    const table = JSON.parse(readFileSync(new URL('../../configs/reported.json', import.meta.url), 'utf8')) as { rows: { name: string; scores: Record<string, unknown> }[] };
    const row = table.rows.find((x) => x.name === 'CogVLM2-LLaMA3');
    if (!row) throw new Error('configs/reported.json has no CogVLM2-LLaMA3 row');
    row.scores.chartqa = 85.0;
    const file = join(dir, 'reported.json');
    writeFileSync(file, JSON.stringify(table));
    const r = await cli(['gate', '--run', runs.base, '--baseline', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/chartqa \(lmms-eval\) \| 85\.0 \| 80\.0 \| -5\.00/);
    const noRow = await cli(['gate', '--run', runs.base, '--baseline', file, '--row', 'nobody']);
    expect(noRow.code).toBe(2);
    expect(noRow.err).toMatch(/reported\.json: no row "nobody"; rows: CogVLM1\.1, LLaVA-1\.5, .*CogVLM2-LLaMA3-Chinese/);
    row.scores.chartqa = 'high';
    writeFileSync(file, JSON.stringify(table));
    const bad = await cli(['gate', '--run', runs.base, '--baseline', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/reported\.json: rows\[\d+\]\.scores\.chartqa must be a number or null/);
  });
});

// ---------------------------------------------------------------------------------------------
// gate() on synthetic sources: the statistics' edges without running a model

function source(kind: ScoreSource['kind'], bench: BenchId, units: UnitOutcome[], extra: Partial<ScoreSource> = {}): ScoreSource {
  const scored = units.filter((u) => u.value !== null);
  const f = bench === 'ocrbench' ? 1000 : 100;
  return {
    kind,
    path: kind,
    label: kind,
    benches: {
      [bench]: {
        bench,
        scale: bench === 'ocrbench' ? 'points1000' : 'percent',
        value: (scored.reduce((a, u) => a + (u.value ?? 0), 0) / scored.length) * f,
        profile: bench === 'ocrbench' || bench === 'mmmu' ? 'official' : 'lmms-eval',
        judgeMode: 'exact-matching',
        units,
        failedSamples: units.filter((u) => u.status === 'failed').length,
        missingSamples: 0,
        judgeFailures: 0,
      },
    },
    ...extra,
  };
}

function binaryUnits(n: number, right: (i: number) => boolean): UnitOutcome[] {
  return Array.from({ length: n }, (_, i) => ({ id: `u${i}`, value: right(i) ? 1 : 0, status: 'scored' }));
}

describe('gate() on synthetic sources', () => {
  it('calls a 0.3-point drop on 900 MMMU items noise even with no tolerance at all', () => {
    // 30 lost, 27 gained: −0.33 points.
    const base = binaryUnits(900, (i) => i % 2 === 0);
    const cur = binaryUnits(900, (i) => (i % 2 === 0 ? i >= 60 : i <= 53));
    const r = gate(source('run', 'mmmu', cur), source('run', 'mmmu', base), { tolerance: 0 });
    const b = r.benches[0];
    expect(b.discordant).toEqual({ losses: 30, gains: 27, ties: 843 });
    expect(b.delta).toBeCloseTo((-3 / 900) * 100, 10);
    expect(b.pValue).toBeGreaterThan(0.3);
    expect(r.verdict).toBe('pass');
  });

  it('puts the OCRBench tolerance in points of 1000 (10 × T) and tests its 0/1 items with McNemar', () => {
    const base = binaryUnits(1000, (i) => i < 800);
    const cur = binaryUnits(1000, (i) => i < 791); // −9 points: significant, within 10
    const r = gate(source('run', 'ocrbench', cur), source('run', 'ocrbench', base));
    expect(r.benches[0]).toMatchObject({ test: 'mcnemar-exact', tolerance: 10, verdict: 'pass', baseline: 800, current: 791 });
    expect(r.benches[0].pValue).toBeLessThan(0.01);
    const worse = gate(source('run', 'ocrbench', binaryUnits(1000, (i) => i < 788)), source('run', 'ocrbench', base));
    expect(worse.benches[0].verdict).toBe('regression');
    expect(formatGateMarkdown(worse).join('\n')).toMatch(/\| ocrbench \(official\) \| 800 \| 788 \| -12\.0 \|/);
  });

  it('excludes units without a value pairwise and counts them by side and status', () => {
    const base = binaryUnits(100, () => true);
    base[0] = { id: 'u0', value: null, status: 'judge_failed' };
    const cur = binaryUnits(100, () => true);
    cur[1] = { id: 'u1', value: null, status: 'not_applicable' };
    const r = gate(source('run', 'chartqa', cur), source('run', 'chartqa', base));
    expect(r.benches[0]).toMatchObject({ n: 98, excluded: { baseline: { judge_failed: 1 }, current: { not_applicable: 1 } }, verdict: 'pass' });
  });

  it('fails a judge failure in the current run (incomplete); nothing scored on both sides is not gated unless --bench names it', () => {
    const base = binaryUnits(50, () => true);
    const cur = binaryUnits(50, () => true);
    cur[4] = { id: 'u4', value: null, status: 'judge_failed' };
    const r = gate(source('run', 'mmbench', cur), source('run', 'mmbench', base));
    expect(r.benches[0]).toMatchObject({ verdict: 'incomplete', incomplete: { judgeFailed: 1 } });
    expect(r.exitCode).toBe(1);
    const unjudged = (n: number): UnitOutcome[] => Array.from({ length: n }, (_, i) => ({ id: `u${i}`, value: null, status: 'needs_judge' }));
    // With a benchmark that can be compared beside it, MM-Vet is shown as not gated, with why.
    const both = (units: UnitOutcome[]): ScoreSource => ({ ...source('run', 'mmvet', units), benches: { ...source('run', 'mmvet', units).benches, ...source('run', 'chartqa', binaryUnits(20, () => true)).benches } });
    const partly = gate(both(unjudged(8)), both(unjudged(8)));
    expect(partly.exitCode).toBe(0);
    expect(partly.benches.map((x) => x.bench)).toEqual(['chartqa']);
    expect(partly.skipped).toEqual([{ bench: 'mmvet', why: expect.stringMatching(/^not gated — no unit is scored in both \(excluded in the run: 8 needs_judge; in the baseline: 8 needs_judge\)/) as string }]);
    // Named by --bench, it is bad input (exit 2); alone, there is nothing to compare (exit 2).
    expect(() => gate(both(unjudged(8)), both(unjudged(8)), { benches: ['mmvet', 'chartqa'] })).toThrow(/mmvet: cannot be compared, but --bench names it: no unit is scored in both/);
    expect(() => gate(source('run', 'mmvet', unjudged(8)), source('run', 'mmvet', unjudged(8)))).toThrow(GateInputError);
    expect(() => gate(source('run', 'mmvet', unjudged(8)), source('run', 'mmvet', unjudged(8)))).toThrow(/nothing to compare: mmvet: not gated — no unit is scored in both/);
  });

  it('lists every problem at once', () => {
    const cur: ScoreSource = { ...source('run', 'chartqa', binaryUnits(10, () => true)) };
    const base: ScoreSource = { ...source('run', 'chartqa', binaryUnits(10, () => true)) };
    cur.benches.docvqa = { ...(source('run', 'docvqa', binaryUnits(10, () => true)).benches.docvqa as NonNullable<ScoreSource['benches']['docvqa']>) };
    base.benches.docvqa = { ...(source('run', 'docvqa', binaryUnits(12, () => true)).benches.docvqa as NonNullable<ScoreSource['benches']['docvqa']>) };
    const chartBaseEntry = base.benches.chartqa;
    if (chartBaseEntry) chartBaseEntry.judgeMode = 'llm';
    let caught: unknown;
    try {
      gate(cur, base);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GateInputError);
    expect((caught as GateInputError).problems).toEqual([
      'docvqa: the sample sets differ: 2 id(s) only in the baseline (u10, u11); 10 units in the run, 12 in the baseline — gate runs made with the same dataset, --limit and --shard, or pass --allow-subset to compare the ids present in both',
      'chartqa: judge mode exact-matching in the run but llm in the baseline — rescore with the same --judge-mode',
    ]);
    expect((caught as Error).message).toMatch(/^the gate cannot compare these inputs:\n {2}- docvqa: .*\n {2}- chartqa: /);
  });

  it('tells an unfinished run (samples not yet run) to finish rather than to realign its sample set', () => {
    const cur = source('run', 'chartqa', binaryUnits(8, () => true));
    const entry = cur.benches.chartqa;
    if (entry) entry.missingSamples = 2;
    expect(() => gate(cur, source('run', 'chartqa', binaryUnits(10, () => true)))).toThrow(
      /chartqa: the sample sets differ: 2 id\(s\) only in the baseline \(u8, u9\); .*the run has 2 sample\(s\) not yet run: re-run the same cogeval eval command to finish it/,
    );
  });

  it('refuses a nonsensical alpha or tolerance', () => {
    const s = source('run', 'chartqa', binaryUnits(10, () => true));
    expect(() => gate(s, s, { alpha: 0.7 })).toThrow(/--alpha 0\.7: must be in \(0, 0\.5\)/);
    expect(() => gate(s, s, { tolerance: -1 })).toThrow(/--tolerance -1/);
  });
});
