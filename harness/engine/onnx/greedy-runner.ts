// The inference core that runs inside the worker: loads the three ORT sessions, checks them
// against the graph contract, and runs one request: image → vision, ids → embeddings (image rows
// overwritten), decoder prefill, then greedy decoding with the KV cache (each step fetches the
// graph's next_token and the KV cache, never the logits).
import { createHash } from 'node:crypto';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ConfigError } from '../../errors.js';
import { checkGraphIo, expectedGraphs, NEXT_TOKEN, pastKeyName, presentName, type IoMetadata } from './contract.js';
import { checkProviderPrerequisites, loadOrt, ortLogLevel, providerError, sessionOptionsFor, type ExecutionProvider, type OrtModule } from './execution-provider.js';
import { GRAPH_ROLES, type GraphRole } from './model-dir.js';
import type { FinishReason, GenerateMessage, WorkerModelInfo, WorkerTimings } from './worker-messages.js';

/** The image → CHW float32 step (Pillow-exact resize + CLIP normalisation), injected by the worker. */
export type Preprocess = (bytes: Uint8Array, origin: string, size: number) => Promise<Float32Array> | Float32Array;

/** A request failure that is the sample's fault (its image) or the runtime's. */
export class RunFailure extends Error {
  constructor(
    readonly kind: 'image' | 'run',
    message: string,
  ) {
    super(message);
    this.name = 'RunFailure';
  }
}

export interface RunHooks {
  /** Called with each generated token as soon as it is known. */
  onToken: (token: number) => void;
  /** Checked between steps: true stops the request (finish reason `cancelled`). */
  cancelled: () => boolean;
}

export interface RunResult {
  tokens: number[];
  finishReason: FinishReason;
  timings: WorkerTimings;
  firstLogits?: Float32Array;
}

function metadataOf(list: readonly InferenceSession.ValueMetadata[]): IoMetadata[] {
  return list.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: m.shape } : { name: m.name, isTensor: false }));
}

