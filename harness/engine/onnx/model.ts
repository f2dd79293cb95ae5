// A loaded ONNX CogVLM2 on the main thread: reads the model directory, tokenises and lays out
// prompts (template, image slots, positions, context check), hands up to maxBatch requests at a time
// to the inference worker (which decodes them as one batch), and turns their tokens into text
// (streamed deltas, stop strings).
import type { Worker } from 'node:worker_threads';
import { ConfigError, InputError } from '../../errors.js';
import { defaultKvLocation, type KvLocation } from './batch-kv.js';
import { cogvlm2PromptText, type Cogvlm2Template, type ConversationTurn } from '../../protocols/cogvlm2-template.js';
import { parseExecutionProvider, type ExecutionProvider } from './execution-provider.js';
import { buildPromptLayout, type PromptLayout } from './layout.js';
import { readModelDir, type GraphRole, type OnnxModelInfo } from './model-dir.js';
import { LlamaTokenizer, TextDeltas } from './tokenizer.js';
import type { FinishReason, FromWorker, GenerateMessage, ToWorker, WorkerTimings } from './worker-messages.js';
import { spawnInferenceWorker } from './worker-spawn.js';

export interface OnnxModelOptions {
  /** An exported model directory (config.json, vision.onnx, embed_tokens.onnx, decoder.onnx). */
  modelDir: string;
  /** Execution provider (default cpu); one that cannot be loaded is an error, never a fall-back. */
  ep?: ExecutionProvider | string;
  /** Intra-op threads of the CPU provider (default 0: onnxruntime's choice). */
  threads?: number;
  /** Sequences the worker decodes together, one decoder run per step (default 1). */
  maxBatch?: number;
  /**
   * Where the KV cache stays between decoder steps: default `gpu-buffer` with --ep webgpu (no
   * host copy per step), `host` otherwise (onnxruntime-node copies CPU and CUDA outputs to host).
   * `gpu-buffer` on the CPU provider runs the same code path with CPU tensors (tests).
   */
  kvLocation?: KvLocation;
}

export interface GenerateInput {
  /** The user turn; the model's template wraps it. */
  query: string;
  history?: readonly ConversationTurn[];
  /** Template (default: config.json template_version). */
  template?: Cogvlm2Template;
  image?: { bytes: Uint8Array; origin: string } | null;
  maxNewTokens: number;
  /** Text at which generation stops (the stop string is not part of the text). */
  stopStrings?: readonly string[];
  /** Also return the logits that chose the first generated token. */
  captureFirstLogits?: boolean;
}

export interface GenerateHooks {
  /** Text deltas as they become final; they concatenate to the result's text. */
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface GenerateResult {
  /** Generated text, special tokens skipped, not stripped. */
  text: string;
  /** Generated ids, the stop token included when there was one. */
  tokens: number[];
  promptTokens: number;
  outputTokens: number;
  finishReason: 'stop' | 'length';
  /** From handing the request to the worker to its first token. */
  ttftMs: number;
  /** From handing the request to the worker to its end. */
  latencyMs: number;
  /** Milliseconds waiting behind other requests. */
  queueMs: number;
  timings: WorkerTimings;
  firstLogits?: Float32Array;
}

/**
 * Why one request produced no text: `image` (undecodable image), `context` (prompt longer than
 * the model's positions), `request` (unsupported request), `cancelled`, `engine` (onnxruntime failed).
 */
export type GenerationErrorKind = 'image' | 'context' | 'request' | 'cancelled' | 'engine';

export class GenerationError extends Error {
  constructor(
    readonly kind: GenerationErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GenerationError';
  }
}

export interface PreparedPrompt {
  text: string;
  layout: PromptLayout;
}

/**
 * Totals over all requests (for benchmarks and the server's log), summed per request: with
 * batching a step's time counts once for each of its rows, so decodeMs can exceed the wall time.
 */
export interface DecodeStats {
  requests: number;
  outputTokens: number;
  decodeMs: number;
  decodeRunMs: number;
  decodeSteps: number;
  prefillMs: number;
  /** The most sequences decoded together in one step. */
  maxBatch: number;
}

interface Job {
  id: number;
  message: GenerateMessage;
  prompt: PreparedPrompt;
  input: GenerateInput;
  hooks: GenerateHooks;
  resolve: (r: GenerateResult) => void;
  reject: (e: GenerationError) => void;
  queuedAt: number;
  dispatchedAt: number;
  firstTokenAt: number;
  tokens: number[];
  deltas: TextDeltas | null;
  /** Set when a stop string ended the text: the text up to it. */
  stoppedText: string | null;
  /** Rejected already (cancelled while running): later worker messages are ignored. */
  rejected: boolean;
  onAbort: () => void;
}

function abortReasonText(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  return r instanceof Error ? r.message : 'the request was cancelled';
}

export class OnnxModel {
  readonly info: OnnxModelInfo;
  readonly tokenizer: LlamaTokenizer;
  readonly ep: ExecutionProvider;
  readonly threads: number;
  readonly maxBatch: number;
  readonly kvLocation: KvLocation;
  readonly graphs: Record<GraphRole, { inputs: string[]; outputs: string[] }>;
  readonly #worker: Worker;
  readonly #queue: Job[] = [];
  /** Requests handed to the worker (at most maxBatch), by id. */
  readonly #active = new Map<number, Job>();
  #nextId = 1;
  #dead: string | null = null;
  #closing: Promise<void> | null = null;
  readonly #stats: DecodeStats = { requests: 0, outputTokens: 0, decodeMs: 0, decodeRunMs: 0, decodeSteps: 0, prefillMs: 0, maxBatch: 0 };

