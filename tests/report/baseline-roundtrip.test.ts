// Baselines and the gate agree: a baseline saved from every kind of run the README shows (the
// embedded default on the in-process tiny model; against a server on the demo set: all seven
// benchmarks with and without a judge, a limited run under another protocol, a shard and a merged
// run, a run whose DocVQA samples all failed) is accepted by the gate, and
// gating the run against it passes; benchmarks without a score are recorded as not gateable,
// shown as "not gated", incomplete when the run has nothing of them, bad input only when named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { openBenchDataset } from '../../harness/datasets/catalog.js';
import { isSampleFailure, type Sample } from '../../harness/datasets/types.js';
import { type BenchId } from '../../harness/metrics/types.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { buildRequest } from '../../harness/protocols/protocol.js';
import { readBaselineFile, type BaselineFile } from '../../harness/report/baseline.js';
import type { GateReport } from '../../harness/report/gate.js';
import { resolveModel } from '../../harness/run/models.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

const CTX = { env: {} as NodeJS.ProcessEnv, cwd: process.cwd() };

function goldOf(s: Sample): string {
  const first = (v: unknown): string => (Array.isArray(v) ? String(v[0]) : String(v));
  return s.bench === 'textvqa' || s.bench === 'docvqa' ? first(s.references['answers']) : first(s.references['answer']);
}

/** Prompt → [benchmark, answer] for the demo set under the protocols used here; every third answer is wrong. */
async function promptTable(): Promise<Map<string, [BenchId, string]>> {
  const map = new Map<string, [BenchId, string]>();
  let k = 0;
  for (const bench of BENCH_IDS) {
    const ds = await openBenchDataset(bench, { data: 'demo' }, CTX, { imagePolicy: 'all' });
    for await (const s of ds.samples()) {
      if (isSampleFailure(s)) continue;
      const answer = k++ % 3 === 2 ? 'I cannot tell' : goldOf(s);
      for (const protocol of ['cogvlm2', 'lmms-eval'] as const) {
        map.set(buildRequest(protocol, s.prompt, { variant: resolveModel('chat').variant, decoding: 'greedy' }).query, [bench, answer]);
      }
    }
  }
  return map;
}

let model: FakeOpenAIServer;
let judge: FakeOpenAIServer;
let root: string;
let runsDir: string;
/** Benchmarks whose requests the model server refuses (HTTP 400, never retried). */
let refuse = new Set<BenchId>();
const runs: Record<string, string> = {};
const baselines: Record<string, string> = {};

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function evalRun(runId: string, extra: string[]): Promise<string> {
  const r = await cli(['eval', '--data', 'demo', '--endpoint', model.url, '--served-model', 'fake-cogvlm2', '--concurrency', '4', '--timeout', '20', '--retries', '1', '--runs-dir', runsDir, '--run-id', runId, ...extra]);
  expect(r.code, r.err).toBe(0);
  return join(runsDir, runId);
}

