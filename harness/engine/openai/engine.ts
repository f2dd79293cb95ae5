// The `openai` engine: drives OpenAI-compatible CogVLM2 servers through an undici keep-alive pool
// with bounded concurrency, per-attempt timeouts, retries with back-off, streaming (TTFT) and
// fewest-outstanding balancing over several endpoints.
import { isJsonObject } from '../../util/json-guards.js';
import { Agent } from 'undici';
import { ConfigError } from '../../errors.js';
import type { ImageRef } from '../../datasets/types.js';
import { boundedGenerate } from '../bounded-generate.js';
import type { Engine, EngineFailure, EngineIdentity, EngineOutput, EngineRequest, GenerateOptions } from '../types.js';
import { ApiKey } from './api-key.js';
import { AttemptError } from './completion.js';
import { EndpointBalancer, type Endpoint } from './endpoints.js';
import { chatCompletionAttempt, type AttemptResult } from './http-attempt.js';
import { base64Of, sniffImageMime } from './image-mime.js';
import { resolveOptions, type OpenAIEngineOptions, type ResolvedOptions } from './options.js';
import { chatCompletionBody, type EncodedImage, type ServerDialect } from './dialects.js';
import { retryDelayMs } from './retry-policy.js';
import type { TokenCounter } from './token-counter.js';

/**
 * The server's output-token count when it is possible: a count at all (negative ones are dropped
 * when read), not 0 for a non-empty answer, and not above the request's limit (+1 for a counted
 * stop token). Otherwise undefined, and the tokenizer counts.
 */
function plausibleOutputTokens(count: number | undefined, text: string, maxNewTokens: number): number | undefined {
  if (count === undefined || (count === 0 && text !== '') || count > maxNewTokens + 1) return undefined;
  return count;
}

