// Benchmark of batched decoding in the onnx engine on the tiny demo model (CPU provider) with
// --concurrency 1 (one request at a time) and 4 (four sequences per decoder run): generated tokens
// per second of wall time for text prompts, and decode ms/step for image prompts (a 2,306-slot KV
// cache per row; their wall time is mostly the per-request prefill), medians of interleaved runs.
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoModelDir } from '../harness/engine/onnx/demo-model.js';
import { OnnxModel, type GenerateInput, type GenerateResult } from '../harness/engine/onnx/model.js';
import type { BenchResult } from './result.js';

const RUNS = 5;
const TEXT_REQUESTS = 8;
const TEXT_TOKENS = 128;
const IMAGE_REQUESTS = 4;
const IMAGE_TOKENS = 128;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Wave {
  /** Generated tokens per second of wall time, first submit to last answer. */
  tokensPerSecond: number;
  /** Process CPU time (main thread and the inference worker) per generated token. */
  cpuUsPerToken: number;
  results: GenerateResult[];
}

/** All requests submitted at once. */
async function wave(model: OnnxModel, inputs: GenerateInput[]): Promise<Wave> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const results = await Promise.all(inputs.map((input) => model.generate(input)));
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const tokens = results.reduce((n, r) => n + r.outputTokens, 0);
  return { tokensPerSecond: (tokens * 1000) / ms, cpuUsPerToken: (used.user + used.system) / tokens, results };
}

/** Median ms per decode step over the requests (a batched step's wall time counts once for each of its rows). */
function msPerStep(results: GenerateResult[]): number {
  return median(results.map((r) => r.timings.decodeMs / r.timings.decodeSteps));
}

export async function run(dir: string = demoModelDir()): Promise<BenchResult[]> {
  const text = Array.from({ length: TEXT_REQUESTS }, (_, i): GenerateInput => ({ query: `Tell me a long story, number ${i}.`, maxNewTokens: TEXT_TOKENS }));
  const image = (): GenerateInput[] =>
    Array.from({ length: IMAGE_REQUESTS }, (_, i): GenerateInput => {
      const name = ['sign_1344.png', 'circles_1344.png', 'palette_700x260.png', 'gray_2000x1500.png'][i % 4];
      return { query: 'Describe the image.', image: { bytes: new Uint8Array(readFileSync(join(dir, 'images', name))), origin: name }, maxNewTokens: IMAGE_TOKENS };
    });
  type Measured = { text: number[]; textCpu: number[]; image: number[]; imageStep: number[]; tokens: number[][] };
  const measured: Record<1 | 4, Measured> = {
    1: { text: [], textCpu: [], image: [], imageStep: [], tokens: [] },
    4: { text: [], textCpu: [], image: [], imageStep: [], tokens: [] },
  };
  // One intra-op thread, so that CPU time is work (not the thread pool spinning); both models
  // loaded at once and their runs interleaved, so a shared machine's load hits both alike.
  const models = { 1: await OnnxModel.load({ modelDir: dir, maxBatch: 1, threads: 1 }), 4: await OnnxModel.load({ modelDir: dir, maxBatch: 4, threads: 1 }) };
  try {
    for (const batch of [1, 4] as const) {
      // Warm-up (JIT, ORT arenas) and the image embeddings cached, so image runs time prefill + decode.
      await wave(models[batch], image().map((i) => ({ ...i, maxNewTokens: 4 })));
      await wave(models[batch], text.slice(0, 4));
    }
    for (let r = 0; r < RUNS; r++) {
      for (const batch of [1, 4] as const) {
        const t = await wave(models[batch], text);
        measured[batch].text.push(t.tokensPerSecond);
        measured[batch].textCpu.push(t.cpuUsPerToken);
        measured[batch].tokens = t.results.map((x) => x.tokens);
        const v = await wave(models[batch], image());
        measured[batch].image.push(v.tokensPerSecond);
        measured[batch].imageStep.push(msPerStep(v.results));
      }
    }
  } finally {
    await Promise.all([models[1].close(), models[4].close()]);
  }
  const same = measured[1].tokens.every((t, i) => JSON.stringify(t) === JSON.stringify(measured[4].tokens[i]));
  const t1 = median(measured[1].text);
  const t4 = median(measured[4].text);
  const c1 = median(measured[1].textCpu);
  const c4 = median(measured[4].textCpu);
  const i1 = median(measured[1].image);
  const i4 = median(measured[4].image);
  const load = `1-minute load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores at the end`;
  const s1 = median(measured[1].imageStep);
  const s4 = median(measured[4].imageStep);
  return [
    {
      name: 'text prompts, --concurrency 1',
      metric: `generated tokens per second of wall time, ${TEXT_REQUESTS} requests × ${TEXT_TOKENS} new tokens submitted at once, decoded one at a time, 1 intra-op thread; median of ${RUNS} runs`,
      value: Math.round(t1),
      unit: 'tokens/s',
      note: `runs ${measured[1].text.map(Math.round).join('/')}; process CPU ${c1.toFixed(0)} µs per token`,
    },
    {
      name: 'text prompts, --concurrency 4 (batched)',
      metric: `same requests, up to 4 sequences per decoder run, runs interleaved with concurrency 1's; median of ${RUNS} runs`,
      value: Math.round(t4),
      unit: 'tokens/s',
      note: `runs ${measured[4].text.map(Math.round).join('/')}; **${(t4 / t1).toFixed(2)}×** concurrency 1; process CPU ${c4.toFixed(0)} µs per token (${(c1 / c4).toFixed(2)}× less); greedy tokens ${same ? 'identical to' : '**different from**'} concurrency 1's`,
    },
    {
      name: 'image prompts, decode step at batch 1',
      metric: `median ms per decode step, ${IMAGE_REQUESTS} image requests (2,306-slot KV cache each) × ${IMAGE_TOKENS} new tokens with --concurrency 1; median of ${RUNS} runs`,
      value: Number(s1.toFixed(3)),
      unit: 'ms',
      note: `runs ${measured[1].imageStep.map((x) => x.toFixed(2)).join('/')}; ${(1000 / s1).toFixed(0)} decode tokens/s; wall ${Math.round(i1)} tokens/s with each request's ~2,320-position prefill`,
    },
    {
      name: 'image prompts, decode step at batch 4',
      metric: `same requests with --concurrency 4: one decoder run steps all four; median of ${RUNS} runs`,
      value: Number(s4.toFixed(3)),
      unit: 'ms',
      note: `runs ${measured[4].imageStep.map((x) => x.toFixed(2)).join('/')}; ${((4 * 1000) / s4).toFixed(0)} decode tokens/s, **${((4 * s1) / s4).toFixed(2)}×** batch 1's; wall ${Math.round(i4)} tokens/s (${(i4 / i1).toFixed(2)}× concurrency 1, the prefills dominate); ${load}`,
    },
  ];
}