beforeAll(async () => {
  const table = await promptTable();
  model = await startFakeOpenAIServer({
    answer: (key) => table.get(key)?.[1] ?? 'no idea',
    schedule: (ctx) => (refuse.has(table.get(ctx.key)?.[0] as BenchId) ? 'http400' : undefined),
  });
  judge = await startFakeOpenAIServer({
    models: ['gpt-4-0613'],
    answer: (key) => ['0.0', '0.5', '1.0'][createHash('sha256').update(key).digest()[0] % 3],
  });
  root = mkdtempSync(join(tmpdir(), 'cogeval-roundtrip-'));
  runsDir = join(root, 'runs');
  const judged = ['--judge-endpoint', judge.url, '--judge-concurrency', '4'];
  // The kinds of run the README shows, on the bundled demo set.
  runs.demoAll = await evalRun('demo-all', ['--bench', 'all']);
  runs.judged = await evalRun('judged-all', ['--bench', 'all', ...judged]);
  runs.limited = await evalRun('limited', ['--bench', 'textvqa,chartqa', '--protocol', 'lmms-eval', '--limit', '3']);
  runs.mmvetJudged = await evalRun('mmvet-judged', ['--bench', 'mmvet', ...judged]);
  runs.shard1 = await evalRun('shard1of2', ['--bench', 'all', '--shard', '1/2']);
  runs.shard2 = await evalRun('shard2of2', ['--bench', 'all', '--shard', '2/2']);
  const merged = await cli(['merge', runs.shard1, runs.shard2, '--out', join(runsDir, 'merged')]);
  expect(merged.code, merged.err).toBe(0);
  runs.merged = join(runsDir, 'merged');
  refuse = new Set(['docvqa']);
  runs.docFailed = await evalRun('docvqa-failed', ['--bench', 'docvqa,chartqa']);
  runs.mmvetOnly = await evalRun('mmvet-unjudged', ['--bench', 'mmvet']);
  refuse = new Set();
  // The embedded default (no engine arguments: the tiny random-weight model in-process), kept
  // small. It writes a report beside the working directory: run it from a temporary one.
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const r = await cli(['eval', '--bench', 'docvqa,mmvet', '--limit', '1', '--runs-dir', runsDir, '--run-id', 'embedded']);
    expect(r.code, r.err).toBe(0);
  } finally {
    process.chdir(cwd);
  }
  runs.embedded = join(runsDir, 'embedded');
  for (const [name, dir] of Object.entries(runs)) {
    if (name === 'mmvetOnly') continue;
    const file = join(root, 'baselines', `${name}.json`);
    const saved = await cli(['baseline', 'save', dir, '--out', file]);
    expect(saved.code, `${name}: ${saved.err}`).toBe(0);
    baselines[name] = file;
  }
}, 420_000);

