/* global console, performance, process, URL */
// The onnx engine's side of bench/gpu/onnx_engine_gpu.sh (prepared for an H200, never run):
// loads an export with --ep given, runs greedy decoding on fixed prompts (text, and the
// committed tiny-model test image) at batch 1, then 8 copies of each prompt at once with the
// batched engine (maxBatch 8, as --concurrency 8), and writes the prompt ids, greedy tokens and
// the engine's timings (vision, prefill, decode ms/step at batch 1 and 8) as JSON for
// torch_greedy.py to compare with.
//   node bench/gpu/onnx-engine-gpu.mjs MODEL_DIR EP OUT.json [NEW_TOKENS]
import { readFileSync, writeFileSync } from 'node:fs';
import { OnnxModel } from '../../dist/harness/engine/onnx/model.js';

const [modelDir, ep, outFile, newTokens = '32'] = process.argv.slice(2);
if (!modelDir || !ep || !outFile) {
  console.error('usage: node bench/gpu/onnx-engine-gpu.mjs MODEL_DIR cuda|webgpu|cpu OUT.json [NEW_TOKENS]');
  process.exit(2);
}
const BATCH = 8;
const IMAGE_BYTES = new Uint8Array(readFileSync(new URL('../../tests/fixtures/tiny-model/images/sign_1344.png', import.meta.url)));
/** The image with `n` bytes appended after the PNG's end (decoders ignore them): new bytes, so the engine's image-embedding cache misses and the vision graph runs again. */
function freshImage(n) {
  const bytes = new Uint8Array(IMAGE_BYTES.length + n);
  bytes.set(IMAGE_BYTES);
  return { bytes, origin: 'sign_1344.png' };
}
const prompts = [
  { name: 'text', query: 'What is the capital of France?', image: false },
  { name: 'image', query: 'What is written on the sign?', image: true },
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const msPerStep = (r) => (r.timings.decodeSteps > 0 ? r.timings.decodeMs / r.timings.decodeSteps : NaN);

const t0 = performance.now();
let model = await OnnxModel.load({ modelDir, ep });
const loadMs = performance.now() - t0;
const describe = model.describe();
const results = [];
let salt = 1;
for (const p of prompts) {
  const prepared = model.prepare({ query: p.query }, p.image);
  const runs = [];
  for (let r = 0; r < 3; r++) {
    runs.push(await model.generate({ query: p.query, image: p.image ? freshImage(salt++) : null, maxNewTokens: Number(newTokens) }));
  }
  const last = runs[runs.length - 1];
  results.push({
    name: p.name,
    input_ids: prepared.layout.inputIds,
    image_slots: p.image ? prepared.layout.inputIds.filter((id) => id === 128002).length : 0,
    tokens: last.tokens,
    vision_ms: median(runs.map((x) => x.timings.visionMs)),
    prefill_ms: median(runs.map((x) => x.timings.prefillMs)),
    decode_ms_per_step: median(runs.map(msPerStep)),
    decode_ms_per_step_b1: median(runs.map(msPerStep)),
    decode_steps: last.timings.decodeSteps,
  });
}
await model.close();

// Batch 8: the same prompt 8 times at once (one decoder run per step for all 8 rows); the
// requests are prefilled one by one, then step together, so the step time is batch 8's.
model = await OnnxModel.load({ modelDir, ep, maxBatch: BATCH });
for (const p of prompts) {
  const entry = results.find((r) => r.name === p.name);
  const image = p.image ? freshImage(0) : null;
  await model.generate({ query: p.query, image, maxNewTokens: 2 }); // warm-up, caches the image
  const waves = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const wave = await Promise.all(Array.from({ length: BATCH }, () => model.generate({ query: p.query, image, maxNewTokens: Number(newTokens) })));
    waves.push({ wave, ms: performance.now() - t });
  }
  const all = waves.flatMap((w) => w.wave);
  entry.decode_ms_per_step_b8 = median(all.map(msPerStep));
  entry.batch8_max_batch = Math.max(...all.map((r) => r.timings.maxBatch));
  entry.batch8_tokens_equal_b1 = all.every((r) => JSON.stringify(r.tokens) === JSON.stringify(entry.tokens));
  entry.batch8_tokens_per_s = median(waves.map((w) => (w.wave.reduce((n, r) => n + r.outputTokens, 0) * 1000) / w.ms));
}
await model.close();
writeFileSync(outFile, JSON.stringify({ ep, model_dir: modelDir, load_ms: loadMs, kv_location: describe.kvLocation, batch: [1, BATCH], results }, null, 2) + '\n');
console.log(`wrote ${outFile}`);