  private constructor(
    info: OnnxModelInfo,
    tokenizer: LlamaTokenizer,
    ep: ExecutionProvider,
    threads: number,
    batching: { maxBatch: number; kvLocation: KvLocation },
    worker: Worker,
    graphs: OnnxModel['graphs'],
  ) {
    this.info = info;
    this.tokenizer = tokenizer;
    this.ep = ep;
    this.threads = threads;
    this.maxBatch = batching.maxBatch;
    this.kvLocation = batching.kvLocation;
    this.#worker = worker;
    this.graphs = graphs;
    worker.on('message', (m: FromWorker) => this.#onMessage(m));
    worker.on('error', (err) => this.#die(`the onnx worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.#die(`the onnx worker exited (code ${code})`));
  }

  /** Loads a model directory: checks its files, loads the tokenizer, starts the worker and its sessions. */
  static async load(options: OnnxModelOptions): Promise<OnnxModel> {
    const ep = parseExecutionProvider(options.ep ?? 'cpu');
    const threads = options.threads ?? 0;
    if (!Number.isInteger(threads) || threads < 0) throw new ConfigError(`--threads must be an integer ≥ 0, got ${threads}`);
    const maxBatch = options.maxBatch ?? 1;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new ConfigError(`the onnx engine's batch size (--concurrency) must be a whole number ≥ 1, got ${maxBatch}`);
    const kvLocation = options.kvLocation ?? defaultKvLocation(ep);
    const info = readModelDir(options.modelDir);
    const tokenizer = LlamaTokenizer.load(info.tokenizer);
    const worker = spawnInferenceWorker();
    const graphs = await new Promise<OnnxModel['graphs']>((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'ready') {
          cleanup();
          resolve(m.graphs);
        } else if (m.type === 'init-error') {
          cleanup();
          reject(m.kind === 'input' ? new InputError(m.message) : m.kind === 'config' ? new ConfigError(m.message) : new Error(m.message));
        }
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(new Error(`the onnx worker failed to start: ${err.message}`));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`the onnx worker exited while loading the model (code ${code})`));
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const { dir, graphs: files, numLayers, numKvHeads, headDim, hiddenSize, vocabSize, imageTokens, imageSize, maxPositionEmbeddings } = info;
      const init: ToWorker = {
        type: 'init',
        ep,
        threads,
        maxBatch,
        kvLocation,
        model: { dir, graphs: files, numLayers, numKvHeads, headDim, hiddenSize, vocabSize, imageTokens, imageSize, maxPositionEmbeddings },
      };
      worker.postMessage(init);
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    return new OnnxModel(info, tokenizer, ep, threads, { maxBatch, kvLocation }, worker, graphs);
  }

  /** The template text, its ids and the layout; throws GenerationError('context') when it does not fit. */
  prepare(input: Pick<GenerateInput, 'query' | 'history' | 'template'>, image: boolean): PreparedPrompt {
    const text = cogvlm2PromptText(input.query, input.template ?? this.info.template, input.history ?? []);
    const ids = this.tokenizer.encode(text);
    const layout = buildPromptLayout(ids, { image, imageTokens: this.info.imageTokens, bosTokenId: this.info.bosTokenId, imageTokenId: this.info.imageTokenId });
    const lastPosition = layout.positionIds[layout.positionIds.length - 1];
    if (lastPosition + 1 >= this.info.maxPositionEmbeddings) {
      throw new GenerationError(
        'context',
        `the prompt is ${layout.inputIds.length} tokens (${layout.textTokens} text tokens${image ? `, ${this.info.imageTokens} image slots` : ''}) ` +
          `and needs ${lastPosition + 1} positions, but the model has ${this.info.maxPositionEmbeddings} (max_position_embeddings) and needs one more for the answer; shorten the prompt`,
      );
    }
    return { text, layout };
  }

  /** Generates greedily; resolves with the text or rejects with a GenerationError. */
  generate(input: GenerateInput, hooks: GenerateHooks = {}): Promise<GenerateResult> {
    if (this.#dead !== null) return Promise.reject(new GenerationError('engine', this.#dead));
    if (this.#closing !== null) return Promise.reject(new GenerationError('cancelled', 'the model is closing'));
    if (!Number.isInteger(input.maxNewTokens) || input.maxNewTokens < 1) {
      return Promise.reject(new GenerationError('request', `max new tokens must be a positive integer, got ${input.maxNewTokens}`));
    }
    if (hooks.signal?.aborted) return Promise.reject(new GenerationError('cancelled', abortReasonText(hooks.signal)));
    let prompt: PreparedPrompt;
    try {
      prompt = this.prepare(input, input.image != null);
    } catch (err) {
      return Promise.reject(err instanceof GenerationError ? err : new GenerationError('request', (err as Error).message));
    }
    const id = this.#nextId++;
    const stopStrings = (input.stopStrings ?? []).filter((s) => s !== '');
    const streaming = hooks.onText !== undefined || stopStrings.length > 0;
    return new Promise<GenerateResult>((resolve, reject) => {
      const job: Job = {
        id,
        message: {
          type: 'generate',
          id,
          inputIds: prompt.layout.inputIds,
          positionIds: prompt.layout.positionIds,
          visionExpertMask: prompt.layout.visionExpertMask,
          imageOffset: prompt.layout.imageOffset,
          image: input.image ?? null,
          maxNewTokens: input.maxNewTokens,
          stopTokenIds: this.info.stopTokenIds,
          captureFirstLogits: input.captureFirstLogits === true,
        },
        prompt,
        input: { ...input, stopStrings },
        hooks,
        resolve,
        reject,
        queuedAt: performance.now(),
        dispatchedAt: 0,
        firstTokenAt: 0,
        tokens: [],
        deltas: streaming ? new TextDeltas(TextDeltas.holdBackFor(this.tokenizer, stopStrings)) : null,
        stoppedText: null,
        rejected: false,
        onAbort: () => this.#cancel(job, new GenerationError('cancelled', abortReasonText(hooks.signal))),
      };
      hooks.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#active.size < this.maxBatch && this.#dead === null) {
      const job = this.#queue.shift();
      if (job === undefined) return;
      this.#dispatch(job);
    }
  }

  #dispatch(job: Job): void {
    this.#active.set(job.id, job);
    job.dispatchedAt = performance.now();
    // Send a copy of exactly the image's bytes and transfer it (cloning a view would copy its
    // whole underlying buffer, e.g. a parquet page).
    const image = job.message.image;
    if (image === null) {
      this.#worker.postMessage(job.message satisfies ToWorker);
    } else {
      const own = image.bytes.slice();
      this.#worker.postMessage({ ...job.message, image: { bytes: own, origin: image.origin } } satisfies ToWorker, [own.buffer]);
    }
  }

  #settle(job: Job): void {
    job.hooks.signal?.removeEventListener('abort', job.onAbort);
    if (this.#active.get(job.id) === job) {
      this.#active.delete(job.id);
      this.#pump();
    }
  }

  #cancel(job: Job, error: GenerationError): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(job);
      job.reject(error);
      return;
    }
    if (this.#active.get(job.id) === job) {
      // The worker stops at its next step and answers `done` (cancelled); reject now.
      this.#worker.postMessage({ type: 'cancel', id: job.id } satisfies ToWorker);
      job.rejected = true;
      job.reject(error);
    }
  }

