// Batched decoding of the onnx engine on the tiny reference model (tests/fixtures/tiny-model):
// the batch loop over the real sessions gives every request the tokens it gets alone, with step
// logits within a measured bound, while rows join and leave mid-flight (continuous batching);
// the left-padded KV packing; the gpu-buffer KV path's tensor lifecycle on the CPU provider; and
// `--concurrency N` batching through the worker and the engine.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionMask, defaultKvLocation, packRows, type KvBatch } from '../../harness/engine/onnx/batch-kv.js';
import { BatchLoop } from '../../harness/engine/onnx/batch-loop.js';
import { createOnnxEngine } from '../../harness/engine/onnx/engine.js';
import { GreedyRunner, type RunResult } from '../../harness/engine/onnx/greedy-runner.js';
import { buildPromptLayout } from '../../harness/engine/onnx/layout.js';
import { readModelDir } from '../../harness/engine/onnx/model-dir.js';
import { OnnxModel } from '../../harness/engine/onnx/model.js';
import { preprocessForCogvlm2 } from '../../harness/engine/onnx/preprocess.js';
import type { GenerateMessage, WorkerModelInfo } from '../../harness/engine/onnx/worker-messages.js';
import type { EngineRequest } from '../../harness/engine/types.js';
import { collect, memoryImage } from './engine-helpers.js';
import type { GoldenPair, Goldens } from '../support/tiny-goldens.js';

const TINY = resolve('tests/fixtures/tiny-model');
const goldens = JSON.parse(readFileSync(join(TINY, 'goldens.json'), 'utf8')) as Goldens;
const info = readModelDir(TINY);
const workerInfo: WorkerModelInfo = {
  dir: info.dir,
  graphs: info.graphs,
  numLayers: info.numLayers,
  numKvHeads: info.numKvHeads,
  headDim: info.headDim,
  hiddenSize: info.hiddenSize,
  vocabSize: info.vocabSize,
  imageTokens: info.imageTokens,
  imageSize: info.imageSize,
  maxPositionEmbeddings: info.maxPositionEmbeddings,
};

/**
 * Largest |batched − alone| of a decode step's logits. Measured on this machine (2-core AMD EPYC,
 * onnxruntime-node 1.30 CPU provider, 1 and 2 threads alike) over the 7 golden pairs, 103 decode
 * steps at batch ≤ 4 with rows joining and leaving: 1.59e-5, at logits up to |16| — about 8
 * float32 ulps there. The rows differ only in summation order: a batched MatMul blocks its rows
 * differently, and a padded row's attention sums over extra columns whose weights are exactly 0
 * (masked to finfo.min before the softmax). 1e-4 is 6× that bound (room for other CPUs' SIMD
 * blocking), the same bound the engine already needs against PyTorch (onnx-engine.test.ts), and
 * 140× below the smallest top-1/top-2 margin of the goldens (0.014); the token checks below would
 * still catch a flip.
 */
const STEP_LOGITS_TOLERANCE = 1e-4;

function imageOf(pair: GoldenPair): { bytes: Uint8Array; origin: string } | null {
  return pair.image === null ? null : { bytes: new Uint8Array(readFileSync(join(TINY, pair.image))), origin: pair.image };
}

function message(pair: GoldenPair, id: number, maxNewTokens: number, captureFirstLogits = true): GenerateMessage {
  const layout = buildPromptLayout(pair.text_ids, { image: pair.image !== null, imageTokens: info.imageTokens, bosTokenId: info.bosTokenId, imageTokenId: info.imageTokenId });
  return {
    type: 'generate',
    id,
    inputIds: layout.inputIds,
    positionIds: layout.positionIds,
    visionExpertMask: layout.visionExpertMask,
    imageOffset: layout.imageOffset,
    image: imageOf(pair),
    maxNewTokens,
    stopTokenIds: info.stopTokenIds,
    captureFirstLogits,
  };
}

/** Different lengths, so rows leave the batch at different steps and queued ones join mid-flight. */
const NEW_TOKENS = [12, 20, 9, 16, 24, 11, 18];

function messages(captureFirstLogits = true): GenerateMessage[] {
  return goldens.pairs.map((pair, i) => message(pair, i + 1, NEW_TOKENS[i % NEW_TOKENS.length], captureFirstLogits));
}

async function decode(
  runner: GreedyRunner,
  maxBatch: number,
  msgs: GenerateMessage[],
  onStepLogits?: (id: number, step: number, logits: Float32Array) => void,
  cancelAfter: Map<number, number> = new Map(),
): Promise<RunResult[]> {
  const loop = new BatchLoop(runner, { maxBatch, maxPositions: info.maxPositionEmbeddings, onStepLogits });
  return await Promise.all(
    msgs.map((m) => {
      let seen = 0;
      return loop.submit(m, { onToken: () => seen++, cancelled: () => seen >= (cancelAfter.get(m.id) ?? Infinity) });
    }),
  );
}

