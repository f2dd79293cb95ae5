// Loading model directories: a missing file names itself and the export command, a graph in the
// wrong role is reported input by input, a missing tokenizer says where to put one, and an
// execution provider that cannot be loaded explains how to install it (never a CPU fall-back).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../harness/errors.js';
import { OnnxModel } from '../../harness/engine/onnx/model.js';
import { readModelDir } from '../../harness/engine/onnx/model-dir.js';
import { ortLogLevel, providerError, vulkanLoaderMissing } from '../../harness/engine/onnx/execution-provider.js';
import { spawnSync } from 'node:child_process';

const TINY = resolve('tests/fixtures/tiny-model');
const dirs: string[] = [];

/** A copy of the tiny model dir (graphs linked, config copied) with `change` applied. */
function modelCopy(change: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cogeval-onnx-'));
  dirs.push(dir);
  copyFileSync(join(TINY, 'config.json'), join(dir, 'config.json'));
  for (const f of ['vision.onnx', 'embed_tokens.onnx', 'decoder.onnx']) symlinkSync(join(TINY, f), join(dir, f));
  change(dir);
  return dir;
}

function editConfig(dir: string, edit: (c: Record<string, unknown> & { cogeval_onnx: Record<string, unknown> }) => void): void {
  const file = join(dir, 'config.json');
  const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { cogeval_onnx: Record<string, unknown> };
  edit(c);
  writeFileSync(file, JSON.stringify(c));
}

