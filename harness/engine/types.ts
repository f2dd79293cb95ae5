// The engine vocabulary: what a model back-end receives (EngineRequest), what it returns
// (EngineOutput, in completion order) and the Engine interface every back-end implements.
import type { ImageRef } from '../datasets/types.js';
import type { GenerationSettings } from '../protocols/types.js';

/** One generation request: the user text, its images (read lazily) and decoding settings. */
export interface EngineRequest {
  /** The caller's id (the sample id); echoed in the output, never sent to the server. */
  id: string;
  /** The user turn (the protocol's query); servers apply the model's template themselves. */
  prompt: string;
  images: readonly ImageRef[];
  generation: GenerationSettings;
  /** Stop strings, where the server supports them. */
  stop?: readonly string[];
  /**
   * For servers that take exactly one image per request (profile `official-demo`): the index in
   * `images` of the image to send when there are several. Without it such a request fails with
   * an `image` error instead of silently dropping images.
   */
  sendImage?: number;
}

/**
 * Why a request produced no text after all its attempts.
 * - `http`: the server answered with an error status (or an error object in the stream);
 * - `timeout`: no complete answer within the per-attempt timeout;
 * - `network`: connection refused / reset / closed mid-answer;
 * - `malformed`: the answer was not the JSON (or SSE) the API specifies;
 * - `empty`: the answer had no choices;
 * - `image`: an image could not be read or cannot be sent to this server (never retried);
 * - `server`: the server accepted the request and then failed it — it closed the stream before
 *   its first token (never retried: the same request fails the same way; the message names the
 *   likely cause);
 * - `aborted`: the run was cancelled before the request finished.
 */
export type EngineErrorKind = 'http' | 'timeout' | 'network' | 'malformed' | 'empty' | 'image' | 'server' | 'aborted';

export interface EngineFailure {
  kind: EngineErrorKind;
  /** Says what went wrong with the last attempt and what to do; never contains secrets. */
  message: string;
  /** The HTTP status of the last attempt, when there was one. */
  status?: number;
}

export interface EngineTimings {
  /** Epoch milliseconds when the first attempt started. */
  startedAt: number;
  /** Milliseconds from sending the successful attempt to its first generated text (streaming only). */
  ttftMs?: number;
  /** Milliseconds the last attempt took, from sending to the end of the answer. */
  latencyMs: number;
  /** Milliseconds from the first attempt's start to the end, retries and back-off waits included. */
  totalMs: number;
}

/** The result of one request. Exactly one output per request; `error` set means `text` is ''. */
export interface EngineOutput {
  id: string;
  /** The generated text, unmodified (no stripping); '' when `error` is set. */
  text: string;
  /** Server-reported token counts (absent when the server does not report usage). */
  promptTokens?: number;
  outputTokens?: number;
  /** The server's finish reason (`stop`, `length`, …) when it reports one. */
  finishReason?: string;
  timings: EngineTimings;
  /** HTTP attempts made (1 = no retry). 0 when the request failed before sending (image errors). */
  attempts: number;
  /** attempts - 1, or 0. */
  retries: number;
  /** `host:port` of the endpoint that served the last attempt ('' when none was contacted). */
  endpoint: string;
  /** The model id the response named (its `model` field), when it named one. */
  model?: string;
  error?: EngineFailure;
}

export interface GenerateOptions {
  /** Aborting stops pulling requests; in-flight ones end with an `aborted` error output. */
  signal?: AbortSignal;
}

/** The identity an engine reports at pre-flight (before any run directory exists). */
export interface EngineIdentity {
  /** The model id requests name (openai) or the model directory's model_id (onnx). */
  model: string;
  /** Whether the model says its weights are random (`cogeval serve` of the tiny model says so at /v1/models). */
  randomWeights: boolean;
  /** onnx: sha256 (first 16 hex) over the graphs, their external data and the tokenizer; null for servers. */
  contentHash: string | null;
  /** openai: every endpoint's host and the model ids its /v1/models lists. */
  endpoints: { host: string; models: string[] }[];
  /** onnx: the model directory. */
  modelDir?: string;
}

/**
 * A model back-end. `generate` pulls requests lazily, keeps at most the engine's concurrency of
 * them outstanding (pulled but not yet taken by the consumer: back-pressure), and yields one output per request
 * in completion order. A request that fails after the engine's retries yields an output with
 * `error`; the stream itself only throws when the request source throws (after the in-flight
 * requests have been yielded) or when the engine cannot start at all (e.g. a configuration error).
 */
export interface Engine {
  /** Engine kind, e.g. `openai`. */
  readonly kind: string;
  generate(requests: AsyncIterable<EngineRequest> | Iterable<EngineRequest>, options?: GenerateOptions): AsyncIterable<EngineOutput>;
  /** Provenance for run records: settings and endpoints, never secrets. */
  describe(): Record<string, unknown>;
  /**
   * Pre-flight: what will answer (every endpoint reachable, the served model known). Throws a
   * ConfigError saying what is wrong; called before a run directory is created.
   */
  identify?(signal?: AbortSignal): Promise<EngineIdentity>;
  /** Releases connections; the engine cannot be used afterwards. */
  close(): Promise<void>;
}
