// The onnx engine on the tiny reference model (tests/fixtures/tiny-model): greedy tokens and
// first-step logits against the PyTorch goldens, the worker keeping the event loop free, per-sample
// errors (corrupt image, too-long prompt, sampling), stop strings, streaming and cancellation.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEngine } from '../../harness/engine/onnx/engine.js';
import { GenerationError, OnnxModel } from '../../harness/engine/onnx/model.js';
import type { EngineOutput, EngineRequest } from '../../harness/engine/types.js';
import { collect, memoryImage, GREEDY } from './engine-helpers.js';
import type { GoldenPair, Goldens } from '../support/tiny-goldens.js';

const TINY = resolve('tests/fixtures/tiny-model');

const goldens = JSON.parse(readFileSync(join(TINY, 'goldens.json'), 'utf8')) as Goldens;

function imageOf(pair: GoldenPair): { bytes: Uint8Array; origin: string } | null {
  return pair.image === null ? null : { bytes: new Uint8Array(readFileSync(join(TINY, pair.image))), origin: pair.image };
}

let model: OnnxModel;
let engine: OnnxEngine;

beforeAll(async () => {
  model = await OnnxModel.load({ modelDir: TINY, threads: 1 });
  engine = new OnnxEngine(model);
}, 60_000);

afterAll(async () => {
  await model?.close();
});

describe('goldens (PyTorch, tools/export/make_tiny.py)', () => {
  it('builds the same prompt ids and position ids as the reference', () => {
    for (const pair of goldens.pairs) {
      const prepared = model.prepare({ query: pair.question }, pair.image !== null);
      expect(prepared.text, pair.name).toBe(pair.prompt);
      expect(prepared.layout.inputIds, pair.name).toEqual(pair.input_ids);
      expect(prepared.layout.positionIds, pair.name).toEqual(pair.position_ids);
    }
  });

  it('greedy tokens equal the goldens and first-step logits are within 1e-4 on every pair', async () => {
    expect(goldens.pairs.length).toBeGreaterThanOrEqual(5);
    for (const pair of goldens.pairs) {
      const r = await model.generate({ query: pair.question, image: imageOf(pair), maxNewTokens: goldens.greedy_steps, captureFirstLogits: true });
      expect(r.tokens, pair.name).toEqual(pair.greedy_tokens);
      expect(r.finishReason, pair.name).toBe(pair.greedy_stopped ? 'stop' : 'length');
      const logits = r.firstLogits as Float32Array;
      const step = pair.steps[0];
      expect(logits.length).toBe(128256);
      let maxDiff = 0;
      step.samples.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(logits[i * step.sample_stride] - v))));
      step.top_ids.forEach((id, i) => (maxDiff = Math.max(maxDiff, Math.abs(logits[id] - step.top_values[i]))));
      expect(maxDiff, pair.name).toBeLessThanOrEqual(1e-4);
      let sum = 0;
      let sq = 0;
      for (const v of logits) {
        sum += v;
        sq += v * v;
      }
      // Sums over all 128256 logits: 1e-4 per value at most.
      expect(Math.abs(sum - step.sum), pair.name).toBeLessThanOrEqual(1e-4 * logits.length);
      expect(Math.abs(Math.sqrt(sq) - step.l2), pair.name).toBeLessThanOrEqual(1e-4 * Math.sqrt(logits.length));
      // the top-20 ranking is the reference's
      const order = [...step.top_ids].sort((a, b) => logits[b] - logits[a] || a - b);
      expect(order[0], pair.name).toBe(step.top_ids[0]);
      // the first token (the graph's next_token) is the first maximum of the returned logits
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
      expect(r.tokens[0], pair.name).toBe(best);
    }
  }, 120_000);

  it('without captureFirstLogits no logits come back and the tokens are the same', async () => {
    const pair = goldens.pairs.find((p) => p.image === null) ?? goldens.pairs[0];
    const r = await model.generate({ query: pair.question, image: imageOf(pair), maxNewTokens: goldens.greedy_steps });
    expect(r.firstLogits).toBeUndefined();
    expect(r.tokens).toEqual(pair.greedy_tokens);
  }, 60_000);
});

