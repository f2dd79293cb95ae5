/* global console, process */
// ONNX side of the half-precision drift check (BENCHMARKS.md, issue #11): greedy decoding of an
// export's embed + decoder graphs on onnxruntime-node's CPU provider from the prompt ids of
// half_drift_torch.py's JSON, compared with its float32 and bf16 PyTorch results.
//   node bench/export/half_drift_onnx.mjs EXPORT_DIR REF.json
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [dir, refFile] = process.argv.slice(2);
const ref = JSON.parse(readFileSync(refFile, 'utf8'));
const cfg = JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')).cogeval_onnx;
const embed = await ort.InferenceSession.create(`${dir}/embed_tokens.onnx`);
const dec = await ort.InferenceSession.create(`${dir}/decoder.onnx`);
const V = cfg.vocab_size;
let ids = ref.ids;
const past = {};
for (let i = 0; i < cfg.num_layers; i++) for (const k of ['key', 'value']) past[`past_key_values.${i}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, cfg.num_kv_heads, 0, cfg.head_dim]);
let pastLen = 0;
const tokens = [];
let first;
for (let step = 0; step < ref.fp32.tokens.length; step++) {
  const n = ids.length;
  const e = (await embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]) })).inputs_embeds;
  const r = await dec.run({
    inputs_embeds: e, vision_expert_mask: new ort.Tensor('bool', new Uint8Array(n), [1, n]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(pastLen + i))), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + n).fill(1n), [1, pastLen + n]), ...past,
  });
  if (step === 0) first = r.logits.data.slice((n - 1) * V, n * V);
  for (let i = 0; i < cfg.num_layers; i++) for (const k of ['key', 'value']) past[`past_key_values.${i}.${k}`] = r[`present.${i}.${k}`];
  pastLen += n;
  const t = Number(r.next_token.data[0]);
  tokens.push(t);
  ids = [t];
}
function diff(a, b) {
  let max = 0, sq = 0, big = 0;
  for (let j = 0; j < a.length; j++) { const d = Math.abs(a[j] - b[j]); max = Math.max(max, d); sq += d * d; big = Math.max(big, Math.abs(b[j])); }
  return { max_abs: Number(max.toFixed(4)), rms: Number(Math.sqrt(sq / a.length).toFixed(4)), max_abs_reference: Number(big.toFixed(2)) };
}
const agree = (a, b) => a.filter((t, i) => t === b[i]).length;
console.log(JSON.stringify({
  export: dir, compute: cfg.compute_dtype ?? 'fp32',
  onnx_tokens: tokens, torch_fp32_tokens: ref.fp32.tokens, torch_bf16_tokens: ref.bf16.tokens,
  onnx_vs_torch_fp32: { tokens_agree: `${agree(tokens, ref.fp32.tokens)}/${tokens.length}`, first_logits: diff(first, ref.fp32.logits) },
  onnx_vs_torch_bf16: { tokens_agree: `${agree(tokens, ref.bf16.tokens)}/${tokens.length}`, first_logits: diff(first, ref.bf16.logits) },
  torch_bf16_vs_fp32: { first_logits: diff(ref.bf16.logits, ref.fp32.logits) },
}, null, 2));
