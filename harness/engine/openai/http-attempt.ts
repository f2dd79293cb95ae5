// One HTTP attempt of a chat completion over the undici keep-alive pool: sends the body, reads the
// JSON or SSE answer, measures latency and time to first token, and classifies every failure.
import type { Dispatcher } from 'undici';
import { AttemptError, parseCompletionBody, serverErrorMessage, StreamAccumulator, type Completion } from './completion.js';
import type { Endpoint } from './endpoints.js';
import { isRetryableStatus, retryAfterMs } from './retry-policy.js';
import { SseDecoder } from './sse.js';

export interface AttemptInput {
  dispatcher: Dispatcher;
  endpoint: Endpoint;
  method: 'POST' | 'GET';
  path: string;
  body?: string | Buffer;
  /** Request headers (Authorization included); never echoed anywhere. */
  headers: Record<string, string>;
  stream: boolean;
  timeoutMs: number;
  /**
   * Cut the attempt when no byte arrives for this long (0: never): the answer's body, and for a
   * streamed request also the wait for the response headers (a non-streamed answer may be
   * silent while the server generates it; `timeoutMs` bounds that).
   */
  stallTimeoutMs: number;
  /** The run's signal: aborting ends the attempt with an `aborted` error. */
  signal: AbortSignal;
  /** Answers longer than this are refused (`malformed`). */
  maxResponseBytes: number;
}

export interface AttemptResult extends Completion {
  latencyMs: number;
  ttftMs?: number;
}

/** undici's own timers, used here as the stall timeout: no header byte / no body byte in time. */
const STALL_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The server answered 200 with an event stream and ended it before any token: its own failure. */
function closedBeforeFirstToken(where: string, detail: string): AttemptError {
  return new AttemptError(
    'server',
    `${where} the server accepted the request (HTTP 200, an event stream) and closed the stream before its first token (${detail}): a failure on the server's side, its log says why`,
    false,
  );
}

/** Network-level error codes (connection refused/reset/closed, DNS, socket errors). */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * Reads the whole body as text. More than `max` bytes is refused (`malformed`), or with
 * `truncate` the rest is read and dropped (error bodies: only their start is shown).
 */
async function readText(body: AsyncIterable<Uint8Array>, max: number, where: string, truncate = false): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.byteLength > max) {
      if (!truncate) throw new AttemptError('malformed', `${where} the answer exceeds ${max} bytes`, true);
      if (size < max) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, max - size));
      size = max;
      continue;
    }
    size += chunk.byteLength;
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Makes one attempt. Resolves with the completion, or throws AttemptError:
 * `http` (status ≥ 400; retryable for 408/409/425/429/5xx, with the server's Retry-After),
 * `timeout`, `network`, `malformed`, `empty`, `aborted`.
 */
export async function chatCompletionAttempt(input: AttemptInput): Promise<AttemptResult> {
  const where = `${input.endpoint.host}:`;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, input.timeoutMs);
  const onAbort = (): void => controller.abort(new Error('aborted'));
  if (input.signal.aborted) onAbort();
  else input.signal.addEventListener('abort', onAbort, { once: true });
  const t0 = performance.now();
  let headersAt: number | undefined;
  let response: Dispatcher.ResponseData | undefined;
  let consumed = false;
  try {
    response = await input.dispatcher.request({
      origin: input.endpoint.origin,
      path: input.path,
      method: input.method,
      headers: input.headers,
      body: input.body,
      signal: controller.signal,
      // The per-attempt timer above bounds the whole attempt; undici's idle timers are the stall
      // timeout: between body chunks, and before the headers of a streamed answer.
      headersTimeout: input.stream ? input.stallTimeoutMs : 0,
      bodyTimeout: input.stallTimeoutMs,
    });
    headersAt = performance.now();
    const status = response.statusCode;
    if (status >= 400 || status < 200) {
      const text = await readText(response.body, 16 * 1024, where, true);
      consumed = true;
      const retryable = isRetryableStatus(status);
      const wait = status === 429 || status === 503 ? retryAfterMs(response.headers) : undefined;
      throw new AttemptError('http', `${where} HTTP ${status}: ${serverErrorMessage(text)}`, retryable, status, wait);
    }
    if (!input.stream) {
      const text = await readText(response.body, input.maxResponseBytes, where);
      consumed = true;
      return { ...parseCompletionBody(text, where), latencyMs: performance.now() - t0 };
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      // A server that ignores `stream: true` answers with plain JSON: accept it.
      const text = await readText(response.body, input.maxResponseBytes, where);
      consumed = true;
      return { ...parseCompletionBody(text, where), latencyMs: performance.now() - t0 };
    }
    const decoder = new SseDecoder();
    const acc = new StreamAccumulator(where);
    let ttftMs: number | undefined;
    let size = 0;
    let payloads = 0;
    const take = (events: string[]): void => {
      for (const p of events) {
        if (acc.done) return;
        payloads++;
        if (acc.push(p) && ttftMs === undefined) ttftMs = performance.now() - t0;
      }
    };
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > input.maxResponseBytes) throw new AttemptError('malformed', `${where} the stream exceeds ${input.maxResponseBytes} bytes`, true);
        // Read on after [DONE] until the server ends the body, so the connection stays reusable.
        take(decoder.push(chunk));
      }
    } catch (err) {
      // A connection dropped after the server accepted the stream and before any token: the
      // server failed the request (the official demo does this with images it cannot read).
      if (!(err instanceof AttemptError) && !timedOut && !input.signal.aborted && ttftMs === undefined && !STALL_CODES.has(errorCode(err) ?? '')) {
        throw closedBeforeFirstToken(where, describeNetworkError(err));
      }
      throw err;
    }
    consumed = true;
    take(decoder.end());
    if (payloads === 0) throw closedBeforeFirstToken(where, 'the stream ended with no event');
    const completion = acc.finish();
    const result: AttemptResult = { ...completion, latencyMs: performance.now() - t0 };
    if (ttftMs !== undefined) result.ttftMs = ttftMs;
    return result;
  } catch (err) {
    if (timedOut) throw new AttemptError('timeout', `${where} no complete answer within ${input.timeoutMs} ms`, true);
    if (input.signal.aborted) throw new AttemptError('aborted', `${where} the run was cancelled`, false);
    if (err instanceof AttemptError) throw err;
    const code = errorCode(err);
    if (code !== undefined && STALL_CODES.has(code)) {
      const phase = headersAt === undefined ? 'before sending the response headers' : 'in the middle of the answer';
      throw new AttemptError(
        'timeout',
        `${where} stalled: no byte for ${input.stallTimeoutMs / 1000} s ${phase} (--stall-timeout); the request was cut`,
        true,
      );
    }
    throw new AttemptError('network', `${where} ${describeNetworkError(err)}`, true);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', onAbort);
    // An unread or half-read body would hold the connection: drop it.
    if (response !== undefined && !consumed && !response.body.destroyed) response.body.destroy();
  }
}
