// The inference core that runs inside the worker: loads the three ORT sessions, checks them
// against the graph contract, prefills one request (image → vision, ids → embeddings with the image
// rows overwritten, the decoder over the prompt in chunks) and runs greedy decoder steps over a
// left-padded batch of sequences (each step fetches the graph's next_token and the KV cache, never
// the logits). The scheduling of requests into batches is batch-loop.ts.
import { sha256Hex } from '../../util/hash.js';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ConfigError } from '../../errors.js';
import { attentionMask, disposeKv, packRows, type KvBatch, type KvLocation, type KvRow } from './batch-kv.js';
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

/** A prompt run through the decoder: its first token and its KV cache (batch 1). */
export interface Prefilled {
  token: number;
  kv: KvBatch;
  /** The last prompt position id (the first generated token takes the next one). */
  position: number;
  timings: WorkerTimings;
  /** performance.now() when the request was taken. */
  startedAt: number;
  firstLogits?: Float32Array;
}

export interface StepResult {
  /** The greedy token of each row. */
  tokens: number[];
  /** The cache grown by one column (present.* of the run). */
  kv: KvBatch;
  /** Milliseconds inside session.run (embed + decoder). */
  runMs: number;
  /** Milliseconds reading next_token. */
  argmaxMs: number;
  /** The step's logits [rows, V] when asked for. */
  logits?: Float32Array;
}

export function emptyTimings(): WorkerTimings {
  return { preprocessMs: 0, visionMs: 0, embedMs: 0, prefillMs: 0, decodeMs: 0, decodeRunMs: 0, decodeArgmaxMs: 0, decodeSteps: 0, maxBatch: 0, totalMs: 0 };
}

function metadataOf(list: readonly InferenceSession.ValueMetadata[]): IoMetadata[] {
  return list.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: m.shape } : { name: m.name, isTensor: false }));
}

function int64(values: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]);
  return out;
}

/** The greedy tokens of a decoder run over `rows` rows: its `next_token` output (int64 [rows, 1], ArgMax inside the graph). */
function nextTokens(outputs: InferenceSession.ReturnType, rows: number, vocabSize: number): number[] {
  const t = outputs[NEXT_TOKEN];
  if (t === undefined || !('data' in t) || !(t.data instanceof BigInt64Array) || t.data.length !== rows) {
    throw new RunFailure('run', `decoder.onnx returned no int64 ${NEXT_TOKEN} of shape [${rows}, 1]`);
  }
  const ids: number[] = [];
  for (const v of t.data) {
    const id = Number(v);
    if (id < 0 || id >= vocabSize) throw new RunFailure('run', `decoder.onnx returned ${NEXT_TOKEN} ${id}, outside the vocabulary (0..${vocabSize - 1})`);
    ids.push(id);
  }
  return ids;
}