export interface OpenAIEngineDeps {
  /** Where the API key is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Counts output tokens when the server's count is missing or impossible (default: none, left absent). */
  tokenCounter?: TokenCounter;
  /** Jitter source (default Math.random). */
  random?: () => number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function imageError(message: string): AttemptError {
  return new AttemptError('image', message, false);
}

/** The images a dialect sends for a request; throws an `image` AttemptError when it cannot. */
export function selectImages(dialect: ServerDialect, request: EngineRequest): readonly ImageRef[] {
  const n = request.images.length;
  if (request.sendImage !== undefined) {
    if (!Number.isInteger(request.sendImage) || request.sendImage < 0 || request.sendImage >= n) {
      throw imageError(`sendImage ${request.sendImage} is not an index of the request's ${n} image(s)`);
    }
    return [request.images[request.sendImage]];
  }
  if (dialect.images === 'any') return request.images;
  if (n > 1) {
    throw imageError(
      `the request has ${n} images but the '${dialect.id}' server takes one per request; ` +
        'the protocol must pick one (EngineRequest.sendImage) or the sample be skipped',
    );
  }
  if (n === 0 && dialect.images === 'exactly-one') {
    throw imageError(`the '${dialect.id}' server needs exactly one image per request (it crashes on text-only requests)`);
  }
  return request.images;
}

async function encodeImage(dialect: ServerDialect, image: ImageRef): Promise<EncodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await image.bytes();
  } catch (err) {
    throw imageError(`cannot read the image at ${image.origin}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (bytes.byteLength === 0) throw imageError(`the image at ${image.origin} is empty (0 bytes)`);
  if (dialect.imageLabel === 'image/jpeg') return { mime: 'image/jpeg', base64: base64Of(bytes) };
  const mime = sniffImageMime(bytes);
  if (mime === undefined) {
    const head = Buffer.from(bytes.subarray(0, 8)).toString('hex').replace(/(..)/g, '$1 ').trim();
    throw imageError(`the image at ${image.origin} is not PNG, JPEG, GIF, WebP, BMP or TIFF (first bytes: ${head}); convert it to PNG`);
  }
  return { mime, base64: base64Of(bytes) };
}


/** A readable network failure: `ECONNREFUSED 127.0.0.1:9` rather than undici's class names. */
export function networkReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.message === 'string' && typeof cause.code === 'string') return cause.message.replace(/^connect /, '');
  if (typeof e.message === 'string' && typeof e.code === 'string') return e.message.replace(/^connect /, '');
  return String(err);
}

/** The model of a server: the only one listed (the same on every endpoint). */
function singleModel(endpoints: EngineIdentity['endpoints']): string {
  const ids = [...new Set(endpoints.flatMap((e) => e.models))];
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) throw new ConfigError('the server lists no model at /v1/models; pass --served-model NAME');
  throw new ConfigError(`the server lists several models (${ids.join(', ')}); pick one with --served-model`);
}

export class OpenAIEngine implements Engine {
  readonly kind = 'openai';
  readonly #options: ResolvedOptions;
  readonly #apiKey: ApiKey;
  readonly #agent: Agent;
  readonly #balancer: EndpointBalancer;
  readonly #random: () => number;
  readonly #tokenCounter: TokenCounter | undefined;
  #model: string | undefined;
  #modelPromise: Promise<string> | undefined;
  #closed = false;

  constructor(options: OpenAIEngineOptions, deps: OpenAIEngineDeps = {}) {
    this.#options = resolveOptions(options);
    this.#apiKey = ApiKey.fromEnv(this.#options.apiKeyEnv, deps.env ?? process.env);
    this.#random = deps.random ?? Math.random;
    this.#tokenCounter = deps.tokenCounter;
    this.#model = this.#options.model;
    this.#balancer = new EndpointBalancer(this.#options.endpoints, this.#options.balancer);
    this.#agent = new Agent({
      connections: this.#options.concurrency,
      pipelining: 1,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs,
      connect: { timeout: Math.min(this.#options.timeoutMs, 30_000) },
    });
  }

  get concurrency(): number {
    return this.#options.concurrency;
  }

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: json ? 'application/json' : 'text/event-stream, application/json' };
    if (json) headers['content-type'] = 'application/json';
    const auth = this.#apiKey.authorization();
    if (auth !== undefined) headers.authorization = auth;
    return headers;
  }

  /** The model entries one endpoint lists at `/v1/models` (retrying network errors a few times). */
  async #listEndpointModels(endpoint: Endpoint, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    let last: AttemptError | undefined;
    for (let attempt = 1; attempt <= Math.min(this.#options.retry.maxAttempts, 3); attempt++) {
      try {
        const text = await this.#getJsonText(endpoint, endpoint.modelsPath, signal);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new AttemptError('malformed', `${endpoint.host}: ${endpoint.modelsPath} did not answer JSON (is this an OpenAI-compatible server?)`, false);
        }
        const data = isJsonObject(parsed) ? parsed.data : undefined;
        if (!Array.isArray(data)) throw new AttemptError('malformed', `${endpoint.host}: ${endpoint.modelsPath} has no "data" list`, false);
        return data.filter((m): m is Record<string, unknown> => isJsonObject(m) && typeof m.id === 'string');
      } catch (err) {
        last = err instanceof AttemptError ? err : new AttemptError('network', `${endpoint.host}: ${networkReason(err)}`, true);
        if (!last.retryable || signal.aborted) break;
        await sleep(retryDelayMs(attempt - 1, this.#options.retry, last.serverWaitMs, this.#random), signal);
      }
    }
    throw new ConfigError(`cannot list the served models at ${endpoint.origin}${endpoint.modelsPath} (${this.#apiKey.redact(last?.message ?? 'no answer')}); check --endpoint and that the server is up`);
  }

  /** The model ids the first answering endpoint lists at `/v1/models`. */
  async listModels(signal: AbortSignal = new AbortController().signal): Promise<string[]> {
    const problems: string[] = [];
    for (const endpoint of this.#options.endpoints) {
      try {
        return (await this.#listEndpointModels(endpoint, signal)).map((m) => m.id as string);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    throw new ConfigError(problems.join('; '));
  }

  /**
   * Pre-flight: every endpoint answers `/v1/models` and serves the model the run will name
   * (`--served-model`, or the single model listed); a model entry with `random_weights: true`
   * (what `cogeval serve` lists for a random-weight model) marks the run as random-weight.
   */
  async identify(signal: AbortSignal = new AbortController().signal): Promise<EngineIdentity> {
    const endpoints: EngineIdentity['endpoints'] = [];
    let randomWeights = false;
    const listed: Record<string, unknown>[][] = [];
    for (const endpoint of this.#options.endpoints) {
      const models = await this.#listEndpointModels(endpoint, signal);
      listed.push(models);
      endpoints.push({ host: endpoint.host, models: models.map((m) => m.id as string) });
    }
    const model = this.#model ?? singleModel(endpoints);
    for (const [i, e] of endpoints.entries()) {
      if (!e.models.includes(model)) {
        throw new ConfigError(
          `${e.host} does not serve "${model}" (its /v1/models lists: ${e.models.join(', ') || 'nothing'}); ` +
            (this.#model !== undefined ? 'check --served-model' : 'every --endpoint must serve the same model'),
        );
      }
      if (listed[i].some((m) => m.id === model && m.random_weights === true)) randomWeights = true;
    }
    this.#model = model;
    return { model, randomWeights, contentHash: null, endpoints };
  }
  async #getJsonText(endpoint: Endpoint, path: string, signal: AbortSignal): Promise<string> {
    const response = await this.#agent.request({
      origin: endpoint.origin,
      path,
      method: 'GET',
      headers: this.#headers(true),
      signal: AbortSignal.any([signal, AbortSignal.timeout(Math.min(this.#options.timeoutMs, 30_000))]),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new AttemptError('http', `${endpoint.host}: GET ${path} answered HTTP ${response.statusCode}`, response.statusCode >= 500 || response.statusCode === 429);
    }
    return text;
  }

  /** The model id requests name: `--model`, or the only one the server lists. */
  async resolveModel(): Promise<string> {
    if (this.#model !== undefined) return this.#model;
    this.#modelPromise ??= this.listModels().then((ids) => {
      if (ids.length === 1) return ids[0];
      if (ids.length === 0) throw new ConfigError('the server lists no model at /v1/models; pass --served-model NAME');
      throw new ConfigError(`the server lists several models (${ids.join(', ')}); pick one with --served-model`);
    });
    try {
      this.#model = await this.#modelPromise;
    } catch (err) {
      this.#modelPromise = undefined;
      throw err;
    }
    return this.#model;
  }

  async *generate(requests: AsyncIterable<EngineRequest> | Iterable<EngineRequest>, options: GenerateOptions = {}): AsyncGenerator<EngineOutput, void, undefined> {
    if (this.#closed) throw new ConfigError('the openai engine was closed; create a new one');
    const model = await this.resolveModel();
    yield* boundedGenerate(requests, this.#options.concurrency, (request, signal) => this.#serve(request, model, signal), options);
  }

  /** Serves one request to the end: never rejects, always one output. */
  async #serve(request: EngineRequest, model: string, signal: AbortSignal): Promise<EngineOutput> {
    const startedAt = Date.now();
    const t0 = performance.now();
    let attempts = 0;
    let endpointHost = '';
    const finish = (fields: { result?: AttemptResult; error?: AttemptError }): EngineOutput => {
      const latencyMs = fields.result?.latencyMs ?? 0;
      const output: EngineOutput = {
        id: request.id,
        text: '',
        timings: { startedAt, latencyMs, totalMs: performance.now() - t0 },
        attempts,
        retries: Math.max(0, attempts - 1),
        endpoint: endpointHost,
      };
      const r = fields.result;
      if (r !== undefined) {
        output.text = this.#apiKey.redactGenerated(r.text);
        if (r.promptTokens !== undefined) output.promptTokens = r.promptTokens;
        const served = plausibleOutputTokens(r.outputTokens, r.text, request.generation.maxNewTokens);
        const counted = served ?? this.#tokenCounter?.count(r.text);
        if (counted !== undefined) output.outputTokens = counted;
        if (r.finishReason !== undefined) output.finishReason = r.finishReason;
        if (r.ttftMs !== undefined) output.timings.ttftMs = r.ttftMs;
        if (r.model !== undefined) output.model = r.model;
      }
      const e = fields.error;
      if (e !== undefined) {
        const message = e.kind === 'server' ? `${e.message}; ${this.#options.dialect.closedStreamHint}` : e.message;
        const failure: EngineFailure = {
          kind: e.kind,
          message: this.#apiKey.redact(attempts > 1 ? `${message} (after ${attempts} attempts)` : message),
        };
        if (e.status !== undefined) failure.status = e.status;
        output.error = failure;
      }
      return output;
    };

    const dialect = this.#options.dialect;
    let body: Buffer;
    try {
      const images = await Promise.all(selectImages(dialect, request).map((image) => encodeImage(dialect, image)));
      body = chatCompletionBody(dialect, {
        model,
        prompt: request.prompt,
        images,
        generation: request.generation,
        stop: request.stop,
        stream: this.#options.stream,
      });
    } catch (err) {
      return finish({ error: err instanceof AttemptError ? err : imageError(`cannot build the request: ${String(err)}`) });
    }

    const headers = this.#headers(true);
    if (this.#options.stream) headers.accept = 'text/event-stream, application/json';
    let lastError: AttemptError | undefined;
    for (;;) {
      if (signal.aborted) return finish({ error: new AttemptError('aborted', 'the run was cancelled before the request was answered', false) });
      const endpoint = this.#balancer.acquire();
      endpointHost = endpoint.host;
      attempts++;
      try {
        const result = await chatCompletionAttempt({
          dispatcher: this.#agent,
          endpoint,
          method: 'POST',
          path: endpoint.chatPath,
          body,
          headers,
          stream: this.#options.stream,
          timeoutMs: this.#options.timeoutMs,
          stallTimeoutMs: this.#options.stallTimeoutMs,
          signal,
          maxResponseBytes: this.#options.maxResponseBytes,
        });
        this.#balancer.release(endpoint, 'ok');
        return finish({ result });
      } catch (err) {
        const e = err instanceof AttemptError ? err : new AttemptError('network', String(err), true);
        this.#balancer.release(endpoint, e.kind === 'network' || e.kind === 'timeout' ? 'network-failure' : 'other-failure');
        lastError = e;
        if (!e.retryable || attempts >= this.#options.retry.maxAttempts || signal.aborted) break;
        await sleep(retryDelayMs(attempts - 1, this.#options.retry, e.serverWaitMs, this.#random), signal);
      }
    }
    return finish({ error: lastError });
  }

  /** Per-endpoint counters: outstanding attempts, attempts served, set aside until. */
  endpointStats(): ReturnType<EndpointBalancer['snapshot']> {
    return this.#balancer.snapshot();
  }

  describe(): Record<string, unknown> {
    const o = this.#options;
    return {
      engine: 'openai',
      server: o.dialect.id,
      endpoints: o.endpoints.map((e) => `${e.origin}${e.chatPath}`),
      model: this.#model ?? null,
      concurrency: o.concurrency,
      stream: o.stream,
      timeoutMs: o.timeoutMs,
      stallTimeoutMs: o.stallTimeoutMs,
      retry: { ...o.retry },
      ...(this.#tokenCounter ? { tokenizerForMissingCounts: this.#tokenCounter.source } : {}),
      apiKey: this.#apiKey.toJSON(),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#agent.destroy();
  }
}

/** Creates the openai engine; throws ConfigError for bad settings (before any network use). */
export function createOpenAIEngine(options: OpenAIEngineOptions, deps: OpenAIEngineDeps = {}): OpenAIEngine {
  return new OpenAIEngine(options, deps);
}
