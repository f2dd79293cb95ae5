// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks: deterministic
// answers, configurable latency, injected faults (5xx, 429 + Retry-After, resets, hangs, malformed
// JSON, empty choices) and a log of what it saw. Run as a child process for CPU-clean benchmarks.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

export type FaultKind =
  | 'http500'
  | 'http503'
  | 'http429'
  | 'http400'
  /** recorded (not injected) when `requireApiKey` refuses a request */
  | 'http401'
  /** socket.destroy() after reading the request */
  | 'reset'
  /** never answer (until stop()) */
  | 'hang'
  /** 200 with a truncated JSON body (or a broken SSE chunk) */
  | 'malformed'
  /** 200 with `choices: []` (stream: only a usage chunk) */
  | 'empty'
  /** stream: send the first chunk, then destroy the socket (non-stream: same as reset) */
  | 'stream-cut';

export const ALL_FAULT_KINDS: readonly FaultKind[] = ['http500', 'http503', 'http429', 'reset', 'hang', 'malformed', 'empty', 'stream-cut'];

export interface FaultContext {
  /** The request's key: the text of its user message. */
  key: string;
  /** 1 for the first request with this key, 2 for its first retry, … */
  attempt: number;
  /** Global arrival number, from 1. */
  seq: number;
}

/** Random faults: each request with probability `probability`, kind chosen uniformly; deterministic per (seed, key, attempt). */
export interface FaultPlan {
  probability: number;
  kinds: readonly FaultKind[];
  seed: number;
}

export interface FakeServerOptions {
  /** Delay before the answer (first byte), ms. */
  latencyMs?: number;
  /** The answer text for a request key (default `defaultAnswer`). */
  answer?: (key: string) => string;
  faults?: FaultPlan;
  /** Explicit faults; wins over `faults` when it returns a kind. */
  schedule?: (ctx: FaultContext) => FaultKind | undefined;
  /** Headers sent with 429 (and 503) faults, e.g. {'retry-after': '1'} or {'retry-after-ms': '200'}. */
  retryHeaders?: Record<string, string> | ((ctx: FaultContext) => Record<string, string>);
  /** Model ids at /v1/models (default ['fake-cogvlm2']). */
  models?: readonly string[];
  /** Answer 401 (echoing the presented key, as some servers do) unless `Authorization: Bearer <key>`. */
  requireApiKey?: string;
  /** Decode image data URIs and record their MIME label and sha256 (default true). */
  inspectImages?: boolean;
  /** Characters per streamed chunk (default 4). */
  chunkChars?: number;
  /** SSE flavour: `openai` (LF, finish_reason, [DONE], usage on request) or `official-demo` (CRLF, none of those). */
  streamStyle?: 'openai' | 'official-demo';
}

export interface LoggedRequest {
  seq: number;
  key: string;
  attempt: number;
  /** performance.now() of the server when the request body was complete. */
  receivedAt: number;
  /** performance.now() when the answer (or fault) was sent; undefined for hangs. */
  respondedAt?: number;
  fault?: FaultKind;
  stream: boolean;
  authorization?: string;
  body: {
    model?: unknown;
    max_tokens?: unknown;
    temperature?: unknown;
    top_p?: unknown;
    top_k?: unknown;
    stop?: unknown;
    stream_options?: unknown;
    roles: string[];
  };
  images: { label: string; sha256: string; bytes: number }[];
}

export interface FakeServerStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  connections: number;
  answered: number;
}

/** The default deterministic answer: lets a test check that an output belongs to its request. */
export function defaultAnswer(key: string): string {
  return `A:${key}`;
}

