/* global console, performance, process, URL */
// The onnx engine's side of bench/gpu/onnx_engine_gpu.sh (prepared for an H200, never run):
// loads an export with --ep given, runs greedy decoding on fixed prompts (text, and the
// committed tiny-model test image) and writes the prompt ids, greedy tokens and the engine's
// timings (vision, prefill, decode ms/step) as JSON for torch_greedy.py to compare with.
//   node bench/gpu/onnx-engine-gpu.mjs MODEL_DIR EP OUT.json [NEW_TOKENS]
import { readFileSync, writeFileSync } from 'node:fs';
import { OnnxModel } from '../../dist/harness/engine/onnx/model.js';

const [modelDir, ep, outFile, newTokens = '32'] = process.argv.slice(2);
if (!modelDir || !ep || !outFile) {
  console.error('usage: node bench/gpu/onnx-engine-gpu.mjs MODEL_DIR cuda|webgpu|cpu OUT.json [NEW_TOKENS]');
  process.exit(2);
}
const IMAGE = new URL('../../tests/fixtures/tiny-model/images/sign_1344.png', import.meta.url);
const prompts = [
  { name: 'text', query: 'What is the capital of France?', image: null },
  { name: 'image', query: 'What is written on the sign?', image: { bytes: new Uint8Array(readFileSync(IMAGE)), origin: 'sign_1344.png' } },
];
const t0 = performance.now();
const model = await OnnxModel.load({ modelDir, ep });
const loadMs = performance.now() - t0;
const results = [];
for (const p of prompts) {
  const prepared = model.prepare({ query: p.query }, p.image !== null);
  const runs = [];
  for (let r = 0; r < 3; r++) {
    runs.push(await model.generate({ query: p.query, image: p.image, maxNewTokens: Number(newTokens) }));
  }
  const last = runs[runs.length - 1];
  const med = (f) => runs.map(f).sort((a, b) => a - b)[1];
  results.push({
    name: p.name,
    input_ids: prepared.layout.inputIds,
    image_slots: p.image ? prepared.layout.inputIds.filter((id) => id === 128002).length : 0,
    tokens: last.tokens,
    vision_ms: med((x) => x.timings.visionMs),
    prefill_ms: med((x) => x.timings.prefillMs),
    decode_ms_per_step: med((x) => (x.timings.decodeSteps > 0 ? x.timings.decodeMs / x.timings.decodeSteps : NaN)),
    decode_steps: last.timings.decodeSteps,
  });
}
await model.close();
writeFileSync(outFile, JSON.stringify({ ep, model_dir: modelDir, load_ms: loadMs, batch: 1, results }, null, 2) + '\n');
console.log(`wrote ${outFile}`);