let host: GreedyRunner;
let device: GreedyRunner;
/** Unbatched reference: tokens and every step's logits per request id. */
let alone: RunResult[];
const aloneLogits = new Map<number, Float32Array[]>();

beforeAll(async () => {
  host = await GreedyRunner.load(workerInfo, 'cpu', 1, preprocessForCogvlm2, 'host');
  device = await GreedyRunner.load(workerInfo, 'cpu', 1, preprocessForCogvlm2, 'gpu-buffer');
  alone = await decode(host, 1, messages(), (id, step, logits) => {
    const list = aloneLogits.get(id) ?? [];
    list[step] = logits;
    aloneLogits.set(id, list);
  });
}, 180_000);

afterAll(async () => {
  await host?.release();
  await device?.release();
});

describe('the batch loop over the real sessions', () => {
  it('unbatched, it reproduces the goldens (the reference the batched runs are compared with)', () => {
    goldens.pairs.forEach((pair, i) => {
      expect(alone[i].tokens.slice(0, goldens.greedy_steps), pair.name).toEqual(pair.greedy_tokens);
      expect(alone[i].tokens.length).toBe(NEW_TOKENS[i]);
      expect(alone[i].timings.maxBatch).toBe(1);
    });
  });

  // The batch mixes image prompts (~2,320 cached columns whose position ids end at 13–22: the
  // 2,304 patches share one) with a 12-token text prompt, so a row fed a position derived from the
  // padded cache length, or a padding column left unmasked, changes tokens here.
  it('at batch 4, every request gets the tokens it gets alone; step logits within the measured bound', async () => {
    let maxDiff = 0;
    let compared = 0;
    const batched = await decode(host, 4, messages(), (id, step, logits) => {
      const ref = aloneLogits.get(id)?.[step];
      expect(ref, `request ${id} step ${step}`).toBeDefined();
      const want = ref as Float32Array;
      for (let v = 0; v < logits.length; v++) maxDiff = Math.max(maxDiff, Math.abs(logits[v] - want[v]));
      compared++;
    });
    batched.forEach((r, i) => {
      const name = goldens.pairs[i].name;
      expect(r.tokens, name).toEqual(alone[i].tokens);
      expect(r.finishReason, name).toBe('length');
      // The first token comes from the request's own (batch-1) prefill: its logits are the unbatched ones, bit for bit.
      expect(r.firstLogits, name).toEqual(alone[i].firstLogits);
    });
    expect(compared).toBe(NEW_TOKENS.slice(0, goldens.pairs.length).reduce((n, k) => n + k - 1, 0));
    expect(maxDiff).toBeLessThanOrEqual(STEP_LOGITS_TOLERANCE);
    // It did batch: the first four decoded together, and a later one joined a running batch.
    expect(Math.max(...batched.map((r) => r.timings.maxBatch))).toBe(4);
    expect(batched[goldens.pairs.length - 1].timings.maxBatch).toBeGreaterThan(1);
  }, 180_000);

  it('a row that stops (stop token) or is cancelled leaves the batch; the others are unaffected', async () => {
    const msgs = messages();
    // Request 2 stops at its 3rd token (made a stop token for it alone); request 4 is cancelled after 5 tokens.
    msgs[1] = { ...msgs[1], stopTokenIds: [alone[1].tokens[2]] };
    const out = await decode(host, 3, msgs, undefined, new Map([[4, 5]]));
    expect(out[1].tokens).toEqual(alone[1].tokens.slice(0, 3));
    expect(out[1].finishReason).toBe('stop');
    expect(out[3].finishReason).toBe('cancelled');
    expect(out[3].tokens).toEqual(alone[3].tokens.slice(0, out[3].tokens.length));
    for (const i of [0, 2, 4, 5, 6]) expect(out[i].tokens, goldens.pairs[i].name).toEqual(alone[i].tokens);
  }, 180_000);

  it('with the KV cache kept as gpu-buffer outputs (CPU tensors on the CPU provider), every request gets the same tokens, alone and at batch 4', async () => {
    for (const maxBatch of [1, 4]) {
      const out = await decode(device, maxBatch, messages(false));
      out.forEach((r, i) => expect(r.tokens, `${goldens.pairs[i].name} at batch ${maxBatch}`).toEqual(alone[i].tokens));
      expect(Math.max(...out.map((r) => r.timings.maxBatch))).toBe(maxBatch);
    }
  }, 180_000);

  it('with gpu-buffer outputs, asking for logits is a clear per-request error (every run must fetch the same outputs)', async () => {
    const textPair = goldens.pairs.find((p) => p.image === null) as GoldenPair;
    await expect(decode(device, 1, [message(textPair, 1, 3, true)])).rejects.toThrow(/logits cannot be fetched while the KV cache stays on the device/);
    await expect(decode(device, 1, [message(textPair, 1, 3, false)], () => undefined)).rejects.toThrow(/logits cannot be fetched/);
    // the runner is still usable afterwards
    const [r] = await decode(device, 1, [message(textPair, 1, 3, false)]);
    expect(r.tokens).toEqual(alone[goldens.pairs.indexOf(textPair)].tokens.slice(0, 3));
  }, 60_000);

  it('a step releases the cache it consumed (a released tensor can no longer be fed)', async () => {
    const textPair = goldens.pairs.find((p) => p.image === null) as GoldenPair;
    for (const runner of [host, device]) {
      const pre = await runner.prefill(message(textPair, 99, 4, runner === host), () => false);
      if (pre === null) throw new Error('not cancelled, so prefilled');
      const consumed = [...pre.kv.tensors];
      expect(consumed.every((t) => t.location === 'cpu')).toBe(true);
      const res = await runner.step(pre.kv, [pre.token], [pre.position + 1]);
      expect(consumed.every((t) => t.location === 'none')).toBe(true);
      expect(res.kv.seqLen).toBe(textPair.input_ids.length + 1);
      expect(res.tokens).toEqual([alone[goldens.pairs.indexOf(textPair)].tokens[1]]);
      // Feeding the released cache again fails instead of reading freed memory.
      await expect(runner.step({ tensors: consumed, lengths: [pre.kv.seqLen], seqLen: pre.kv.seqLen }, [pre.token], [pre.position + 1])).rejects.toThrow();
      const last = await runner.step(res.kv, res.tokens, [pre.position + 2]);
      expect(last.tokens).toEqual([alone[goldens.pairs.indexOf(textPair)].tokens[2]]);
      for (const t of last.kv.tensors) t.dispose();
    }
  }, 60_000);
});

