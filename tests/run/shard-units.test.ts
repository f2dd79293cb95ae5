// Shards respect scoring units: `cogeval eval --shard i/n` over the bundled demo set (every
// benchmark, MMBench with circular groups) against a real loopback model server and judge, then
// `cogeval merge`; the merged run equals the unsharded run line for line, and so do its scores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { openBenchDataset } from '../../harness/datasets/catalog.js';
import { isSampleFailure, type Sample } from '../../harness/datasets/types.js';
import { CIRCULAR_STRIDE } from '../../harness/benchmarks/mmbench/scorer.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { buildRequest } from '../../harness/protocols/protocol.js';
import { resolveModel } from '../../harness/run/models.js';
import { inShard, shardUnit } from '../../harness/run/shard.js';
import { readJsonlRepairing } from '../../harness/run/store.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { type RunScores, runPath, type PredictionLine } from '../../harness/run/run-format.js';

const CTX = { env: {} as NodeJS.ProcessEnv, cwd: process.cwd() };

function goldOf(s: Sample): string {
  const first = (v: unknown): string => (Array.isArray(v) ? String(v[0]) : String(v));
  if (s.bench === 'vcr_easy' || s.bench === 'vcr_hard') return (s.references['crossed_text'] as string[]).join(' ');
  return s.bench === 'textvqa' || s.bench === 'docvqa' ? first(s.references['answers']) : first(s.references['answer']);
}

/** Two of three demo prompts answered with the gold answer, the others wrongly: mixed scores everywhere, mixed MMBench groups. */
async function answerMap(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let k = 0;
  for (const bench of BENCH_IDS) {
    const ds = await openBenchDataset(bench, { data: 'demo' }, CTX, { imagePolicy: 'all' });
    for await (const s of ds.samples()) {
      if (isSampleFailure(s)) continue;
      const query = buildRequest('cogvlm2', s.prompt, { variant: resolveModel('chat').variant, decoding: 'greedy' }).query;
      map.set(query, k % 3 === 2 ? 'I cannot tell' : goldOf(s));
      k++;
    }
  }
  return map;
}

/** A judge whose verdict depends only on its prompt (so every shard gets the unsharded run's verdicts). */
function judgeAnswer(key: string): string {
  const h = createHash('sha256').update(key).digest()[0];
  if (key.includes('Options:') || key.includes('options')) return 'A';
  return ['0.0', '0.5', '1.0'][h % 3];
}

