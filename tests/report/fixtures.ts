// Test fixtures for reports: real runs made by the real runner against the real loopback fake
// server — the bundled demo set (all seven benchmarks), in-memory TextVQA/DocVQA sets with known
// accuracy, and a run whose questions, answers, categories, predictions and run id carry HTML/JS
// injection payloads — then scored by scoreRun, exactly as `cogeval eval` leaves them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBenchDataset } from '../../harness/datasets/catalog.js';
import type { BenchDataset, Sample, SampleOrFailure } from '../../harness/datasets/types.js';
import { isSampleFailure } from '../../harness/datasets/types.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import type { BenchId } from '../../harness/metrics/types.js';
import { buildRequest } from '../../harness/protocols/protocol.js';
import type { DatasetProvenance } from '../../harness/run/config.js';
import { resolveModel } from '../../harness/run/models.js';
import { runEval, type EvalPlan } from '../../harness/run/runner.js';
import { scoreRun } from '../../harness/run/score-run.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { echoQuestion, tinyPng } from '../run/helpers.js';

/** Markup and script that must never run or render as markup in a report. */
export const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '</textarea><img src=x onerror="window.__pwned=2">',
  '"onmouseover="window.__pwned=3" x="',
  '<a href="javascript:window.__pwned=4">click me</a>',
  '<img src=x onerror=window.__pwned=5>',
] as const;

/** A run id (= directory name) with payloads; no '/' so it is a valid directory name. */
export const PAYLOAD_RUN_ID = 'evil-<img src=x onerror=window.__pwned=6>"onmouseover="window.__pwned=7';

export const DEMO_CTX = { env: {} as NodeJS.ProcessEnv, cwd: process.cwd() };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A TextVQA set of `n` items with a real PNG each; the first `correct` have the question as every answer (the fake server echoes it). */
export function textvqaDataset(n: number, correct: number, revision: string): BenchDataset {
  return {
    bench: 'textvqa',
    source: 'hf',
    description: `synthetic textvqa (${n}, ${correct} answerable)`,
    revision,
    count: async () => n,
    async *samples(o = {}) {
      const end = Math.min(n, o.limit ?? n);
      for (let i = o.offset ?? 0; i < end; i++) {
        const question = `what is written on sign ${i}?`;
        const answer = i < correct ? question : `sign ${i} answer`;
        const bytes = tinyPng(i);
        const sample: Sample = {
          id: `t${i}`,
          bench: 'textvqa',
          index: i,
          question,
          images: [{ origin: `row ${i}`, bytes: async () => bytes }],
          prompt: { bench: 'textvqa', question },
          references: { answers: Array.from({ length: 10 }, () => answer) },
          categories: {},
          extra: {},
        };
        yield sample;
      }
    },
  };
}

/** DocVQA items whose questions, answers and question types are injection payloads; item 3 fails to load, item 5 has a corrupt image. */
export function payloadDocvqaDataset(): BenchDataset {
  const n = 10;
  return {
    bench: 'docvqa',
    source: 'hf',
    description: 'synthetic docvqa with payloads',
    revision: 'synthetic-payloads',
    count: async () => n,
    async *samples(o = {}) {
      const end = Math.min(n, o.limit ?? n);
      for (let i = o.offset ?? 0; i < end; i++) {
        if (i === 3) {
          const failure: SampleOrFailure = { failed: true, id: `p${i}`, index: i, bench: 'docvqa', reason: `row ${i} column image: ${PAYLOADS[0]}` };
          yield failure;
          continue;
        }
        const question = `${PAYLOADS[i % PAYLOADS.length]} q${i}`;
        const bytes = i === 5 ? tinyPng(i).slice(0, 40) : tinyPng(100 + i);
        const sample: Sample = {
          id: `p${i}`,
          bench: 'docvqa',
          index: i,
          question,
          images: [{ origin: `row ${i}`, bytes: async () => bytes }],
          prompt: { bench: 'docvqa', question },
          // Even items: the echoed question is the answer (correct); odd items: a payload answer.
          references: { answers: [i % 2 === 0 ? question : PAYLOADS[(i + 1) % PAYLOADS.length]], question_types: [PAYLOADS[4], 'form'] },
          categories: { question_type: [PAYLOADS[4], 'form'] },
          extra: {},
        };
        yield sample;
      }
    },
  };
}