describe('left-padded KV packing', () => {
  /** A batch whose tensor j holds, at row r, head h, column s, dim d: 1000j + 100r + 10h + s + d/10 over the valid columns, -1 in the padding. */
  function batch(lengths: number[], seqLen: number, tensors = 2, KV = 2, D = 2): KvBatch {
    const out: ort.Tensor[] = [];
    for (let j = 0; j < tensors; j++) {
      const data = new Float32Array(lengths.length * KV * seqLen * D).fill(-1);
      lengths.forEach((len, r) => {
        for (let h = 0; h < KV; h++) for (let s = seqLen - len; s < seqLen; s++) for (let d = 0; d < D; d++) data[((r * KV + h) * seqLen + s) * D + d] = 1000 * j + 100 * r + 10 * h + s + d / 10;
      });
      out.push(new ort.Tensor('float32', data, [lengths.length, KV, seqLen, D]));
    }
    return { tensors: out, lengths, seqLen };
  }

  it('packs rows from several batches, left-padded with zeros to the longest, in the given order', async () => {
    const a = batch([2, 4], 4);
    const b = batch([3], 3);
    const packed = await packRows(ort, [{ kv: b, row: 0 }, { kv: a, row: 0 }], { kvHeads: 2, headDim: 2 });
    expect(packed.lengths).toEqual([3, 2]);
    expect(packed.seqLen).toBe(3);
    expect(packed.tensors[1].dims).toEqual([2, 2, 3, 2]);
    const t1 = Array.from(packed.tensors[1].data as Float32Array);
    // row 0 = b's row 0 (3 valid columns); row 1 = a's row 0: its 2 valid columns (a's columns 2, 3) after one zero column
    const want: number[] = [];
    for (let h = 0; h < 2; h++) for (let s = 0; s < 3; s++) for (let d = 0; d < 2; d++) want.push(1000 + 10 * h + s + d / 10);
    for (let h = 0; h < 2; h++) {
      want.push(0, 0);
      for (let s = 2; s < 4; s++) for (let d = 0; d < 2; d++) want.push(1000 + 10 * h + s + d / 10);
    }
    expect(t1).toEqual(Array.from(Float32Array.from(want)));
  });

  it('dropping rows trims the columns only they needed', async () => {
    const a = batch([1, 5, 2], 5);
    const packed = await packRows(ort, [{ kv: a, row: 0 }, { kv: a, row: 2 }], { kvHeads: 2, headDim: 2 });
    expect(packed.seqLen).toBe(2);
    expect(packed.lengths).toEqual([1, 2]);
    expect(Array.from(attentionMask(packed, 1))).toEqual([0n, 1n, 1n, 1n, 1n, 1n]);
  });

  it('only --ep webgpu keeps the cache in device buffers by default (onnxruntime-node copies CUDA outputs to the host)', () => {
    expect(defaultKvLocation('webgpu')).toBe('gpu-buffer');
    expect(defaultKvLocation('cuda')).toBe('host');
    expect(defaultKvLocation('cpu')).toBe('host');
  });

  it('the attention mask is 0 over each row’s padding and 1 over its columns and the new one', () => {
    expect(Array.from(attentionMask({ lengths: [3, 1, 0], seqLen: 3 }, 1))).toEqual([1n, 1n, 1n, 1n, 0n, 0n, 1n, 1n, 0n, 0n, 0n, 1n]);
  });
});