  #onMessage(m: FromWorker): void {
    if (!('id' in m)) return;
    const job = this.#active.get(m.id);
    if (job === undefined) return;
    if (job.rejected) {
      if (m.type !== 'token') this.#settle(job);
      return;
    }
    if (m.type === 'token') {
      if (job.firstTokenAt === 0) job.firstTokenAt = performance.now();
      // With stop strings every token is checked (the text ends at the first match); otherwise one decode per batch.
      const perToken = (job.input.stopStrings ?? []).length > 0;
      for (const t of m.tokens) {
        if (job.stoppedText !== null) break;
        job.tokens.push(t);
        if (perToken && job.deltas !== null) this.#onText(job);
      }
      if (!perToken && job.deltas !== null && job.stoppedText === null) this.#onText(job);
      return;
    }
    if (m.type === 'failed') {
      this.#settle(job);
      job.reject(new GenerationError(m.kind === 'image' ? 'image' : 'engine', m.message));
      return;
    }
    if (m.type === 'done') {
      this.#settle(job);
      this.#finish(job, m.tokens, m.finishReason, m.timings, m.firstLogits);
    }
  }

  /** Streams the new text and applies stop strings. */
  #onText(job: Job): void {
    const text = this.tokenizer.decode(job.tokens);
    let cut = -1;
    for (const s of job.input.stopStrings ?? []) {
      const at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      job.stoppedText = text.slice(0, cut);
      this.#worker.postMessage({ type: 'cancel', id: job.id } satisfies ToWorker);
      return;
    }
    const delta = job.deltas?.update(text) ?? '';
    if (delta !== '') job.hooks.onText?.(delta);
  }

  #finish(job: Job, workerTokens: number[], reason: FinishReason, timings: WorkerTimings, firstLogits: Float32Array | undefined): void {
    if (reason === 'cancelled' && job.stoppedText === null) return; // already rejected by #cancel
    const tokens = job.stoppedText !== null ? job.tokens : workerTokens;
    const text = job.stoppedText ?? this.tokenizer.decode(tokens);
    if (job.deltas !== null) {
      const { rest } = job.deltas.finish(text);
      if (rest !== '') job.hooks.onText?.(rest);
    }
    const end = performance.now();
    this.#stats.requests++;
    this.#stats.outputTokens += tokens.length;
    this.#stats.decodeMs += timings.decodeMs;
    this.#stats.decodeRunMs += timings.decodeRunMs;
    this.#stats.decodeSteps += timings.decodeSteps;
    this.#stats.prefillMs += timings.prefillMs;
    this.#stats.maxBatch = Math.max(this.#stats.maxBatch, timings.maxBatch);
    const result: GenerateResult = {
      text,
      tokens,
      promptTokens: job.prompt.layout.inputIds.length,
      outputTokens: tokens.length,
      finishReason: job.stoppedText !== null || reason === 'stop' ? 'stop' : 'length',
      ttftMs: (job.firstTokenAt || end) - job.dispatchedAt,
      latencyMs: end - job.dispatchedAt,
      queueMs: job.dispatchedAt - job.queuedAt,
      timings,
    };
    if (firstLogits !== undefined) result.firstLogits = firstLogits;
    job.resolve(result);
  }

  #die(reason: string): void {
    if (this.#dead !== null) return;
    this.#dead = this.#closing !== null ? 'the model was closed' : reason;
    const jobs = [...this.#active.values(), ...this.#queue];
    this.#active.clear();
    this.#queue.length = 0;
    for (const job of jobs) {
      job.hooks.signal?.removeEventListener('abort', job.onAbort);
      job.reject(new GenerationError(this.#closing !== null ? 'cancelled' : 'engine', this.#dead));
    }
  }

  /** Totals over the requests served so far. */
  stats(): DecodeStats {
    return { ...this.#stats };
  }

  describe(): Record<string, unknown> {
    const i = this.info;
    return {
      modelDir: i.dir,
      modelId: i.modelId,
      ep: this.ep,
      threads: this.threads,
      maxBatch: this.maxBatch,
      kvLocation: this.kvLocation,
      dtype: i.dtype,
      rope: i.rope,
      template: i.template,
      layers: i.numLayers,
      hiddenSize: i.hiddenSize,
      vocabSize: i.vocabSize,
      maxPositionEmbeddings: i.maxPositionEmbeddings,
      stopTokenIds: i.stopTokenIds,
      tokenizer: { path: i.tokenizer.json, source: i.tokenizer.source },
      randomWeights: i.randomWeights,
    };
  }

  /** Stops the worker; queued and running requests are rejected as cancelled. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#dead !== null) return;
      const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
      this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
      const timer = setTimeout(() => void this.#worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    })();
    return this.#closing;
  }
}