/** Reads a protobuf varint at `pos`: [value, next position]. */
function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated protobuf varint');
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The top-level fields of a protobuf message: number, wire type, whole-field and payload ranges. */
function protoFields(buf: Uint8Array): { field: number; wire: number; start: number; end: number; payload: Uint8Array }[] {
  const out: { field: number; wire: number; start: number; end: number; payload: Uint8Array }[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const start = pos;
    const [tag, p] = varint(buf, pos);
    const wire = tag & 7;
    let from = p;
    let to: number;
    if (wire === 0) to = varint(buf, p)[1];
    else if (wire === 1) to = p + 8;
    else if (wire === 5) to = p + 4;
    else if (wire === 2) {
      const [len, q] = varint(buf, p);
      from = q;
      to = q + len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.push({ field: Math.floor(tag / 8), wire, start, end: to, payload: buf.subarray(from, to) });
    pos = to;
  }
  return out;
}

/**
 * An ONNX ModelProto without the graph output `name` (what an export before that output looked
 * like): ModelProto.graph is field 7, GraphProto.output field 12, ValueInfoProto.name field 1.
 */
function withoutGraphOutput(model: Uint8Array, name: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let removed = 0;
  for (const f of protoFields(model)) {
    if (f.field !== 7 || f.wire !== 2) {
      parts.push(model.subarray(f.start, f.end));
      continue;
    }
    const kept: Uint8Array[] = [];
    for (const g of protoFields(f.payload)) {
      const isTarget = g.field === 12 && g.wire === 2 && protoFields(g.payload).some((v) => v.field === 1 && Buffer.from(v.payload).toString('utf8') === name);
      if (isTarget) removed++;
      else kept.push(f.payload.subarray(g.start, g.end));
    }
    const graph = Buffer.concat(kept);
    parts.push(Uint8Array.from([...encodeVarint(7 * 8 + 2), ...encodeVarint(graph.length)]), graph);
  }
  if (removed !== 1) throw new Error(`expected one graph output ${name}, found ${removed}`);
  return Buffer.concat(parts);
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('model directory checks', () => {
  it('reads the tiny model: sizes, template, stop ids, the npm tokenizer', () => {
    const info = readModelDir(TINY);
    expect(info).toMatchObject({ numLayers: 2, numKvHeads: 1, headDim: 4, hiddenSize: 8, vocabSize: 128256, imageTokens: 2306, imageSize: 1344, template: 'chat', maxPositionEmbeddings: 8192, randomWeights: true });
    expect(info.stopTokenIds).toEqual([128001, 128009]);
    expect(info.tokenizer.json).toMatch(/@lenml[/\\]tokenizer-llama3[/\\]models[/\\]tokenizer\.json$/);
  });

  it('a missing graph file names the file and the export command', () => {
    const dir = modelCopy((d) => rmSync(join(d, 'decoder.onnx')));
    expect(() => readModelDir(dir)).toThrow(InputError);
    expect(() => readModelDir(dir)).toThrow(/is missing decoder\.onnx \(the decoder graph\); export the model with: cogeval export --hf-dir/);
  });

  it('a missing config.json, a Hugging Face config without the cogeval_onnx block, a bad field', () => {
    const empty = modelCopy((d) => rmSync(join(d, 'config.json')));
    expect(() => readModelDir(empty)).toThrow(/has no config\.json; export the model with: cogeval export/);
    const hf = modelCopy((d) => editConfig(d, (c) => delete (c as Record<string, unknown>).cogeval_onnx));
    expect(() => readModelDir(hf)).toThrow(/no "cogeval_onnx" block: it is a Hugging Face config/);
    const bad = modelCopy((d) => editConfig(d, (c) => (c.cogeval_onnx.num_kv_heads = 'one')));
    expect(() => readModelDir(bad)).toThrow(/config\.json: field cogeval_onnx\.num_kv_heads must be a positive integer, got "one"/);
  });

  it('a real model without a tokenizer says where to put one (the npm fixture is only for the demo model)', () => {
    const dir = modelCopy((d) =>
      editConfig(d, (c) => {
        delete c.cogeval_onnx.tokenizer;
        c.cogeval_onnx.random_weights = false;
        c.cogeval_onnx.source = { exporter: 'tools/export/export.py' };
      }),
    );
    expect(() => readModelDir(dir)).toThrow(/has no tokenizer: .*tokenizer\.json is missing\. Copy tokenizer\.json/);
  });

  it('float16 I/O is refused as not implemented', () => {
    const dir = modelCopy((d) => editConfig(d, (c) => (c.cogeval_onnx.io_dtype = 'float16')));
    expect(() => readModelDir(dir)).toThrow(ConfigError);
    expect(() => readModelDir(dir)).toThrow(/float32 tensors only \(not implemented: float16 I\/O\)/);
  });
});

describe('graph contract at load', () => {
  it('embed_tokens.onnx in the decoder role: an error naming the file and the mismatched inputs and outputs', async () => {
    const dir = modelCopy((d) => {
      rmSync(join(d, 'decoder.onnx'));
      symlinkSync(join(TINY, 'embed_tokens.onnx'), join(d, 'decoder.onnx'));
    });
    const err = await OnnxModel.load({ modelDir: dir, threads: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/do not match the contract/);
    expect(message).toMatch(/decoder\.onnx \(the decoder graph\): missing input\(s\) inputs_embeds, vision_expert_mask, position_ids, attention_mask/);
    expect(message).toMatch(/unexpected input\(s\) input_ids/);
    expect(message).toMatch(/missing output\(s\) logits, next_token, present\.0\.key/);
  }, 60_000);

  it('a decoder exported before next_token (the greedy token inside the graph) says to re-export', async () => {
    const dir = modelCopy((d) => {
      rmSync(join(d, 'decoder.onnx'));
      writeFileSync(join(d, 'decoder.onnx'), withoutGraphOutput(readFileSync(join(TINY, 'decoder.onnx')), 'next_token'));
    });
    const err = await OnnxModel.load({ modelDir: dir, threads: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/decoder\.onnx \(the decoder graph\): missing output\(s\) next_token; no next_token output: this decoder was exported before/);
    expect(message).toMatch(/re-export the model with `cogeval export`/);
    expect(message).not.toMatch(/missing output\(s\) logits|present\./);
  }, 60_000);

  it('sizes in config.json that disagree with the graphs are named (hidden size)', async () => {
    const dir = modelCopy((d) => editConfig(d, (c) => (c.cogeval_onnx.hidden_size = 16)));
    const err = await OnnxModel.load({ modelDir: dir, threads: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/output image_embeds has dimension 2 = 8, expected 16/);
  }, 60_000);
});

describe('execution providers', () => {
  it('--ep cuda without the CUDA provider libraries: says how to install them, no fall-back', async () => {
    const err = await OnnxModel.load({ modelDir: TINY, ep: 'cuda' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    // not installed, or installed without the CUDA 13 / cuDNN 9 libraries (tests/engine/cuda-provider.test.ts covers each)
    expect((err as Error).message).toMatch(/--ep cuda: .*(cogeval providers install cuda|cannot find)/);
  }, 60_000);

  it('--ep cuda on the command line: cogeval\'s one error line, no raw onnxruntime log before it', () => {
    // The failure is provoked in a child process so that everything it writes is captured here.
    const r = spawnSync(process.execPath, ['bin/cogeval.js', 'serve', '--model-dir', TINY, '--ep', 'cuda', '--port', '0'], {
      encoding: 'utf8',
      timeout: 120_000, // one model load; generous for a loaded 2-core machine
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: --ep cuda: .*(cogeval providers install cuda|cannot find)/);
    expect(r.stderr).not.toMatch(/\[E:onnxruntime/);
  }, 180_000);

  it('onnxruntime logs only fatal messages unless --verbose (COGEVAL_VERBOSE=1)', () => {
    expect(ortLogLevel({})).toBe('fatal');
    expect(ortLogLevel({ COGEVAL_VERBOSE: '1' })).toBe('warning');
  });

  it('the Vulkan loader is looked up in LD_LIBRARY_PATH and the linker cache', () => {
    if (process.platform !== 'linux') return;
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-vk-'));
    dirs.push(dir);
    const cache = join(dir, 'ld.so.cache');
    writeFileSync(cache, Buffer.from('glibc-ld.so.cache1.1\0libm.so.6\0/usr/lib/libm.so.6\0'));
    expect(vulkanLoaderMissing({}, cache)).toBe(true);
    writeFileSync(join(dir, 'libvulkan.so.1'), '');
    expect(vulkanLoaderMissing({ LD_LIBRARY_PATH: `/nonexistent:${dir}` }, cache)).toBe(false);
    writeFileSync(cache, Buffer.from('glibc-ld.so.cache1.1\0libvulkan.so.1\0/usr/lib/x86_64-linux-gnu/libvulkan.so.1\0'));
    expect(vulkanLoaderMissing({}, cache)).toBe(false);
    expect(vulkanLoaderMissing({}, join(dir, 'no-cache'))).toBe(false); // cannot tell: onnxruntime decides
  });

  it('--ep webgpu without a Vulkan adapter: names the Vulkan requirement', async () => {
    const loaded = await OnnxModel.load({ modelDir: TINY, ep: 'webgpu' }).catch((e: unknown) => e);
    if (loaded instanceof OnnxModel) {
      // A host with a working Vulkan GPU: nothing to explain.
      await loaded.close();
      return;
    }
    expect(loaded).toBeInstanceOf(ConfigError);
    expect((loaded as Error).message).toMatch(/the webgpu execution provider is not available .*Vulkan loader/);
    // ORT's own wording for a host without an adapter
    expect(providerError('webgpu', 'vision.onnx', 'Failed to get a WebGPU adapter: No supported adapters').message).toMatch(/not available/);
  }, 60_000);

  it('an unknown provider is a usage error', async () => {
    await expect(OnnxModel.load({ modelDir: TINY, ep: 'tpu' })).rejects.toThrow(/unknown execution provider "tpu" \(--ep\); valid: cpu, cuda, webgpu/);
  });
});