describe('--concurrency through the worker and the engine', () => {
  it('OnnxModel with maxBatch 4 decodes concurrent requests together and gives the goldens’ tokens', async () => {
    const model = await OnnxModel.load({ modelDir: TINY, threads: 1, maxBatch: 4 });
    try {
      const results = await Promise.all(goldens.pairs.map((pair) => model.generate({ query: pair.question, image: imageOf(pair), maxNewTokens: goldens.greedy_steps })));
      results.forEach((r, i) => expect(r.tokens, goldens.pairs[i].name).toEqual(goldens.pairs[i].greedy_tokens));
      expect(model.stats().maxBatch).toBe(4);
      expect(model.describe()).toMatchObject({ maxBatch: 4, kvLocation: 'host' });
    } finally {
      await model.close();
    }
  }, 180_000);

  it('in a batch, an aborted request and one cut by a stop string leave it; the others still get the goldens’ tokens', async () => {
    const model = await OnnxModel.load({ modelDir: TINY, threads: 1, maxBatch: 4 });
    try {
      const textPair = goldens.pairs.find((p) => p.image === null) as GoldenPair;
      const full = model.tokenizer.decode(textPair.greedy_tokens);
      const stop = full.slice(Math.floor(full.length / 2), Math.floor(full.length / 2) + 3);
      const controller = new AbortController();
      const others = goldens.pairs.filter((p) => p !== textPair).slice(0, 2);
      const [aborted, stopped, ...rest] = await Promise.allSettled([
        model.generate({ query: 'count forever', maxNewTokens: 4000 }, { signal: controller.signal, onText: () => controller.abort() }),
        model.generate({ query: textPair.question, maxNewTokens: 8, stopStrings: [stop] }),
        ...others.map((pair) => model.generate({ query: pair.question, image: imageOf(pair), maxNewTokens: goldens.greedy_steps })),
      ]);
      expect(aborted.status === 'rejected' && (aborted.reason as { kind?: string }).kind).toBe('cancelled');
      expect(stopped.status === 'fulfilled' && stopped.value.finishReason).toBe('stop');
      expect(stopped.status === 'fulfilled' && stopped.value.text).toBe(full.slice(0, full.indexOf(stop)));
      rest.forEach((r, i) => expect(r.status === 'fulfilled' && r.value.tokens, others[i].name).toEqual(others[i].greedy_tokens));
      expect(model.stats().maxBatch).toBeGreaterThan(1);
    } finally {
      await model.close();
    }
  }, 180_000);

  it('createOnnxEngine({ concurrency: 4 }) batches; its answers equal concurrency 1’s', async () => {
    const imagePair = goldens.pairs.find((p) => p.image !== null) as GoldenPair;
    const image = memoryImage(new Uint8Array(readFileSync(join(TINY, imagePair.image as string))), imagePair.image as string);
    const reqs = (): EngineRequest[] =>
      Array.from({ length: 6 }, (_, i) => ({
        id: `q${i}`,
        prompt: `question number ${i}?`,
        images: i % 2 === 0 ? [image] : [],
        generation: { maxNewTokens: 6 + 2 * i, temperature: 0, doSample: false },
      }));
    const one = await createOnnxEngine({ modelDir: TINY, threads: 1, concurrency: 1 });
    const four = await createOnnxEngine({ modelDir: TINY, threads: 1, concurrency: 4 });
    try {
      const a = await collect(one, reqs());
      const b = await collect(four, reqs());
      const byId = (xs: typeof a): Map<string, string> => new Map(xs.map((o) => [o.id, o.text]));
      expect(b.every((o) => o.error === undefined)).toBe(true);
      expect(byId(b)).toEqual(byId(a));
      expect(one.stats().maxBatch).toBe(1);
      expect(four.stats().maxBatch).toBeGreaterThan(1);
      expect(four.describe()).toMatchObject({ concurrency: 4, maxBatch: 4 });
    } finally {
      await Promise.all([one.close(), four.close()]);
    }
  }, 180_000);
});