let model: FakeOpenAIServer;
let judge: FakeOpenAIServer;
let root: string;
beforeAll(async () => {
  const answers = await answerMap();
  model = await startFakeOpenAIServer({ answer: (key) => answers.get(key) ?? 'no idea' });
  judge = await startFakeOpenAIServer({ models: ['gpt-4-0613'], answer: judgeAnswer });
  root = mkdtempSync(join(tmpdir(), 'cogeval-shards-'));
}, 60_000);
afterAll(async () => {
  await model?.stop();
  await judge?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}

async function evalRun(runsDir: string, runId: string, shard?: string): Promise<string> {
  const argv = ['eval', '--bench', 'all', '--data', 'demo', '--endpoint', model.url, '--served-model', 'fake-cogvlm2', '--concurrency', '4', '--timeout', '20', '--retries', '1'];
  argv.push('--judge-endpoint', judge.url, '--judge-concurrency', '4', '--runs-dir', runsDir, '--run-id', runId);
  if (shard !== undefined) argv.push('--shard', shard);
  const r = await cli(argv);
  expect(r.code, r.err).toBe(0);
  return join(runsDir, runId);
}

/** predictions.jsonl without what differs between two sessions (timings, endpoint, write time), sorted. */
function stablePredictions(runDir: string): Omit<PredictionLine, 'at' | 'ttftMs' | 'latencyMs' | 'totalMs' | 'endpoint' | 'attempts'>[] {
  const rows = readJsonlRepairing<PredictionLine>(runPath(runDir, 'predictions'), false).rows;
  return rows
    .map(({ at: _at, ttftMs: _t, latencyMs: _l, totalMs: _tt, endpoint: _e, attempts: _a, ...rest }) => rest)
    .sort((a, b) => (a.bench === b.bench ? a.index - b.index : a.bench < b.bench ? -1 : 1));
}

function samplesOf(runDir: string): Record<string, unknown>[] {
  return readFileSync(runPath(runDir, 'samples'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .sort((a, b) => `${String(a.bench)}\u0000${String(a.id)}`.localeCompare(`${String(b.bench)}\u0000${String(b.id)}`));
}

function scoresOf(runDir: string): RunScores['benches'] {
  return (JSON.parse(readFileSync(runPath(runDir, 'scores'), 'utf8')) as RunScores).benches;
}

describe('shardUnit', () => {
  it('puts every rotation of an MMBench question in the same shard, other samples by position', () => {
    const shard = { index: 2, count: 3 };
    for (const k of [0, 1, 2, 3]) expect(shardUnit('mmbench', { id: String(17 + k * CIRCULAR_STRIDE), index: 40 + k })).toBe(17);
    const rotations = [0, 1, 2, 3].map((k) => inShard('mmbench', { id: String(17 + k * CIRCULAR_STRIDE), index: 5 + k }, shard));
    expect(new Set(rotations).size).toBe(1);
    expect(shardUnit('docvqa', { id: '1000017', index: 4 })).toBe(4);
    expect(shardUnit('mmbench', { id: 'row-9', index: 9 })).toBe(9);
  });
});

describe('cogeval eval --shard + merge on every benchmark', () => {
  it('merges n shards into exactly the unsharded run, and every shard scores whole units', async () => {
    const runsDir = join(root, 'runs');
    const whole = await evalRun(runsDir, 'whole');
    const wholePreds = stablePredictions(whole);
    const wholeScores = scoresOf(whole);
    expect(Object.keys(wholeScores).sort()).toEqual([...BENCH_IDS].sort());
    expect(new Set(wholePreds.map((l) => l.bench)).size).toBe(BENCH_IDS.length);
    expect(wholePreds.filter((l) => l.error)).toEqual([]);
    // Unit values of the unsharded run, to compare each shard's units with.
    const wholeUnits = new Map(samplesOf(whole).map((s) => [`${String(s.bench)}/${String(s.id)}`, s.value]));
    // The rows of each MMBench group in the unsharded run.
    const groupRows = new Map<number, string[]>();
    for (const l of wholePreds.filter((p) => p.bench === 'mmbench')) {
      const g = Number(l.id) % CIRCULAR_STRIDE;
      groupRows.set(g, [...(groupRows.get(g) ?? []), l.id].sort());
    }
    expect([...groupRows.values()].some((rows) => rows.length > 1)).toBe(true);

    for (const n of [2, 3]) {
      const shardDirs: string[] = [];
      for (let i = 1; i <= n; i++) {
        const dir = await evalRun(runsDir, `shard${i}of${n}`, `${i}/${n}`);
        shardDirs.push(dir);
        const preds = stablePredictions(dir);
        // Whole circular groups: a group present in a shard has all its rotations there.
        const mine = new Map<number, string[]>();
        for (const l of preds.filter((p) => p.bench === 'mmbench')) {
          const g = Number(l.id) % CIRCULAR_STRIDE;
          mine.set(g, [...(mine.get(g) ?? []), l.id].sort());
        }
        for (const [g, rows] of mine) expect(rows, `shard ${i}/${n} group ${g}`).toEqual(groupRows.get(g));
        // A shard's units are scored exactly as in the unsharded run: real scores.
        for (const s of samplesOf(dir)) expect(s.value, `shard ${i}/${n} ${String(s.bench)}/${String(s.id)}`).toEqual(wholeUnits.get(`${String(s.bench)}/${String(s.id)}`));
        // The shard's selection is what it ran: nothing reported missing.
        for (const b of Object.values(scoresOf(dir))) expect(b?.samples.missing).toBe(0);
      }
      const merged = join(root, `merged-${n}`);
      const r = await cli(['merge', ...shardDirs, '--out', merged]);
      expect(r.code, r.err).toBe(0);
      expect(stablePredictions(merged)).toEqual(wholePreds);
      const rescored = await cli(['rescore', merged, '--judge-mode', 'llm']);
      expect(rescored.code, rescored.err).toBe(0);
      const mergedScores = scoresOf(merged);
      for (const bench of BENCH_IDS) {
        const a = wholeScores[bench];
        const b = mergedScores[bench];
        expect(b?.primary.value, `${bench} (${n} shards)`).toEqual(a?.primary.value);
        expect(b?.primary.ci, `${bench} (${n} shards)`).toEqual(a?.primary.ci);
        expect(b?.primary.n).toBe(a?.primary.n);
        expect(b?.samples).toEqual(a?.samples);
        expect(b?.profiles.map((p) => p.value)).toEqual(a?.profiles.map((p) => p.value));
      }
      expect(samplesOf(merged)).toEqual(samplesOf(whole));
    }
  }, 240_000);
});
