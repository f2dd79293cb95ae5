// The tiny reference CogVLM2 (tests/fixtures/tiny-model): its committed ONNX graphs, run by
// onnxruntime-node as tools/export/CONTRACT.md prescribes, reproduce the PyTorch goldens; where
// /usr/bin/python3 has torch and onnx, the exporter regenerates the same goldens and
// `cogeval export` turns the tiny Hugging Face checkpoint into graphs that reproduce them. That
// regeneration takes minutes, so it runs in `npm run test:export` (COGEVAL_TEST_EXPORT=1), not in
// `npm test`; .ci/run runs both where torch is present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Tokenizer } from '@huggingface/tokenizers';
import { findExporter, runExport, type ExportOptions } from '../../harness/cli/export.js';
import { runReporting } from '../../harness/cli/main.js';
import type { GoldenPair, GoldenStep, Goldens } from '../support/tiny-goldens.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-model/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
import { TEST_PYTHON as PYTHON, pythonHas } from '../support/python.js';

const RUN_EXPORT = process.env.COGEVAL_TEST_EXPORT === '1';
const BOS = 128000;
const PAD = 128002;
const EOS = new Set([128001, 128009]);
const TOL = 1e-4;
// Regenerated goldens come from another PyTorch build on another CPU (BLAS kernels and their
// summation order differ), so the float32 logits move by rounding only. Measured: Debian's
// python3-torch 1.13 on the 2-core AMD EPYC dev machine reproduces the committed goldens exactly
// (max |Δ| 0, with 2 threads and with 1); another machine gave 1.1e-5 (issue #10). The bound is the
// engine's own 1e-4 (TOL: the committed ONNX graphs against these PyTorch goldens; README): about 100
// float32 ulps at the largest |logit| of the goldens (13.4), 9× the largest deviation seen. The sum
// over all 128256 logits adds independent roundings: √128256 × 1e-4 ≈ 0.036, so 0.05.
const REGEN_TOP_TOL = TOL;
const REGEN_SUM_TOL = 0.05;
const PREFILL_CHUNK = 512;

