// The `onnx` engine: an exported CogVLM2 run in-process with onnxruntime-node (inference in a
// worker thread), greedy decoding with up to --concurrency requests batched; every failure of a
// request becomes that request's output.
import { ConfigError } from '../../errors.js';
import { boundedGenerate } from '../bounded-generate.js';
import type { Engine, EngineErrorKind, EngineIdentity, EngineOutput, EngineRequest, GenerateOptions } from '../types.js';
import type { Cogvlm2Template } from '../../protocols/cogvlm2-template.js';
import { modelDirContentHash } from '../../run/identity.js';
import { GenerationError, OnnxModel, type DecodeStats, type GenerateResult, type OnnxModelOptions } from './model.js';

export interface OnnxEngineOptions extends OnnxModelOptions {
  /**
   * Requests in flight (default 1). createOnnxEngine also makes it the model's batch size
   * (maxBatch, unless given): up to this many requests decode together, one decoder run per step.
   */
  concurrency?: number;
  /** Caps every request's max new tokens (the demo run's bound on random-weight babble). */
  maxNewTokensCap?: number;
  /** The template every prompt is wrapped in (the run's); default: config.json template_version. */
  template?: Cogvlm2Template;
}

/** EngineOutput error kinds for the model's failures (the engine vocabulary has no `context`/`engine` kinds). */
function engineKind(kind: GenerationError['kind']): EngineErrorKind {
  switch (kind) {
    case 'image':
      return 'image';
    case 'cancelled':
      return 'aborted';
    default:
      return 'malformed';
  }
}

export class OnnxEngine implements Engine {
  readonly kind = 'onnx';
  readonly model: OnnxModel;
  readonly #concurrency: number;
  readonly #cap: number | undefined;
  readonly #template: Cogvlm2Template;
  #closed = false;

  constructor(model: OnnxModel, options: Pick<OnnxEngineOptions, 'concurrency' | 'maxNewTokensCap' | 'template'> = {}) {
    this.#template = options.template ?? model.info.template;
    this.model = model;
    this.#concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) throw new ConfigError(`concurrency must be a positive integer, got ${options.concurrency}`);
    this.#cap = options.maxNewTokensCap;
    if (this.#cap !== undefined && (!Number.isInteger(this.#cap) || this.#cap < 1)) throw new ConfigError(`maxNewTokensCap must be a positive integer, got ${this.#cap}`);
  }

  async *generate(requests: AsyncIterable<EngineRequest> | Iterable<EngineRequest>, options: GenerateOptions = {}): AsyncGenerator<EngineOutput, void, undefined> {
    if (this.#closed) throw new ConfigError('the onnx engine was closed; create a new one');
    yield* boundedGenerate(requests, this.#concurrency, (request, signal) => this.#serve(request, signal), options);
  }

  /** Serves one request: never rejects, always one output. */
  async #serve(request: EngineRequest, signal: AbortSignal): Promise<EngineOutput> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const output = (fields: { result?: GenerateResult; error?: { kind: EngineErrorKind; message: string } }): EngineOutput => {
      const r = fields.result;
      const out: EngineOutput = {
        id: request.id,
        text: r?.text ?? '',
        timings: { startedAt, latencyMs: r?.latencyMs ?? 0, totalMs: performance.now() - t0 },
        attempts: r !== undefined ? 1 : 0,
        retries: 0,
        endpoint: 'in-process',
      };
      if (r !== undefined) {
        out.promptTokens = r.promptTokens;
        out.outputTokens = r.outputTokens;
        out.finishReason = r.finishReason;
        out.timings.ttftMs = r.ttftMs;
      }
      if (fields.error !== undefined) out.error = fields.error;
      return out;
    };

    if (request.generation.doSample) {
      return output({
        error: { kind: 'malformed', message: 'the onnx engine decodes greedily only, but this request asks for sampling; run with --decoding greedy' },
      });
    }
    let image: { bytes: Uint8Array; origin: string } | null = null;
    if (request.images.length > 0) {
      // CogVLM2 takes one image per conversation: the chosen one, else the first (cogvlm2.md §2.1).
      const index = request.sendImage ?? 0;
      const ref = request.images[index];
      if (ref === undefined) return output({ error: { kind: 'image', message: `sendImage ${index} is not an index of the request's ${request.images.length} image(s)` } });
      try {
        image = { bytes: await ref.bytes(), origin: ref.origin };
      } catch (err) {
        return output({ error: { kind: 'image', message: `cannot read the image at ${ref.origin}: ${(err as Error).message}` } });
      }
    }
    const maxNewTokens = this.#cap !== undefined ? Math.min(this.#cap, request.generation.maxNewTokens) : request.generation.maxNewTokens;
    try {
      const result = await this.model.generate({ query: request.prompt, template: this.#template, image, maxNewTokens, stopStrings: request.stop }, { signal });
      return output({ result });
    } catch (err) {
      if (err instanceof GenerationError) return output({ error: { kind: engineKind(err.kind), message: err.message } });
      return output({ error: { kind: 'malformed', message: `the onnx engine failed: ${err instanceof Error ? err.message : String(err)}` } });
    }
  }

  /** Decode totals so far (time inside and outside session.run). */
  stats(): DecodeStats {
    return this.model.stats();
  }

  /** The model directory's model_id, random_weights and content hash (graphs, external data, tokenizer). */
  async identify(): Promise<EngineIdentity> {
    const info = this.model.info;
    return { model: info.modelId, randomWeights: info.randomWeights, contentHash: await modelDirContentHash(info), endpoints: [], modelDir: info.dir };
  }

  describe(): Record<string, unknown> {
    return { engine: 'onnx', concurrency: this.#concurrency, maxNewTokensCap: this.#cap ?? null, ...this.model.describe(), template: this.#template };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.model.close();
  }
}

/** Loads the model (worker and sessions included) and returns the engine; throws ConfigError/InputError when it cannot start. */
export async function createOnnxEngine(options: OnnxEngineOptions): Promise<OnnxEngine> {
  const model = await OnnxModel.load({ ...options, maxBatch: options.maxBatch ?? options.concurrency ?? 1 });
  try {
    return new OnnxEngine(model, options);
  } catch (err) {
    await model.close();
    throw err;
  }
}