function uniform(seed: number, key: string, attempt: number): number {
  return createHash('sha256').update(`${seed}\u0000${key}\u0000${attempt}`).digest().readUInt32BE(0) / 2 ** 32;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The body as text with every `;base64,<payload>` emptied, found by byte scans: for speed when
 * images are not inspected (benchmarks), so the 100 KB payloads are never decoded or parsed.
 */
function textWithoutBase64(raw: Buffer): string {
  const marker = Buffer.from(';base64,');
  let at = raw.indexOf(marker);
  if (at === -1) return raw.toString('utf8');
  const parts: string[] = [];
  let from = 0;
  while (at !== -1) {
    const start = at + marker.length;
    const end = raw.indexOf(0x22, start);
    if (end === -1) break;
    parts.push(raw.toString('utf8', from, start));
    from = end;
    at = raw.indexOf(marker, end);
  }
  parts.push(raw.toString('utf8', from));
  return parts.join('');
}

function words(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

export class FakeOpenAIServer {
  readonly options: FakeServerOptions;
  readonly log: LoggedRequest[] = [];
  readonly #attemptsByKey = new Map<string, number>();
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | undefined;
  #seq = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #connections = 0;
  #answered = 0;
  #port = 0;

  constructor(options: FakeServerOptions = {}) {
    this.options = options;
  }

  /** `http://127.0.0.1:<port>/v1` */
  get url(): string {
    return `http://127.0.0.1:${this.#port}/v1`;
  }

  get host(): string {
    return `127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => this.#handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.#connections++;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  stats(): FakeServerStats {
    return { requests: this.#seq, inFlight: this.#inFlight, maxInFlight: this.#maxInFlight, connections: this.#connections, answered: this.#answered };
  }

  /** Requests received per key (attempts included). */
  requestsByKey(): Map<string, number> {
    return new Map(this.#attemptsByKey);
  }

  /** Requests answered successfully per key. */
  answeredByKey(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.log) if (r.fault === undefined && r.respondedAt !== undefined) m.set(r.key, (m.get(r.key) ?? 0) + 1);
    return m;
  }

  #later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    let counted = true;
    const done = (): void => {
      if (counted) {
        counted = false;
        this.#inFlight--;
      }
    };
    // 'close' fires when the answer is finished and when the connection dies before that.
    res.on('close', done);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = this.options.inspectImages === false ? textWithoutBase64(raw) : raw.toString('utf8');
      try {
        this.#route(req, res, body);
      } catch (err) {
        this.#json(res, 500, { error: { message: `fake server bug: ${String(err)}` } });
      }
    });
  }

  #json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  #route(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      const models = this.options.models ?? ['fake-cogvlm2'];
      this.#json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      this.#json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      this.#json(res, 400, { error: { message: 'request body is not JSON' } });
      return;
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.messages)) {
      this.#json(res, 400, { error: { message: 'messages missing' } });
      return;
    }
    const roles: string[] = [];
    const texts: string[] = [];
    const images: LoggedRequest['images'] = [];
    for (const m of parsed.messages as unknown[]) {
      if (!isRecord(m)) continue;
      roles.push(String(m.role));
      if (typeof m.content === 'string') texts.push(m.content);
      else if (Array.isArray(m.content)) {
        for (const part of m.content as unknown[]) {
          if (!isRecord(part)) continue;
          if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
          if (part.type === 'image_url' && isRecord(part.image_url) && typeof part.image_url.url === 'string') {
            const url = part.image_url.url;
            const match = /^data:([^;,]*);base64,/.exec(url);
            if (this.options.inspectImages === false) images.push({ label: match?.[1] ?? '', sha256: '', bytes: 0 });
            else {
              const bytes = match ? Buffer.from(url.slice(match[0].length), 'base64') : Buffer.alloc(0);
              images.push({ label: match?.[1] ?? url.slice(0, 30), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
            }
          }
        }
      }
    }
    const key = texts.join(' ');
    const attempt = (this.#attemptsByKey.get(key) ?? 0) + 1;
    this.#attemptsByKey.set(key, attempt);
    const seq = ++this.#seq;
    const stream = parsed.stream === true;
    const auth = req.headers.authorization;
    const entry: LoggedRequest = {
      seq,
      key,
      attempt,
      receivedAt: performance.now(),
      stream,
      body: {
        model: parsed.model,
        max_tokens: parsed.max_tokens,
        temperature: parsed.temperature,
        top_p: parsed.top_p,
        top_k: parsed.top_k,
        stop: parsed.stop,
        stream_options: parsed.stream_options,
        roles,
      },
      images,
    };
    if (auth !== undefined) entry.authorization = auth;
    this.log.push(entry);
    const ctx: FaultContext = { key, attempt, seq };
    const required = this.options.requireApiKey;
    if (required !== undefined && auth !== `Bearer ${required}`) {
      const presented = (auth ?? '').replace(/^Bearer /, '');
      entry.respondedAt = performance.now();
      entry.fault = 'http401';
      this.#json(res, 401, { error: { message: `Incorrect API key provided: ${presented}`, type: 'invalid_request_error' } });
      return;
    }
    let fault = this.options.schedule?.(ctx);
    const plan = this.options.faults;
    if (fault === undefined && plan !== undefined && plan.kinds.length > 0 && uniform(plan.seed, key, attempt) < plan.probability) {
      fault = plan.kinds[Math.floor(uniform(plan.seed + 1, key, attempt) * plan.kinds.length)];
    }
    if (fault !== undefined) entry.fault = fault;
    if (fault === 'hang') return;
    if (fault === 'reset') {
      entry.respondedAt = performance.now();
      req.socket.destroy();
      return;
    }
    const answer = (this.options.answer ?? defaultAnswer)(key);
    const usage = { prompt_tokens: words(key) + 2306 * images.length, completion_tokens: words(answer), total_tokens: words(key) + 2306 * images.length + words(answer) };
    this.#later(this.options.latencyMs ?? 0, () => {
      if (res.destroyed) return;
      entry.respondedAt = performance.now();
      switch (fault) {
        case 'http500':
          this.#json(res, 500, { error: { message: 'injected internal error' } });
          return;
        case 'http503':
        case 'http429': {
          const extra = typeof this.options.retryHeaders === 'function' ? this.options.retryHeaders(ctx) : (this.options.retryHeaders ?? {});
          entry.respondedAt = performance.now();
          this.#json(res, fault === 'http429' ? 429 : 503, { error: { message: `injected ${fault === 'http429' ? 'rate limit' : 'overload'}` } }, extra);
          return;
        }
        case 'http400':
          this.#json(res, 400, { error: { message: 'injected bad request: max_tokens too large' } });
          return;
        case 'malformed':
          if (stream) this.#sse(res, ['{"id": "x", "choices": [{"delta": {"content": "A'], true);
          else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"id": "chatcmpl-x", "choices": [{"message": {"content": "A');
          }
          return;
        case 'empty':
          if (stream) this.#sse(res, [JSON.stringify({ id: 'x', choices: [], usage })], true);
          else this.#json(res, 200, { id: 'chatcmpl-x', object: 'chat.completion', choices: [], usage });
          return;
        case 'stream-cut':
          if (!stream) {
            req.socket.destroy();
            return;
          }
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(`data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { role: 'assistant', content: answer.slice(0, 2) } }] })}\n\n`, () => {
            req.socket.destroy();
          });
          return;
        default:
          this.#answered++;
          if (stream) this.#streamAnswer(res, answer, usage, isRecord(parsed) && isRecord(parsed.stream_options) && parsed.stream_options.include_usage === true, isRecord(parsed) ? parsed.model : undefined);
          else {
            this.#json(res, 200, {
              id: `chatcmpl-${seq}`,
              object: 'chat.completion',
              model: isRecord(parsed) ? parsed.model : undefined,
              choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
              usage,
            });
          }
      }
    });
  }

  #sse(res: ServerResponse, payloads: string[], done: boolean): void {
    const eol = this.options.streamStyle === 'official-demo' ? '\r\n' : '\n';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let text = payloads.map((p) => `data: ${p}${eol}${eol}`).join('');
    if (done && this.options.streamStyle !== 'official-demo') text += `data: [DONE]${eol}${eol}`;
    // One write: the events arrive in one or a few TCP segments, as from a server that buffers.
    res.end(text);
  }

  #streamAnswer(res: ServerResponse, answer: string, usage: Record<string, number>, includeUsage: boolean, model?: unknown): void {
    const demo = this.options.streamStyle === 'official-demo';
    const size = Math.max(1, this.options.chunkChars ?? 4);
    // The first chunk names the model, as OpenAI-compatible servers do in every chunk.
    const payloads: string[] = [JSON.stringify({ id: 'x', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta: { role: 'assistant' } }] })];
    for (let i = 0; i < answer.length; i += size) {
      payloads.push(JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: answer.slice(i, i + size) } }] }));
    }
    if (demo) payloads.push(JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {} }] }));
    else payloads.push(JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    if (includeUsage && !demo) payloads.push(JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [], usage }));
    this.#sse(res, payloads, true);
  }
}

/** Starts a server; remember to `await server.stop()`. */
export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  return new FakeOpenAIServer(options).start();
}

/** Environment variable carrying the JSON options (serialisable subset) of a child-process server. */
export const FAKE_SERVER_OPTIONS_ENV = 'COGEVAL_FAKE_SERVER_OPTIONS';

/** Messages from a child-process server; `cpuUs` is the child's own CPU time (user + system) so far. */
export type ChildMessage = { type: 'ready'; url: string } | { type: 'stats'; stats: FakeServerStats; cpuUs: number };

/**
 * Child-process mode (`child_process.fork` of this file's compiled JS): starts a server with the
 * options in $COGEVAL_FAKE_SERVER_OPTIONS, sends {type:'ready', url}, answers {type:'stats'} with
 * the stats, and stops when the parent disconnects.
 */
async function runAsChild(): Promise<void> {
  const options = JSON.parse(process.env[FAKE_SERVER_OPTIONS_ENV] ?? '{}') as FakeServerOptions;
  const server = await startFakeOpenAIServer(options);
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('fake-openai-server child mode needs an IPC channel (child_process.fork)');
  process.on('message', (m: unknown) => {
    if (isRecord(m) && m.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', stats: server.stats(), cpuUs: cpu.user + cpu.system } satisfies ChildMessage);
    }
  });
  process.on('disconnect', () => {
    void server.stop().then(() => process.exit(0));
  });
  send({ type: 'ready', url: server.url } satisfies ChildMessage);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.send !== undefined) {
  void runAsChild();
}