interface OnnxBlock {
  graphs: Record<string, string>;
  external_data: Record<string, string>;
  dtype: string;
  io_dtype: string;
  num_layers: number;
  num_kv_heads: number;
  head_dim: number;
  hidden_size: number;
  vocab_size: number;
  image_tokens: number;
  image_size: number;
  image_mean: number[];
  image_std: number[];
  rope: string;
  tokenizer: { file?: string; npm?: string; config?: string; config_npm?: string; sha256: string } | null;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
const goldens = readJson<Goldens>(join(FIXTURE, 'goldens.json'));
const onnxCfg = readJson<{ cogeval_onnx: OnnxBlock }>(join(FIXTURE, 'config.json')).cogeval_onnx;

/** Token types of a prompt: BOS 0, image slots 1, text 0. */
function tokenTypes(textLen: number, withImage: boolean, imageTokens: number): number[] {
  return [0, ...new Array<number>(withImage ? imageTokens : 0).fill(1), ...new Array<number>(textLen).fill(0)];
}
/** Contract position ids: BOS 0, BOI 1, patches 2, EOI 3, text from 4; text-only 0..T-1. */
function contractPositions(textLen: number, withImage: boolean, imageTokens: number): number[] {
  if (!withImage) return Array.from({ length: 1 + textLen }, (_, i) => i);
  return [0, 1, ...new Array<number>(imageTokens - 2).fill(2), 3, ...Array.from({ length: textLen }, (_, i) => 4 + i)];
}
function visionMask(types: number[]): boolean[] {
  return types.map((t, i) => t === 1 && types[i + 1] === 1);
}

function f32(t: ort.Tensor): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${t.type}`);
  return t.data;
}

/** Pixel tensor of a PNG that is already 1344x1344 (the bicubic resize is then the identity in Pillow). */
async function nativePixels(path: string, cfg: OnnxBlock): Promise<Float32Array> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const s = cfg.image_size;
  if (info.width !== s || info.height !== s || info.channels !== 3) throw new Error(`${path}: ${info.width}x${info.height}x${info.channels}, expected ${s}x${s}x3`);
  const out = new Float32Array(3 * s * s);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(cfg.image_mean[c]);
    const std = Math.fround(cfg.image_std[c]);
    for (let i = 0; i < s * s; i++) {
      out[c * s * s + i] = Math.fround(Math.fround(Math.fround(data[i * 3 + c] / 255) - mean) / std);
    }
  }
  return out;
}

function sha256(x: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).digest('hex');
}

/** The three graphs of an export directory, driven as the contract says. */
class TinyOnnx {
  private constructor(
    readonly cfg: OnnxBlock,
    private readonly vision: ort.InferenceSession | undefined,
    private readonly embed: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
  ) {}

  static async load(dir: string): Promise<TinyOnnx> {
    const cfg = readJson<{ cogeval_onnx: OnnxBlock }>(join(dir, 'config.json')).cogeval_onnx;
    const open = (file: string) => ort.InferenceSession.create(join(dir, file));
    const vision = cfg.graphs.vision ? await open(cfg.graphs.vision) : undefined;
    return new TinyOnnx(cfg, vision, await open(cfg.graphs.embed), await open(cfg.graphs.decoder));
  }

  async imageEmbeds(pixels: Float32Array): Promise<Float32Array> {
    if (!this.vision) throw new Error('this export has no vision graph');
    const s = this.cfg.image_size;
    const out = await this.vision.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, s, s]) });
    return f32(out.image_embeds);
  }

  private emptyPast(): Record<string, ort.Tensor> {
    const past: Record<string, ort.Tensor> = {};
    const dims = [1, this.cfg.num_kv_heads, 0, this.cfg.head_dim];
    for (let i = 0; i < this.cfg.num_layers; i++) {
      past[`past_key_values.${i}.key`] = new ort.Tensor('float32', new Float32Array(0), dims);
      past[`past_key_values.${i}.value`] = new ort.Tensor('float32', new Float32Array(0), dims);
    }
    return past;
  }

  private async step(embeds: Float32Array, mask: boolean[], positions: number[], past: Record<string, ort.Tensor>, pastLen: number) {
    const t = positions.length;
    const out = await this.decoder.run({
      inputs_embeds: new ort.Tensor('float32', embeds, [1, t, this.cfg.hidden_size]),
      vision_expert_mask: new ort.Tensor('bool', Uint8Array.from(mask, Number), [1, t]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(positions, BigInt), [1, t]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + t).fill(1n), [1, pastLen + t]),
      ...past,
    });
    const next: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.cfg.num_layers; i++) {
      next[`past_key_values.${i}.key`] = out[`present.${i}.key`];
      next[`past_key_values.${i}.value`] = out[`present.${i}.value`];
    }
    const v = this.cfg.vocab_size;
    const token = out.next_token;
    if (token === undefined || !(token.data instanceof BigInt64Array)) throw new Error('the decoder has no int64 next_token output');
    expect(token.dims).toEqual([1, 1]);
    return { last: f32(out.logits).slice((t - 1) * v, t * v), next: Number(token.data[0]), past: next };
  }

  /**
   * Greedy decoding of one golden pair: the logits of the first `keep` steps, the tokens (argmax
   * of the logits in JS, first maximum on ties) and the graph's next_token at each step.
   */
  async generate(pair: GoldenPair, imageEmbeds: Float32Array | undefined, steps: number, keep: number): Promise<{ logits: Float32Array[]; tokens: number[]; graphTokens: number[] }> {
    const h = this.cfg.hidden_size;
    const withImage = pair.image !== null;
    const ids = [BOS, ...new Array<number>(withImage ? this.cfg.image_tokens : 0).fill(PAD), ...pair.text_ids];
    const types = tokenTypes(pair.text_ids.length, withImage, this.cfg.image_tokens);
    const positions = contractPositions(pair.text_ids.length, withImage, this.cfg.image_tokens);
    const mask = visionMask(types);
    const emb = f32((await this.embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) })).inputs_embeds);
    if (withImage) {
      if (!imageEmbeds) throw new Error(`pair ${pair.name} needs image embeddings`);
      emb.set(imageEmbeds, h); // rows 1..2306
    }
    let past = this.emptyPast();
    let pastLen = 0;
    let last = new Float32Array(0);
    let next = -1;
    for (let s = 0; s < ids.length; s += PREFILL_CHUNK) {
      const e = Math.min(ids.length, s + PREFILL_CHUNK);
      ({ last, next, past } = await this.step(emb.slice(s * h, e * h), mask.slice(s, e), positions.slice(s, e), past, pastLen));
      pastLen = e;
    }
    const logits: Float32Array[] = [];
    const tokens: number[] = [];
    const graphTokens: number[] = [];
    let pos = positions[positions.length - 1] + 1;
    for (let k = 0; k < steps; k++) {
      if (k < keep) logits.push(last);
      let best = 0;
      for (let j = 1; j < last.length; j++) if (last[j] > last[best]) best = j;
      tokens.push(best);
      graphTokens.push(next);
      if (EOS.has(best) || k === steps - 1) break;
      const e = f32((await this.embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(best)]), [1, 1]) })).inputs_embeds);
      ({ last, next, past } = await this.step(e, [false], [pos], past, pastLen));
      pastLen += 1;
      pos += 1;
    }
    return { logits, tokens, graphTokens };
  }
}

/** Largest deviation of ONNX logits from a golden step (top-20 values, spot samples, mean, RMS). */
function stepDeviation(got: Float32Array, want: GoldenStep): number {
  let d = 0;
  want.top_ids.forEach((id, j) => (d = Math.max(d, Math.abs(got[id] - want.top_values[j]))));
  want.samples.forEach((v, j) => (d = Math.max(d, Math.abs(got[j * want.sample_stride] - v))));
  let sum = 0;
  let sq = 0;
  for (const x of got) {
    sum += x;
    sq += x * x;
  }
  const n = got.length;
  d = Math.max(d, Math.abs(sum - want.sum) / n, Math.abs(Math.sqrt(sq / n) - want.l2 / Math.sqrt(n)));
  return d;
}

/** Runs a pair and checks it against the goldens; returns the largest logit deviation. */
async function checkPair(model: TinyOnnx, pair: GoldenPair, imageEmbeds: Float32Array | undefined): Promise<number> {
  const { logits, tokens, graphTokens } = await model.generate(pair, imageEmbeds, goldens.greedy_steps, goldens.logit_steps);
  expect(tokens, `greedy tokens of ${pair.name}`).toEqual(pair.greedy_tokens);
  // next_token (ArgMax inside the decoder graph) is the argmax of the logits at every step
  expect(graphTokens, `next_token of ${pair.name}`).toEqual(tokens);
  expect(logits.length).toBe(pair.steps.length);
  let worst = 0;
  logits.forEach((l, k) => {
    expect(l.length).toBe(model.cfg.vocab_size);
    const dev = stepDeviation(l, pair.steps[k]);
    expect(dev, `${pair.name} step ${k}: logits deviate by ${dev}`).toBeLessThanOrEqual(TOL);
    worst = Math.max(worst, dev);
  });
  return worst;
}

function embedsDeviation(embeds: Float32Array, pair: GoldenPair, h: number): number {
  let d = 0;
  for (const [row, values] of Object.entries(pair.image_embeds?.rows ?? {})) values.forEach((v, j) => (d = Math.max(d, Math.abs(embeds[Number(row) * h + j] - v))));
  return d;
}

const isNative = (p: GoldenPair) => p.image === null || (p.image_size?.[0] === onnxCfg.image_size && p.image_size?.[1] === onnxCfg.image_size);

describe('tiny reference model: committed ONNX graphs against the PyTorch goldens', () => {
  let model: TinyOnnx;
  const embedsCache = new Map<string, Float32Array>();
  beforeAll(async () => {
    model = await TinyOnnx.load(FIXTURE);
  });

  async function embedsOf(pair: GoldenPair): Promise<Float32Array | undefined> {
    if (pair.image === null) return undefined;
    let e = embedsCache.get(pair.image);
    if (!e) {
      e = await model.imageEmbeds(await nativePixels(join(FIXTURE, pair.image), onnxCfg));
      embedsCache.set(pair.image, e);
    }
    return e;
  }

  it('config.json carries the contract fields and the fixture stays within 10 MB', () => {
    expect(onnxCfg).toMatchObject({ io_dtype: 'float32', dtype: 'fp32', image_tokens: 2306, image_size: 1344, vocab_size: 128256, rope: 'bf16-table', num_layers: 2, num_kv_heads: 1, head_dim: 4, hidden_size: 8 });
    expect(onnxCfg.graphs).toEqual({ vision: 'vision.onnx', embed: 'embed_tokens.onnx', decoder: 'decoder.onnx' });
    const full = readJson<Record<string, unknown>>(join(FIXTURE, 'config.json'));
    for (const field of ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_multi_query_heads', 'intermediate_size', 'vocab_size', 'rms_norm_eps', 'max_position_embeddings', 'template_version', 'vision_config', 'bos_token_id', 'eos_token_id', 'pad_token_id']) {
      expect(full, field).toHaveProperty(field);
    }
    let total = 0;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else total += statSync(p).size;
      }
    };
    walk(FIXTURE);
    expect(total).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(goldens.pairs.length).toBeGreaterThanOrEqual(5);
    expect(goldens.pairs.some((p) => p.image === null)).toBe(true);
  });

  it('prompt ids, token layout and position ids follow the contract (Llama-3 tokenizer of the config)', () => {
    const tk = onnxCfg.tokenizer;
    expect(tk?.npm).toBeDefined();
    const dir = join(REPO, 'node_modules', ...(tk?.npm ?? '').split('/').slice(0, -1));
    const tokJson = readFileSync(join(REPO, 'node_modules', tk?.npm ?? ''));
    expect(createHash('sha256').update(tokJson).digest('hex')).toBe(tk?.sha256);
    const tokenizer = new Tokenizer(JSON.parse(tokJson.toString('utf8')), readJson(join(dir, 'tokenizer_config.json')));
    for (const pair of goldens.pairs) {
      expect(pair.prompt).toBe(`Question: ${pair.question} Answer:`);
      expect(tokenizer.encode(pair.prompt, { add_special_tokens: false }).ids, pair.name).toEqual(pair.text_ids);
      const withImage = pair.image !== null;
      expect(pair.input_ids).toEqual([BOS, ...new Array<number>(withImage ? 2306 : 0).fill(PAD), ...pair.text_ids]);
      expect(pair.position_ids).toEqual(contractPositions(pair.text_ids.length, withImage, 2306));
    }
  });

  it('pixel tensors of the 1344x1344 PNGs match the goldens bit for bit', async () => {
    const natives = goldens.pairs.filter((p) => p.image !== null && isNative(p));
    expect(natives.length).toBeGreaterThanOrEqual(2);
    for (const pair of natives) {
      const px = await nativePixels(join(FIXTURE, pair.image ?? ''), onnxCfg);
      expect(sha256(px), pair.name).toBe(pair.pixels?.sha256);
      let sum = 0;
      for (const x of px) sum += x;
      expect(Math.abs(sum - (pair.pixels?.sum ?? NaN))).toBeLessThan(1e-6 * Math.abs(pair.pixels?.sum ?? 1) + 1e-3);
    }
  });

  it.each(goldens.pairs.filter(isNative).map((p) => [p.name, p] as const))('pair %s: logits within 1e-4 and the same greedy tokens', async (_name, pair) => {
    const embeds = await embedsOf(pair);
    if (embeds) expect(embedsDeviation(embeds, pair, onnxCfg.hidden_size)).toBeLessThanOrEqual(TOL);
    await checkPair(model, pair, embeds);
  });

  it('the image changes the logits (the vision path is exercised)', async () => {
    const natives = goldens.pairs.filter((p) => p.image !== null && isNative(p));
    const a = natives[0];
    const b = natives.find((p) => p.image !== a.image);
    if (!b) throw new Error('the goldens need two different 1344x1344 images');
    // a's prompt with b's image against a's goldens
    const { logits } = await model.generate(a, await embedsOf(b), 1, 1);
    expect(stepDeviation(logits[0], a.steps[0])).toBeGreaterThan(1e-2);
  });
});

const HAS_TORCH = RUN_EXPORT && pythonHas(['numpy', 'torch', 'onnx', 'PIL']);

describe('cogeval export without a usable Python', () => {
  it('names the missing interpreter and how to install the dependencies', async () => {
    const errs: string[] = [];
    const io = { out: () => undefined, err: (l: string) => errs.push(l) };
    const hf = mkdtempSync(join(tmpdir(), 'cogeval-export-nopy-'));
    try {
      writeFileSync(join(hf, 'config.json'), '{}');
      writeFileSync(join(hf, 'model.safetensors'), '');
      const base: ExportOptions = { hfDir: hf, out: join(hf, 'out'), dtype: 'fp32', rope: 'bf16', externalData: 'auto', python: join(hf, 'no-such-python') };
      expect(await runReporting(io, () => runExport(base, io))).toBe(2);
      expect(errs.join('\n')).toMatch(/cannot run .*no-such-python.*apt-get install python3-torch python3-onnx/);
      errs.length = 0;
      // a Python without torch: `false` exits 1 like a failed import
      expect(await runReporting(io, () => runExport({ ...base, python: '/bin/false' }, io))).toBe(2);
      expect(errs.join('\n')).toMatch(/cannot import the exporter's dependencies.*apt-get install/);
      errs.length = 0;
      expect(await runReporting(io, () => runExport({ ...base, hfDir: join(hf, 'missing') }, io))).toBe(2);
      expect(errs.join('\n')).toMatch(/--hf-dir .*missing: not a directory/);
    } finally {
      rmSync(hf, { recursive: true, force: true });
    }
  });

  it('finds the exporter script from the CLI module', () => {
    expect(findExporter()).toBe(join(REPO, 'tools', 'export', 'export.py'));
  });
});

// Each test runs the Python exporter once (tens of seconds idle): 10 minutes covers both cores busy.
describe.skipIf(!HAS_TORCH)(`regeneration with ${PYTHON} (torch + onnx present)`, { timeout: 600_000 }, () => {
  let work: string;
  let regen: Goldens;
  const px = (pair: GoldenPair) => {
    const file = join(work, 'px', (pair.image ?? '').replace(/^images\//, '').replace(/\.png$/, '.f32'));
    const buf = readFileSync(file);
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cogeval-tiny-regen-'));
    const r = spawnSync(PYTHON, [join(REPO, 'tools/export/make_tiny.py'), '--out', join(work, 'onnx'), '--images', join(FIXTURE, 'images'),
      '--hf-out', join(work, 'hf'), '--hf-shards', '2', '--dump-pixels', join(work, 'px')], { encoding: 'utf8', cwd: REPO });
    if (r.status !== 0) throw new Error(`make_tiny.py failed (${r.status}): ${r.stderr}`);
    regen = readJson<Goldens>(join(work, 'onnx', 'goldens.json'));
  }, 1_200_000); // make_tiny.py: about 3 minutes idle on 2 cores, up to 3× that when both are busy
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('regenerated goldens equal the committed ones', () => {
    expect(regen.pairs.map((p) => p.name)).toEqual(goldens.pairs.map((p) => p.name));
    regen.pairs.forEach((p, i) => {
      const c = goldens.pairs[i];
      expect(p.text_ids, p.name).toEqual(c.text_ids);
      expect(p.input_ids).toEqual(c.input_ids);
      expect(p.position_ids).toEqual(c.position_ids);
      expect(p.pixels?.sha256).toBe(c.pixels?.sha256);
      expect(p.greedy_tokens, p.name).toEqual(c.greedy_tokens);
      p.steps.forEach((s, k) => {
        expect(s.top_ids).toEqual(c.steps[k].top_ids);
        s.top_values.forEach((v, j) => expect(Math.abs(v - c.steps[k].top_values[j])).toBeLessThanOrEqual(REGEN_TOP_TOL));
        expect(Math.abs(s.sum - c.steps[k].sum)).toBeLessThanOrEqual(REGEN_SUM_TOL);
      });
    });
    expect(readFileSync(join(work, 'hf', 'model.safetensors.index.json'), 'utf8')).toContain('model.layers.1.self_attn.vision_expert_query_key_value.bias');
    // the streaming exporter writes the committed graphs byte for byte (same torch version)
    for (const f of ['vision.onnx', 'embed_tokens.onnx', 'decoder.onnx']) {
      expect(readFileSync(join(work, 'onnx', f)).equals(readFileSync(join(FIXTURE, f))), `${f} differs from the committed fixture`).toBe(true);
    }
  });

  it('the committed graphs reproduce every pair, resized images included (pixels from Python)', async () => {
    const model = await TinyOnnx.load(FIXTURE);
    for (const pair of goldens.pairs.filter((p) => !isNative(p))) {
      const pixels = px(pair);
      expect(sha256(pixels), pair.name).toBe(pair.pixels?.sha256);
      const embeds = await model.imageEmbeds(pixels);
      expect(embedsDeviation(embeds, pair, onnxCfg.hidden_size)).toBeLessThanOrEqual(TOL);
      await checkPair(model, pair, embeds);
    }
  });

  it('cogeval export converts the sharded checkpoint (bf16 weights, external data) into graphs that reproduce the goldens', async () => {
    const out = join(work, 'export-bf16');
    const lines: string[] = [];
    const code = await runExport({ hfDir: join(work, 'hf'), out, dtype: 'bf16', rope: 'bf16', externalData: 'always', python: PYTHON }, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code, lines.join('\n')).toBe(0);
    const cfg = readJson<{ cogeval_onnx: OnnxBlock }>(join(out, 'config.json')).cogeval_onnx;
    expect(cfg.dtype).toBe('bf16');
    expect(cfg.external_data).toEqual({ vision: 'vision.onnx.data', embed: 'embed_tokens.onnx.data', decoder: 'decoder.onnx.data' });
    expect(statSync(join(out, 'decoder.onnx')).size).toBeLessThan(1 << 20);
    expect(statSync(join(out, 'embed_tokens.onnx.data')).size).toBeLessThan(128256 * 8 * 4 * 0.6);
    expect(cfg.tokenizer?.file).toBe('tokenizer.json');
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true);
    const model = await TinyOnnx.load(out);
    const text = goldens.pairs.find((p) => p.image === null);
    const sign = goldens.pairs.find((p) => p.image !== null && isNative(p));
    if (!text || !sign) throw new Error('goldens lack a text-only or a native-image pair');
    await checkPair(model, text, undefined);
    await checkPair(model, sign, await model.imageEmbeds(px(sign)));
  });

  it('an fp16-weight export of the language graphs reproduces the text-only goldens', async () => {
    const out = join(work, 'export-fp16');
    const code = await runExport({ hfDir: join(work, 'hf'), out, dtype: 'fp16', rope: 'bf16', externalData: 'never', graphs: 'embed,decoder', python: PYTHON }, { out: () => undefined, err: () => undefined });
    expect(code).toBe(0);
    expect(statSync(join(out, 'embed_tokens.onnx')).size).toBeLessThan(128256 * 8 * 4 * 0.6);
    const text = goldens.pairs.find((p) => p.image === null);
    if (!text) throw new Error('no text-only pair');
    await checkPair(await TinyOnnx.load(out), text, undefined);
  });

  it('an fp16-arithmetic export (--compute fp16) runs on the CPU provider: same greedy tokens, logits within 0.05 of the goldens', async () => {
    const out = join(work, 'export-compute-fp16');
    const lines: string[] = [];
    const code = await runExport({ hfDir: join(work, 'hf'), out, dtype: 'fp32', compute: 'fp16', rope: 'bf16', externalData: 'never', graphs: 'embed,decoder', python: PYTHON }, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code, lines.join('\n')).toBe(0);
    expect(readJson<{ cogeval_onnx: OnnxBlock & { compute_dtype?: string } }>(join(out, 'config.json')).cogeval_onnx).toMatchObject({ dtype: 'fp16', compute_dtype: 'fp16', io_dtype: 'float32' });
    const text = goldens.pairs.find((p) => p.image === null);
    if (!text) throw new Error('no text-only pair');
    const model = await TinyOnnx.load(out);
    const { logits, tokens } = await model.generate(text, undefined, goldens.greedy_steps, 1);
    expect(tokens).toEqual(text.greedy_tokens);
    // fp16 arithmetic drifts from the float32 goldens: measured 0.018 (largest logit difference
    // against the fp32 graph, logits up to 15 in magnitude); 0.05 leaves room for other CPUs
    const dev = stepDeviation(logits[0], text.steps[0]);
    expect(dev).toBeLessThanOrEqual(0.05);
    expect(dev).toBeGreaterThan(1e-5); // it is fp16 arithmetic, not the float32 graph
  });

  it('the fp32 RoPE table gives different logits from the bf16 table the goldens use', async () => {
    const out = join(work, 'export-rope-fp32');
    const code = await runExport({ hfDir: join(work, 'hf'), out, dtype: 'fp32', rope: 'fp32', externalData: 'never', graphs: 'embed,decoder', python: PYTHON }, { out: () => undefined, err: () => undefined });
    expect(code).toBe(0);
    const cfg = readJson<{ cogeval_onnx: OnnxBlock }>(join(out, 'config.json')).cogeval_onnx;
    expect(cfg.rope).toBe('fp32');
    expect(cfg.graphs).toEqual({ embed: 'embed_tokens.onnx', decoder: 'decoder.onnx' });
    const model = await TinyOnnx.load(out);
    const text = goldens.pairs.find((p) => p.image === null);
    if (!text) throw new Error('no text-only pair');
    const { logits } = await model.generate(text, undefined, 1, 1);
    expect(stepDeviation(logits[0], text.steps[0])).toBeGreaterThan(1e-3);
  });

  it('a checkpoint that disagrees with its config.json is rejected with the tensor named (exit 2)', async () => {
    const bad = join(work, 'hf-bad');
    mkdirSync(bad);
    for (const f of readdirSync(join(work, 'hf'))) copyFileSync(join(work, 'hf', f), join(bad, f));
    const cfg = readJson<Record<string, unknown>>(join(bad, 'config.json'));
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ ...cfg, intermediate_size: 32 }));
    const errs: string[] = [];
    const code = await runExport({ hfDir: bad, out: join(work, 'bad-out'), dtype: 'fp32', rope: 'bf16', externalData: 'never', graphs: 'embed,decoder', python: PYTHON }, { out: () => undefined, err: (l) => errs.push(l) });
    expect(code).toBe(2);
    expect(errs.join('\n')).toMatch(/mlp\.language_mlp\.gate_proj\.weight: checkpoint \(16, 8\), config expects \(32, 8\)/);
  });
});

if (!HAS_TORCH) {
  describe('regeneration of the tiny model goldens', () => {
    const why = RUN_EXPORT
      ? `${PYTHON} lacks torch/onnx (apt-get install python3-torch python3-onnx python3-numpy python3-pil to run it)`
      : 'it runs in `npm run test:export` (minutes of PyTorch)';
    it.skip(`skipped: ${why}`, () => undefined);
  });
}