function presentNames(layers: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < layers; i++) names.push(presentName(i, 'key'), presentName(i, 'value'));
  return names;
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
  readonly #pastNames: string[];
  /** Where present.* outputs stay between steps. */
  readonly kvLocation: KvLocation;
  /** What a greedy step fetches: the token and the KV cache (the logits stay inside onnxruntime). */
  readonly #stepOutputs: string[];
  /** The last prefill chunk when the caller wants the first step's logits. */
  readonly #stepOutputsWithLogits: string[];

  private constructor(ort: OrtModule, model: WorkerModelInfo, sessions: Record<GraphRole, InferenceSession>, preprocess: Preprocess, kvLocation: KvLocation) {
    this.#ort = ort;
    this.kvLocation = kvLocation;
    this.#model = model;
    this.#sessions = sessions;
    this.#preprocess = preprocess;
    this.#presentNames = presentNames(model.numLayers);
    this.#pastNames = [];
    for (let i = 0; i < model.numLayers; i++) this.#pastNames.push(pastKeyName(i, 'key'), pastKeyName(i, 'value'));
    this.#stepOutputs = [NEXT_TOKEN, ...this.#presentNames];
    this.#stepOutputsWithLogits = ['logits', ...this.#stepOutputs];
  }

  /**
   * Creates the sessions with `ep` (never another provider) and checks them against the contract.
   * With `kvLocation` gpu-buffer the decoder asks onnxruntime to keep its present.* outputs on the
   * device (WebGPU buffers) so that they are fed back as the next step's past without a host copy.
   */
  static async load(model: WorkerModelInfo, ep: ExecutionProvider, threads: number, preprocess: Preprocess, kvLocation: KvLocation = 'host'): Promise<GreedyRunner> {
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
        const sessionOptions: InferenceSession.SessionOptions =
          role === 'decoder' && kvLocation === 'gpu-buffer' ? { ...options, preferredOutputLocation: Object.fromEntries(presentNames(model.numLayers).map((n) => [n, 'gpu-buffer'])) } : options;
        try {
          session = await ort.InferenceSession.create(file, sessionOptions);
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
    return new GreedyRunner(ort, model, sessions, preprocess, kvLocation);
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

  /**
   * Image → vision, ids → embeddings (image rows overwritten), then the decoder over the prompt
   * alone (batch 1, so the first token and its logits are exactly those of an unbatched run).
   * Returns null when the request was cancelled on the way.
   */
  async prefill(req: GenerateMessage, cancelled: () => boolean): Promise<Prefilled | null> {
    const m = this.#model;
    const t0 = performance.now();
    if (req.captureFirstLogits) this.#logitsPossible();
    const timings: WorkerTimings = emptyTimings();
    const T = req.inputIds.length;
    const H = m.hiddenSize;

    let imageEmbeds: Float32Array | null = null;
    if (req.image !== null && req.imageOffset !== null) {
      const key = sha256Hex(req.image.bytes);
      imageEmbeds = this.#imageCache.get(key) ?? null;
      if (imageEmbeds === null) {
        let t = performance.now();
        const pixels = await this.#pixelValues(req.image);
        timings.preprocessMs = performance.now() - t;
        if (cancelled()) return null;
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
    let past: Tensor[] | null = null;
    const positions = int64(req.positionIds);
    const ones = new BigInt64Array(T).fill(1n);
    let out: InferenceSession.ReturnType = {};
    t = performance.now();
    try {
      for (let start = 0; start < T; ) {
        if (cancelled()) return null;
        const last = start === T - 1;
        const n = last ? 1 : Math.min(PREFILL_CHUNK, T - 1 - start);
        const feeds: Record<string, Tensor> = {
          inputs_embeds: new this.#ort.Tensor('float32', embedData.subarray(start * H, (start + n) * H), [1, n, H]),
          vision_expert_mask: new this.#ort.Tensor('bool', req.visionExpertMask.subarray(start, start + n), [1, n]),
          position_ids: new this.#ort.Tensor('int64', positions.subarray(start, start + n), [1, n]),
          attention_mask: new this.#ort.Tensor('int64', ones.subarray(0, start + n), [1, start + n]),
        };
        this.#pastNames.forEach((name, j) => (feeds[name] = past?.[j] ?? emptyPast));
        out = await this.#sessions.decoder.run(feeds, this.#prefillFetches(last, req.captureFirstLogits));
        // The previous chunk's cache is replaced: release it (a device buffer under gpu-buffer).
        if (past !== null) for (const p of past) p.dispose();
        past = this.#presentNames.map((name) => out[name] as Tensor);
        start += n;
      }
    } catch (err) {
      if (past !== null) for (const p of past) p.dispose();
      throw err;
    }
    timings.prefillMs = performance.now() - t;
    const kv: KvBatch = { tensors: past ?? [], lengths: [T], seqLen: T };

    try {
      const token = nextTokens(out, 1, m.vocabSize)[0];
      let firstLogits: Float32Array | undefined;
      if (req.captureFirstLogits) {
        const logits = float32Output(out, 'logits', 'decoder.onnx');
        // The logits of the last position (the graph may return every position or only the last).
        const V = m.vocabSize;
        const rows = logits.data.length / V;
        firstLogits = (logits.data as Float32Array).slice((rows - 1) * V, rows * V);
      }
      const prefilled: Prefilled = { token, kv, position: req.positionIds[T - 1], timings, startedAt: t0 };
      if (firstLogits !== undefined) prefilled.firstLogits = firstLogits;
      return prefilled;
    } catch (err) {
      disposeKv(kv);
      throw err;
    }
  }

  /**
   * One greedy step of every row of `kv` at once: row r feeds `tokens[r]` at position
   * `positions[r]`. Consumes `kv` (its tensors are released after the run) and returns the next
   * token of each row with the grown cache. `withLogits` also fetches the step's logits [rows, V].
   */
  async step(kv: KvBatch, tokens: readonly number[], positions: readonly number[], withLogits = false): Promise<StepResult> {
    const m = this.#model;
    const B = kv.lengths.length;
    let runMs = 0;
    let r = performance.now();
    let out: InferenceSession.ReturnType;
    try {
      if (tokens.length !== B || positions.length !== B) throw new Error(`step: ${B} rows but ${tokens.length} tokens and ${positions.length} positions`);
      if (withLogits) this.#logitsPossible();
      const embedOut = await this.#sessions.embed.run({ input_ids: new this.#ort.Tensor('int64', int64(tokens), [B, 1]) });
      runMs += performance.now() - r;
      const feeds: Record<string, Tensor> = {
        inputs_embeds: float32Output(embedOut, 'inputs_embeds', 'embed_tokens.onnx'),
        // Generated tokens are text: the language expert (vision_expert_mask false) on every row.
        vision_expert_mask: new this.#ort.Tensor('bool', new Uint8Array(B), [B, 1]),
        position_ids: new this.#ort.Tensor('int64', int64(positions), [B, 1]),
        attention_mask: new this.#ort.Tensor('int64', attentionMask(kv, 1), [B, kv.seqLen + 1]),
      };
      this.#pastNames.forEach((name, j) => (feeds[name] = kv.tensors[j]));
      r = performance.now();
      out = await this.#sessions.decoder.run(feeds, withLogits ? this.#stepOutputsWithLogits : this.#stepOutputs);
      runMs += performance.now() - r;
    } finally {
      disposeKv(kv);
    }
    const next: StepResult['kv'] = { tensors: this.#presentNames.map((name) => out[name] as Tensor), lengths: kv.lengths.map((n) => n + 1), seqLen: kv.seqLen + 1 };
    try {
      r = performance.now();
      const result: StepResult = { tokens: nextTokens(out, B, m.vocabSize), kv: next, runMs, argmaxMs: performance.now() - r };
      if (withLogits) result.logits = float32Output(out, 'logits', 'decoder.onnx').data as Float32Array;
      return result;
    } catch (err) {
      disposeKv(next);
      throw err;
    }
  }

  /**
   * What a decoder run fetches. On the host: a prefill chunk only the cache, the last chunk also
   * next_token (and the logits when asked for). With gpu-buffer outputs every run fetches the same
   * list — next_token and the cache: onnxruntime-node then runs through one I/O binding per session
   * that keeps the previous run's outputs bound by position, so a run that fetches other outputs
   * gets them under the wrong names or fails on a stale output's shape (seen with onnxruntime-node
   * 1.30 on the CPU provider).
   */
  #prefillFetches(last: boolean, withLogits: boolean): string[] {
    if (this.kvLocation === 'gpu-buffer') return this.#stepOutputs;
    return !last ? this.#presentNames : withLogits ? this.#stepOutputsWithLogits : this.#stepOutputs;
  }

  #logitsPossible(): void {
    if (this.kvLocation === 'gpu-buffer') {
      throw new RunFailure(
        'run',
        'the logits cannot be fetched while the KV cache stays on the device (gpu-buffer outputs, the --ep webgpu default): every decoder run must fetch the same outputs there; load the model with kvLocation "host" to capture logits',
      );
    }
  }

  /** The given rows as one left-padded batch (see batch-kv.ts); the sources are not released. */
  pack(rows: readonly KvRow[]): Promise<KvBatch> {
    return packRows(this.#ort, rows, { kvHeads: this.#model.numKvHeads, headDim: this.#model.headDim });
  }
}
