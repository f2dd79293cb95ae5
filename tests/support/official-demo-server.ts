// A loopback server that behaves as THUDM/CogVLM2 basic_demo/openai_api_demo.py really does, for
// tests: model id cogvlm2-19b; only `data:image/jpeg;base64,` images are decoded — any other URL
// is fetched with requests.get, which fails after the 200 and the stream headers are sent, so the
// stream is dropped before its first token; streamed requests are generated concurrently and a
// request that arrives while another is generating crashes (IndexError in the rotary cache), its
// stream ending with no token after the streamer's timeout; CRLF SSE without [DONE],
// finish_reason or usage; non-streamed usage with a negative completion_tokens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface OfficialDemoOptions {
  /** The answer to a request's user text. */
  answer: (text: string) => string;
  /** Generation time per request (ms), so that concurrent requests overlap. */
  generateMs?: number;
  /** The streamer's timeout after a crashed generation (the real demo: 60 s). */
  streamerTimeoutMs?: number;
}

export interface OfficialDemoServer {
  url: string;
  /** Chat requests received. */
  requests: number;
  /** Most generations running at once. */
  maxConcurrent: number;
  /** Requests whose stream was dropped (image URL fetched) or crashed (concurrency). */
  dropped: number;
  crashed: number;
  stop(): Promise<void>;
}

interface Part {
  type?: string;
  text?: string;
  image_url?: { url?: string };
}

export async function startOfficialDemoServer(opts: OfficialDemoOptions): Promise<OfficialDemoServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let generating = 0;
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const state: Omit<OfficialDemoServer, 'url' | 'stop'> = { requests: 0, maxConcurrent: 0, dropped: 0, crashed: 0 };
  /** One generation: counted as in flight for generateMs, then `respond` gets the answer. */
  const generate = (text: string, respond: (answer: string) => void): void => {
    generating++;
    state.maxConcurrent = Math.max(state.maxConcurrent, generating);
    later(opts.generateMs ?? 20, () => {
      generating--;
      respond(opts.answer(text));
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'cogvlm2-19b', object: 'model', created: 0, owned_by: 'owner' }] }));
      return;
    }
    state.requests++;
    const body = JSON.parse(raw) as { stream?: boolean; messages: { role: string; content: string | Part[] }[] };
    const parts = body.messages.flatMap((m) => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content));
    const text = parts.flatMap((p) => (p.type === 'text' && p.text !== undefined ? [p.text] : [])).join(' ');
    const images = parts.flatMap((p) => (p.type === 'image_url' && p.image_url?.url !== undefined ? [p.image_url.url] : []));
    const eol = '\r\n';
    const event = (delta: Record<string, unknown>): string => `data: ${JSON.stringify({ model: 'cogvlm2-19b', id: '', object: 'chat.completion.chunk', choices: [{ index: 0, delta }] })}${eol}${eol}`;
    const unreadable = images.length > 0 && !images[images.length - 1].startsWith('data:image/jpeg;base64,');
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      // sse-starlette sends the response start before it runs the generator.
      res.flushHeaders();
      if (unreadable) {
        // requests.get(data URI) raises InvalidSchema in the generator: the connection is dropped.
        state.dropped++;
        later(5, () => req.socket.destroy());
        return;
      }
      if (generating > 0) {
        // IndexError in the rotary cache of this generation thread: no token, then the streamer times out.
        state.crashed++;
        later(opts.streamerTimeoutMs ?? 200, () => res.end());
        return;
      }
      generate(text, (answer) => {
        let out = event({ role: 'assistant', content: '' });
        for (let i = 0; i < answer.length; i += 3) out += event({ content: answer.slice(i, i + 3) });
        out += event({});
        res.end(out);
      });
      return;
    }
    if (unreadable) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
      return;
    }
    generate(text, (answer) => {
      const prompt = text.split(/\s+/).length;
      // The demo subtracts the input length, image tokens included, from a count without them.
      const usage = { prompt_tokens: prompt + 2306, completion_tokens: answer.split(/\s+/).length - 2306, total_tokens: prompt + answer.split(/\s+/).length };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'cogvlm2-19b', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }], usage }));
    });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return Object.assign(state, {
    url,
    async stop(): Promise<void> {
      for (const t of timers) clearTimeout(t);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  });
}