afterAll(async () => {
  await model?.stop();
  await judge?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function baselineJson(name: string): BaselineFile {
  return JSON.parse(readFileSync(baselines[name], 'utf8')) as BaselineFile;
}

function gateJson(): string {
  return join(mkdtempSync(join(tmpdir(), 'cogeval-roundtrip-gate-')), 'gate.json');
}

describe('baseline save → gate round trips', () => {
  it('writes only values the gate accepts, and gating each run against its own baseline passes', async () => {
    for (const name of Object.keys(baselines)) {
      const text = readFileSync(baselines[name], 'utf8');
      expect(text, name).not.toMatch(/"value": null/);
      // The gate's own reader accepts every benchmark written.
      const src = readBaselineFile(baselines[name]);
      for (const b of Object.values(src.benches)) if (b?.noScore === undefined) expect(Number.isFinite(b?.value), `${name} ${b?.bench}`).toBe(true);
      for (const baseline of [baselines[name], runs[name]]) {
        const r = await cli(['gate', '--run', runs[name], '--baseline', baseline]);
        expect(r.code, `${name} against ${baseline}: ${r.out}\n${r.err}`).toBe(0);
        expect(r.out).toMatch(/^## cogeval gate: PASS/);
      }
    }
  });

  it('records MM-Vet without a judge as not gateable, with why, and shows it as not gated', async () => {
    expect(baselineJson('embedded').notGateable).toEqual({ mmvet: 'no mmvet item was judged (1 needs_judge): evaluate with --judge-endpoint to grade them' });
    expect(Object.keys(baselineJson('embedded').benches)).toEqual(['docvqa']);
    const file = baselineJson('demoAll');
    expect(Object.keys(file.benches).sort()).toEqual(BENCH_IDS.filter((b) => b !== 'mmvet').sort());
    expect(file.notGateable?.mmvet).toMatch(/no mmvet item was judged \(8 needs_judge\): evaluate with --judge-endpoint/);
    const saved = await cli(['baseline', 'save', runs.demoAll, '--out', join(root, 'again.json')]);
    expect(saved.err).toMatch(/mmvet: not gateable, recorded without a score: no mmvet item was judged/);
    const json = gateJson();
    const r = await cli(['gate', '--run', runs.demoAll, '--baseline', baselines.demoAll, '--json', json]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Not compared: mmvet \(not gated — neither side has a score: no mmvet item was judged \(8 needs_judge\): evaluate with --judge-endpoint to grade them\)\./);
    const report = JSON.parse(readFileSync(json, 'utf8')) as GateReport;
    expect(report.benches.map((b) => b.bench)).toEqual(BENCH_IDS.filter((b) => b !== 'mmvet'));
    // Named by --bench, a benchmark that cannot be compared is bad input.
    const named = await cli(['gate', '--run', runs.demoAll, '--baseline', baselines.demoAll, '--bench', 'mmvet']);
    expect(named.code).toBe(2);
    expect(named.err).toMatch(/mmvet: cannot be compared, but --bench names it: neither side has a score: no mmvet item was judged/);
    // A judged baseline: the same run's MM-Vet, never judged, is incomplete (exit 1), not bad input.
    const vsJudged = await cli(['gate', '--run', runs.demoAll, '--baseline', baselines.judged, '--bench', 'mmvet']);
    expect(vsJudged.code, vsJudged.err).toBe(1);
    expect(vsJudged.out).toMatch(/mmvet.*\*\*FAIL\*\* incomplete: nothing of it is scored in the run/);
    // A run with no gateable benchmark at all is refused with why, and nothing is written.
    const none = await cli(['baseline', 'save', runs.mmvetOnly, '--out', join(root, 'none.json')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/has no benchmark with a score to save as a baseline \(mmvet: no mmvet item was judged/);
  });

  it('applies --bench before validating a baseline (an older file with mmvet: null)', async () => {
    const old = JSON.parse(readFileSync(baselines.judged, 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    old.benches.mmvet.value = null;
    const file = join(root, 'old-style.json');
    writeFileSync(file, JSON.stringify(old));
    const docOnly = await cli(['gate', '--run', runs.judged, '--baseline', file, '--bench', 'docvqa']);
    expect(docOnly.code, docOnly.err).toBe(0);
    expect(docOnly.out).toMatch(/\| docvqa \(lmms-eval\) \|/);
    expect(docOnly.out).not.toMatch(/mmvet/);
    const all = await cli(['gate', '--run', runs.judged, '--baseline', file]);
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(/Not compared: mmvet \(not gated — the baseline has no mmvet score \(value null\)\)/);
    // A value that is neither a number nor null is still refused, naming the field.
    old.benches.mmvet.value = 'high';
    writeFileSync(file, JSON.stringify(old));
    const bad = await cli(['gate', '--run', runs.judged, '--baseline', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/benches\.mmvet\.value: must be a number/);
    expect((await cli(['gate', '--run', runs.judged, '--baseline', file, '--bench', 'chartqa'])).code).toBe(0);
  });

  it('calls a benchmark whose samples all failed incomplete (exit 1), not missing from the run', async () => {
    const json = gateJson();
    const r = await cli(['gate', '--run', runs.docFailed, '--baseline', baselines.demoAll, '--bench', 'docvqa,chartqa', '--json', json]);
    expect(r.code, r.err).toBe(1);
    expect(r.err).not.toMatch(/not in the current run/);
    const doc = (JSON.parse(readFileSync(json, 'utf8')) as GateReport).benches.find((b) => b.bench === 'docvqa');
    expect(doc).toMatchObject({ verdict: 'incomplete', test: 'none', n: 0, incomplete: { failed: 8, missing: 0 } });
    expect(doc?.reason).toMatch(/no docvqa sample was predicted \(8 failed\)/);
    expect(r.out).toMatch(/docvqa .*\*\*FAIL\*\* incomplete/);
    // --allow-incomplete allows partial scores, not a benchmark with nothing to compare.
    const allowed = await cli(['gate', '--run', runs.docFailed, '--baseline', baselines.demoAll, '--bench', 'docvqa,chartqa', '--allow-incomplete']);
    expect(allowed.code).toBe(1);
    // Its own baseline records DocVQA as not gateable, with the failures as why.
    expect(baselineJson('docFailed').notGateable?.docvqa).toBe('no docvqa sample was predicted (8 failed)');
  });

  it('gates a shard against the merged run only on the shard\'s units, and the merged run against the unsharded one', async () => {
    const merged = await cli(['gate', '--run', runs.merged, '--baseline', baselines.demoAll]);
    expect(merged.code, merged.err).toBe(0);
    const shard = await cli(['gate', '--run', runs.shard1, '--baseline', baselines.merged]);
    expect(shard.code).toBe(2);
    expect(shard.err).toMatch(/the sample sets differ/);
    const subset = await cli(['gate', '--run', runs.shard1, '--baseline', baselines.merged, '--allow-subset']);
    expect(subset.code, subset.err).toBe(0);
  });
});