/** Gold answer text of a demo sample, as a model that reads the image would give it. */
function goldOf(s: Sample): string {
  const r = s.references;
  const first = (v: unknown): string => (Array.isArray(v) ? String(v[0]) : String(v));
  switch (s.bench) {
    case 'textvqa':
    case 'docvqa':
      return first(r['answers']);
    default:
      return first(r['answer']);
  }
}

export interface ReportRuns {
  runsDir: string;
  dirs: { demo: string; payload: string; good: string; above: string; poor: string };
  /** Opens the data of these runs by provenance (demo set or the in-memory sets), for thumbnails. */
  openDataset: (bench: BenchId, prov: DatasetProvenance) => Promise<BenchDataset>;
}

async function answerMap(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let k = 0;
  for (const bench of BENCH_IDS) {
    const ds = await openBenchDataset(bench, { data: 'demo' }, DEMO_CTX, { imagePolicy: 'all' });
    for await (const s of ds.samples()) {
      if (isSampleFailure(s)) continue;
      const query = buildRequest('cogvlm2', s.prompt, { variant: resolveModel('chat').variant, decoding: 'greedy' }).query;
      // Two of three right; the others answer with an injection payload.
      map.set(query, k % 3 === 2 ? PAYLOADS[k % PAYLOADS.length] : goldOf(s));
      k++;
    }
  }
  return map;
}

/** Makes five scored runs in a fresh runs directory. */
export async function makeReportRuns(): Promise<ReportRuns> {
  const runsDir = tempDir('cogeval-report-runs-');
  const answers = await answerMap();
  const server: FakeOpenAIServer = await startFakeOpenAIServer({ answer: (key) => answers.get(key) ?? echoQuestion(key) });
  const inMemory = new Map<string, BenchDataset>();
  const good = textvqaDataset(40, 34, 'synthetic-good');
  const above = textvqaDataset(70, 70, 'synthetic-above');
  const poor = textvqaDataset(40, 10, 'synthetic-poor');
  const payload = payloadDocvqaDataset();
  for (const d of [good, above, poor, payload]) inMemory.set(d.revision, d);
  try {
    const run = async (p: Partial<EvalPlan> & Pick<EvalPlan, 'benches' | 'openDataset'>): Promise<string> => {
      const engine = createOpenAIEngine({ endpoints: server.url, model: 'fake-cogvlm2', concurrency: 4, timeoutMs: 5_000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }, { env: {} });
      try {
        const outcome = await runEval({
          runsDir,
          newRun: false,
          model: resolveModel('chat'),
          protocol: 'cogvlm2',
          decoding: 'greedy',
          engine,
          engineServer: 'openai',
          shard: null,
          limit: null,
          log: () => {},
          progress: () => ({ update: () => {}, stop: () => {} }),
          ...p,
        });
        scoreRun(outcome.runDir);
        return outcome.runDir;
      } finally {
        await engine.close();
      }
    };
    const demo = await run({ runId: 'chat-demo', benches: [...BENCH_IDS], openDataset: (b) => openBenchDataset(b, { data: 'demo' }, DEMO_CTX, { imagePolicy: 'all' }) });
    const payloadDir = await run({ runId: PAYLOAD_RUN_ID, model: resolveModel('chat-int4'), benches: ['docvqa'], openDataset: async () => payload });
    const goodDir = await run({ runId: 'chat-textvqa-good', benches: ['textvqa'], openDataset: async () => good });
    const aboveDir = await run({ runId: 'chat-textvqa-above', benches: ['textvqa'], openDataset: async () => above });
    const poorDir = await run({ runId: 'chinese-textvqa-poor', model: resolveModel('chinese-chat'), benches: ['textvqa'], openDataset: async () => poor });
    return {
      runsDir,
      dirs: { demo, payload: payloadDir, good: goodDir, above: aboveDir, poor: poorDir },
      openDataset: async (bench, prov) => {
        const mem = inMemory.get(prov.revision);
        if (mem) return mem;
        if (prov.source === 'demo') return openBenchDataset(bench, { data: 'demo' }, DEMO_CTX);
        throw new Error(`no data for ${bench} at ${prov.revision}`);
      },
    };
  } finally {
    await server.stop();
  }
}