function int64(values: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** The greedy token of a decoder run: its `next_token` output (int64 [1, 1], ArgMax inside the graph). */
function nextToken(outputs: InferenceSession.ReturnType, vocabSize: number): number {
  const t = outputs[NEXT_TOKEN];
  if (t === undefined || !('data' in t) || !(t.data instanceof BigInt64Array) || t.data.length !== 1) {
    throw new RunFailure('run', `decoder.onnx returned no int64 ${NEXT_TOKEN} of shape [1, 1]`);
  }
  const id = Number(t.data[0]);
  if (id < 0 || id >= vocabSize) throw new RunFailure('run', `decoder.onnx returned ${NEXT_TOKEN} ${id}, outside the vocabulary (0..${vocabSize - 1})`);
  return id;
}

function float32Output(outputs: InferenceSession.ReturnType, name: string, graph: string): Tensor {
  const t = outputs[name];
  if (t === undefined || !('data' in t) || !(t.data instanceof Float32Array)) throw new RunFailure('run', `${graph} returned no float32 ${name}`);
  return t;
}

/**
 * The vision outputs of recently seen images, by the SHA-256 of their bytes (benchmarks ask
 * several questions about one image; the same bytes always give the same embeddings).
 */
class ImageEmbedCache {
  readonly #entries = new Map<string, Float32Array>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): Float32Array | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Float32Array): void {
    if (value.byteLength > this.maxBytes || this.#entries.has(key)) return;
    this.#entries.set(key, value);
    this.#bytes += value.byteLength;
    for (const [k, v] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= v.byteLength;
    }
  }
}

/** Default size of the image-embedding cache (about 6 images of the 19B model, thousands of the tiny one). */
export const IMAGE_CACHE_BYTES = 256 * 2 ** 20;

/** Prompt positions per prefill run: the graph still computes their 256 × V logits inside (not fetched). */
export const PREFILL_CHUNK = 256;

export class GreedyRunner {
  readonly #model: WorkerModelInfo;
  /** The onnxruntime-node the sessions come from (the CUDA install's pinned one for --ep cuda). */
  readonly #ort: OrtModule;
  readonly #sessions: Record<GraphRole, InferenceSession>;
  readonly #preprocess: Preprocess;
  readonly #imageCache = new ImageEmbedCache(IMAGE_CACHE_BYTES);
  readonly #presentNames: string[];
  /** What a greedy step fetches: the token and the KV cache (the logits stay inside onnxruntime). */
  readonly #stepOutputs: string[];
  /** The last prefill chunk when the caller wants the first step's logits. */
  readonly #stepOutputsWithLogits: string[];

  private constructor(ort: OrtModule, model: WorkerModelInfo, sessions: Record<GraphRole, InferenceSession>, preprocess: Preprocess) {
    this.#ort = ort;
    this.#model = model;
    this.#sessions = sessions;
    this.#preprocess = preprocess;
    this.#presentNames = [];
    for (let i = 0; i < model.numLayers; i++) this.#presentNames.push(presentName(i, 'key'), presentName(i, 'value'));
    this.#stepOutputs = [NEXT_TOKEN, ...this.#presentNames];
    this.#stepOutputsWithLogits = ['logits', ...this.#stepOutputs];
  }

  /** Creates the sessions with `ep` (never another provider) and checks them against the contract. */
  static async load(model: WorkerModelInfo, ep: ExecutionProvider, threads: number, preprocess: Preprocess): Promise<GreedyRunner> {
    checkProviderPrerequisites(ep, model.graphs.vision);
    const ort = await loadOrt(ep);
    // The process-wide native logger, set before onnxruntime initialises it with the first session.
    ort.env.logLevel = ortLogLevel();
    const options = sessionOptionsFor(ep, threads);
    const expected = expectedGraphs(model);
    const sessions = {} as Record<GraphRole, InferenceSession>;
    const problems: string[] = [];
    try {
      for (const role of GRAPH_ROLES) {
        const file = model.graphs[role];
        let session: InferenceSession;
        try {
          session = await ort.InferenceSession.create(file, options);
        } catch (err) {
          throw providerError(ep, file, err instanceof Error ? err.message : String(err));
        }
        sessions[role] = session;
        const found = checkGraphIo(expected[role], { inputs: metadataOf(session.inputMetadata), outputs: metadataOf(session.outputMetadata) });
        if (found.length > 0) problems.push(`${file} (the ${role} graph): ${found.join('; ')}`);
      }
    } catch (err) {
      await Promise.all(Object.values(sessions).map((s) => s.release()));
      throw err;
    }
    if (problems.length > 0) {
      await Promise.all(Object.values(sessions).map((s) => s.release()));
      throw new ConfigError(
        `the ONNX graphs in ${model.dir} do not match the contract (tools/export/CONTRACT.md):\n  ${problems.join('\n  ')}\n` +
          'Re-export the model with `cogeval export`, or check that each file holds the graph its name says.',
      );
    }
    return new GreedyRunner(ort, model, sessions, preprocess);
  }

  /** Input and output names of each session (for provenance). */
  graphNames(): Record<GraphRole, { inputs: string[]; outputs: string[] }> {
    const out = {} as Record<GraphRole, { inputs: string[]; outputs: string[] }>;
    for (const role of GRAPH_ROLES) out[role] = { inputs: [...this.#sessions[role].inputNames], outputs: [...this.#sessions[role].outputNames] };
    return out;
  }

  async release(): Promise<void> {
    await Promise.all(GRAPH_ROLES.map((r) => this.#sessions[r].release()));
  }

  async #pixelValues(image: { bytes: Uint8Array; origin: string }): Promise<Float32Array> {
    let pixels: Float32Array;
    try {
      pixels = await this.#preprocess(image.bytes, image.origin, this.#model.imageSize);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new RunFailure('image', why.startsWith(image.origin) ? why : `cannot decode the image at ${image.origin}: ${why}`);
    }
    const want = 3 * this.#model.imageSize * this.#model.imageSize;
    if (!(pixels instanceof Float32Array) || pixels.length !== want) {
      throw new RunFailure('run', `image preprocessing returned ${pixels?.length ?? 'nothing'} values for ${image.origin}, expected 3 × ${this.#model.imageSize}² = ${want}`);
    }
    return pixels;
  }

  /** Runs one request to its end (stop token, max_new_tokens, the context limit, or cancellation). */
  async run(req: GenerateMessage, hooks: RunHooks): Promise<RunResult> {
    const m = this.#model;
    const t0 = performance.now();
    const timings: WorkerTimings = { preprocessMs: 0, visionMs: 0, embedMs: 0, prefillMs: 0, decodeMs: 0, decodeRunMs: 0, decodeArgmaxMs: 0, decodeSteps: 0, totalMs: 0 };
    const finish = (tokens: number[], finishReason: FinishReason, firstLogits?: Float32Array): RunResult => {
      timings.totalMs = performance.now() - t0;
      return firstLogits === undefined ? { tokens, finishReason, timings } : { tokens, finishReason, timings, firstLogits };
    };
    const T = req.inputIds.length;
    const H = m.hiddenSize;

    let imageEmbeds: Float32Array | null = null;
    if (req.image !== null && req.imageOffset !== null) {
      const key = createHash('sha256').update(req.image.bytes).digest('hex');
      imageEmbeds = this.#imageCache.get(key) ?? null;
      if (imageEmbeds === null) {
        let t = performance.now();
        const pixels = await this.#pixelValues(req.image);
        timings.preprocessMs = performance.now() - t;
        if (hooks.cancelled()) return finish([], 'cancelled');
        t = performance.now();
        const out = await this.#sessions.vision.run({ pixel_values: new this.#ort.Tensor('float32', pixels, [1, 3, m.imageSize, m.imageSize]) });
        timings.visionMs = performance.now() - t;
        const embeds = float32Output(out, 'image_embeds', 'vision.onnx');
        if (embeds.data.length !== m.imageTokens * H) throw new RunFailure('run', `vision.onnx returned image_embeds of shape [${embeds.dims.join(', ')}], expected [1, ${m.imageTokens}, ${H}]`);
        imageEmbeds = embeds.data as Float32Array;
        this.#imageCache.set(key, imageEmbeds);
      }
    }

    let t = performance.now();
    const embedOut = await this.#sessions.embed.run({ input_ids: new this.#ort.Tensor('int64', int64(req.inputIds), [1, T]) });
    timings.embedMs = performance.now() - t;
    const embeds = float32Output(embedOut, 'inputs_embeds', 'embed_tokens.onnx');
    const embedData = embeds.data as Float32Array;
    if (embedData.length !== T * H) throw new RunFailure('run', `embed_tokens.onnx returned inputs_embeds of shape [${embeds.dims.join(', ')}], expected [1, ${T}, ${H}]`);
    if (imageEmbeds !== null && req.imageOffset !== null) embedData.set(imageEmbeds, req.imageOffset * H);

    // Prefill in chunks (the graph is causal over past + current): the logits of every position
    // would be T × V floats (1.2 GB for an image prompt), so the first T-1 positions go in chunks
    // of PREFILL_CHUNK that fetch only the KV cache, and the last position alone fetches the
    // greedy token (and its logits only when the caller asks for them).
    const emptyPast = new this.#ort.Tensor('float32', new Float32Array(0), [1, m.numKvHeads, 0, m.headDim]);
    let past: Record<string, Tensor> = {};
    for (let i = 0; i < m.numLayers; i++) {
      past[pastKeyName(i, 'key')] = emptyPast;
      past[pastKeyName(i, 'value')] = emptyPast;
    }
    const positions = int64(req.positionIds);
    // attention_mask rows for the prompt and every generated token (all ones: one sequence).
    const ones = new BigInt64Array(T + req.maxNewTokens).fill(1n);
    let out: InferenceSession.ReturnType = {};
    t = performance.now();
    for (let start = 0; start < T; ) {
      if (hooks.cancelled()) return finish([], 'cancelled');
      const last = start === T - 1;
      const n = last ? 1 : Math.min(PREFILL_CHUNK, T - 1 - start);
      const feeds: Record<string, Tensor> = {
        inputs_embeds: new this.#ort.Tensor('float32', embedData.subarray(start * H, (start + n) * H), [1, n, H]),
        vision_expert_mask: new this.#ort.Tensor('bool', req.visionExpertMask.subarray(start, start + n), [1, n]),
        position_ids: new this.#ort.Tensor('int64', positions.subarray(start, start + n), [1, n]),
        attention_mask: new this.#ort.Tensor('int64', ones.subarray(0, start + n), [1, start + n]),
        ...past,
      };
      out = await this.#sessions.decoder.run(feeds, !last ? this.#presentNames : req.captureFirstLogits ? this.#stepOutputsWithLogits : this.#stepOutputs);
      past = {};
      for (let i = 0; i < m.numLayers; i++) {
        past[pastKeyName(i, 'key')] = out[presentName(i, 'key')] as Tensor;
        past[pastKeyName(i, 'value')] = out[presentName(i, 'value')] as Tensor;
      }
      start += n;
    }
    timings.prefillMs = performance.now() - t;

    const V = m.vocabSize;
    let token = nextToken(out, V);
    let firstLogits: Float32Array | undefined;
    if (req.captureFirstLogits) {
      const logits = float32Output(out, 'logits', 'decoder.onnx');
      // The logits of the last position (the graph may return every position or only the last).
      const rows = logits.data.length / V;
      firstLogits = (logits.data as Float32Array).slice((rows - 1) * V, rows * V);
    }
    const tokens = [token];
    hooks.onToken(token);
    const stops = new Set(req.stopTokenIds);
    let position = req.positionIds[T - 1];
    let kvLength = T;

    const ids = new BigInt64Array(1);
    const mask = new Uint8Array(1);
    const pos = new BigInt64Array(1);
    const loopStart = performance.now();
    let runMs = 0;
    let argmaxMs = 0;
    let reason: FinishReason | null = null;
    for (;;) {
      if (stops.has(token)) reason = 'stop';
      else if (tokens.length >= req.maxNewTokens) reason = 'length';
      else if (position + 1 >= m.maxPositionEmbeddings) reason = 'length';
      else if (hooks.cancelled()) reason = 'cancelled';
      if (reason !== null) break;
      position++;
      ids[0] = BigInt(token);
      pos[0] = BigInt(position);
      let r = performance.now();
      const stepEmbeds = await this.#sessions.embed.run({ input_ids: new this.#ort.Tensor('int64', ids, [1, 1]) });
      runMs += performance.now() - r;
      const step: Record<string, Tensor> = {
        inputs_embeds: float32Output(stepEmbeds, 'inputs_embeds', 'embed_tokens.onnx'),
        vision_expert_mask: new this.#ort.Tensor('bool', mask, [1, 1]),
        position_ids: new this.#ort.Tensor('int64', pos, [1, 1]),
        attention_mask: new this.#ort.Tensor('int64', ones.subarray(0, kvLength + 1), [1, kvLength + 1]),
      };
      for (let i = 0; i < m.numLayers; i++) {
        step[pastKeyName(i, 'key')] = out[presentName(i, 'key')] as Tensor;
        step[pastKeyName(i, 'value')] = out[presentName(i, 'value')] as Tensor;
      }
      r = performance.now();
      out = await this.#sessions.decoder.run(step, this.#stepOutputs);
      runMs += performance.now() - r;
      kvLength++;
      r = performance.now();
      token = nextToken(out, V);
      argmaxMs += performance.now() - r;
      tokens.push(token);
      hooks.onToken(token);
      timings.decodeSteps++;
    }
    timings.decodeMs = performance.now() - loopStart;
    timings.decodeRunMs = runMs;
    timings.decodeArgmaxMs = argmaxMs;
    return finish(tokens, reason, firstLogits);
  }
}
