// `cogeval serve`'s HTTP server (node:http): OpenAI-compatible `/v1/models` and
// `/v1/chat/completions` (JSON or SSE streaming, usage in the last chunk on request) over a
// loaded onnx model; errors are OpenAI error JSON.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GenerationError, type GenerateHooks, type GenerateInput } from '../engine/onnx/model.js';
import { ApiError, parseChatRequest, type ChatRequest } from './chat-request.js';

/** What the server needs from a model (OnnxModel has it). */
export interface ChatModel {
  generate(input: GenerateInput, hooks?: GenerateHooks): Promise<{ text: string; promptTokens: number; outputTokens: number; finishReason: 'stop' | 'length' }>;
}

export interface ChatServerOptions {
  model: ChatModel;
  /** The id listed at /v1/models and accepted in requests. */
  modelId: string;
  /** Listed at /v1/models as `random_weights: true`, so clients can label the model's runs. */
  randomWeights?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Request bodies above this are refused with 413 (default 64 MiB). */
  maxBodyBytes?: number;
  /** One line per request (method, path, status, milliseconds). */
  log?: (line: string) => void;
}

export interface ChatServer {
  /** Base URL of the API, e.g. http://127.0.0.1:8000/v1 */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(e: ApiError): Record<string, unknown> {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError(413, `the request body is larger than ${limit} bytes`, null, 'request_too_large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The HTTP answer for a model failure. */
function apiErrorOf(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof GenerationError) {
    switch (err.kind) {
      case 'image':
        return new ApiError(400, err.message, 'messages', 'invalid_image');
      case 'context':
        return new ApiError(400, err.message, 'messages', 'context_length_exceeded');
      case 'request':
        return new ApiError(400, err.message, null, null);
      case 'cancelled':
        return new ApiError(503, err.message, null, 'cancelled');
      case 'engine':
        return new ApiError(500, err.message, null, 'engine_error');
    }
  }
  return new ApiError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}

class ChatHandler {
  readonly #o: ChatServerOptions;
  readonly #created = Math.floor(Date.now() / 1000);

  constructor(options: ChatServerOptions) {
    this.#o = options;
  }

  modelObject(): Record<string, unknown> {
    const entry: Record<string, unknown> = { id: this.#o.modelId, object: 'model', created: this.#created, owned_by: 'cogeval' };
    if (this.#o.randomWeights === true) entry.random_weights = true;
    return entry;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    const route = path.startsWith('/v1/') ? path.slice(3) : path;
    if (route === '/models') {
      if (req.method !== 'GET') throw new ApiError(405, `${req.method} ${path}: use GET`);
      sendJson(res, 200, { object: 'list', data: [this.modelObject()] });
      return;
    }
    if (route.startsWith('/models/')) {
      const id = decodeURIComponent(route.slice('/models/'.length));
      if (id !== this.#o.modelId) throw new ApiError(404, `the model "${id}" does not exist; this server serves "${this.#o.modelId}"`, 'model', 'model_not_found');
      sendJson(res, 200, this.modelObject());
      return;
    }
    if (route === '/chat/completions') {
      if (req.method !== 'POST') throw new ApiError(405, `${req.method} ${path}: use POST`);
      const raw = await readBody(req, this.#o.maxBodyBytes ?? 64 * 2 ** 20);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new ApiError(400, `the request body is not valid JSON: ${(err as Error).message}`, 'body');
      }
      const chat = parseChatRequest(body);
      if (chat.model !== undefined && chat.model !== this.#o.modelId) {
        throw new ApiError(404, `the model "${chat.model}" does not exist; this server serves "${this.#o.modelId}"`, 'model', 'model_not_found');
      }
      await this.#complete(chat, res);
      return;
    }
    throw new ApiError(404, `no route ${req.method} ${path}; this server answers GET /v1/models and POST /v1/chat/completions`, null, 'not_found');
  }

  async #complete(chat: ChatRequest, res: ServerResponse): Promise<void> {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = this.#o.modelId;
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
    };
    res.on('close', onClose);
    const input: GenerateInput = { query: chat.query, history: chat.history, image: chat.image, maxNewTokens: chat.maxTokens, stopStrings: chat.stop };
    try {
      if (!chat.stream) {
        const r = await this.#o.model.generate(input, { signal: controller.signal });
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: r.finishReason, logprobs: null }],
          usage: { prompt_tokens: r.promptTokens, completion_tokens: r.outputTokens, total_tokens: r.promptTokens + r.outputTokens },
        });
        return;
      }
      const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
      // Headers go out with the first text, so a bad image or a too-long prompt still gets a plain HTTP error.
      const start = (): void => {
        if (res.headersSent) return;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(chunk({ role: 'assistant', content: '' }, null));
      };
      let r;
      try {
        r = await this.#o.model.generate(input, {
          signal: controller.signal,
          onText: (delta) => {
            start();
            res.write(chunk({ content: delta }, null));
          },
        });
      } catch (err) {
        if (!res.headersSent) throw err;
        const e = apiErrorOf(err);
        if (!res.writableEnded) res.end(`data: ${JSON.stringify(errorBody(e))}\n\n`);
        return;
      }
      start();
      res.write(chunk({}, r.finishReason));
      if (chat.includeUsage) {
        const usage = { prompt_tokens: r.promptTokens, completion_tokens: r.outputTokens, total_tokens: r.promptTokens + r.outputTokens };
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
    } finally {
      res.off('close', onClose);
    }
  }
}

/** Starts the server; resolves once it listens. */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const handler = new ChatHandler(options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const t0 = performance.now();
    handler
      .handle(req, res)
      .catch((err: unknown) => {
        const e = apiErrorOf(err);
        if (!res.headersSent) sendJson(res, e.status, errorBody(e));
        else if (!res.writableEnded) res.end();
      })
      .finally(() => options.log?.(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(0)} ms`));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/v1`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