describe('worker thread', () => {
  it('keeps the event loop free while a request runs (timers keep firing before the first token)', async () => {
    const pair = goldens.pairs.find((p) => p.image !== null && p.name !== 'sign') ?? goldens.pairs[0];
    let ticks = 0;
    let ticksBeforeFirstText = -1;
    const timer = setInterval(() => ticks++, 1);
    try {
      // A fresh image (not cached): preprocessing, the vision graph and the 2300-token prefill all run before the first token.
      const bytes = new Uint8Array(readFileSync(join(TINY, pair.image as string)));
      const copy = new Uint8Array(bytes.length + 1);
      copy.set(bytes);
      await model.generate(
        { query: 'event loop?', image: { bytes: copy, origin: 'copy' }, maxNewTokens: 4 },
        {
          onText: () => {
            if (ticksBeforeFirstText < 0) ticksBeforeFirstText = ticks;
          },
        },
      );
    } finally {
      clearInterval(timer);
    }
    // On the main thread those runs would block every timer; in the worker the loop keeps turning.
    expect(ticksBeforeFirstText).toBeGreaterThanOrEqual(20);
  }, 60_000);
});

describe('engine outputs and per-sample errors', () => {
  const textPair = (): GoldenPair => goldens.pairs.find((p) => p.image === null) as GoldenPair;

  it('a corrupt image fails its sample with the reason; the next sample still runs', async () => {
    const broken = memoryImage(Uint8Array.from(Buffer.from('\x89PNG\r\n\x1a\nthis is not really a png')), 'broken.png');
    const reqs: EngineRequest[] = [
      { id: 'bad', prompt: 'what?', images: [broken], generation: { ...GREEDY, maxNewTokens: 2 } },
      { id: 'good', prompt: textPair().question, images: [], generation: { ...GREEDY, maxNewTokens: 3 } },
    ];
    const out = await collect(engine, reqs);
    const byId = new Map(out.map((o) => [o.id, o]));
    const bad = byId.get('bad') as EngineOutput;
    expect(bad.error?.kind).toBe('image');
    expect(bad.error?.message).toMatch(/broken\.png/);
    expect(bad.text).toBe('');
    const good = byId.get('good') as EngineOutput;
    expect(good.error).toBeUndefined();
    expect(good.outputTokens).toBe(3);
    expect(good.finishReason).toBe('length');
    expect(good.promptTokens).toBe(textPair().input_ids.length);
    expect(good.text).toBe(model.tokenizer.decode(textPair().greedy_tokens.slice(0, 3)));
    expect(good.timings.ttftMs).toBeGreaterThan(0);
  }, 60_000);

  it('a prompt longer than the context is a per-sample error naming the limit', async () => {
    const long = 'lorem ipsum '.repeat(4200);
    const [o] = await collect(engine, [{ id: 'long', prompt: long, images: [], generation: GREEDY }]);
    expect(o.error?.kind).toBe('malformed');
    expect(o.error?.message).toMatch(/needs \d+ positions, but the model has 8192 \(max_position_embeddings\)/);
    await expect(model.generate({ query: long, maxNewTokens: 1 })).rejects.toMatchObject({ kind: 'context' });
  });

  it('sampling requests are refused (greedy only), never silently decoded greedily', async () => {
    const [o] = await collect(engine, [{ id: 's', prompt: 'x', images: [], generation: { maxNewTokens: 4, temperature: 0.6, doSample: true, topP: 0.9 } }]);
    expect(o.error?.kind).toBe('malformed');
    expect(o.error?.message).toMatch(/greedily only/);
  });

  it('stop strings cut the text before them; streamed deltas add up to the text', async () => {
    const pair = textPair();
    const full = model.tokenizer.decode(pair.greedy_tokens);
    const stop = full.slice(Math.floor(full.length / 2), Math.floor(full.length / 2) + 3);
    let streamed = '';
    const r = await model.generate({ query: pair.question, maxNewTokens: 8, stopStrings: [stop] }, { onText: (d) => (streamed += d) });
    expect(r.finishReason).toBe('stop');
    expect(r.text).toBe(full.slice(0, full.indexOf(stop)));
    expect(streamed).toBe(r.text);
    let streamedAll = '';
    const all = await model.generate({ query: pair.question, maxNewTokens: 8 }, { onText: (d) => (streamedAll += d) });
    expect(all.text).toBe(full);
    expect(streamedAll).toBe(full);
  });

  it('an abort cancels the running request', async () => {
    const controller = new AbortController();
    const p = model.generate({ query: 'count forever', maxNewTokens: 4000 }, { signal: controller.signal, onText: () => controller.abort() });
    await expect(p).rejects.toBeInstanceOf(GenerationError);
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
    // the model serves the next request normally
    const r = await model.generate({ query: textPair().question, maxNewTokens: 2 });
    expect(r.tokens).toEqual(textPair().greedy_tokens.slice(0, 2));
  });

  it('describes itself for run provenance', () => {
    const d = engine.describe();
    expect(d).toMatchObject({ engine: 'onnx', ep: 'cpu', template: 'chat', randomWeights: true, rope: 'bf16-table', maxPositionEmbeddings: 8192 });
    expect(d.stopTokenIds).toEqual([128001, 128009]);
  });
});
