// Hung servers: real loopback servers that accept a request and then send nothing, or send the
// headers and one chunk and then stall; the openai engine cuts such an attempt after
// --stall-timeout (separately from the whole-attempt --timeout) and retries it.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import { resolveOptions } from '../../harness/engine/openai/options.js';
import type { EngineOutput } from '../../harness/engine/types.js';
import { main } from '../../harness/cli/main.js';

type Behaviour = (attempt: number, req: IncomingMessage, res: ServerResponse, body: { stream?: boolean }) => void;

interface TestServer {
  url: string;
  attempts: () => number;
  stop: () => Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

async function serve(behaviour: Behaviour): Promise<TestServer> {
  let attempts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'hung-model', object: 'model' }] }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => behaviour(++attempts, req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean }));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const t: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    attempts: () => attempts,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
  servers.push(t);
  return t;
}

const chunk = (content: string): string => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const finish = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;

function answerStream(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(chunk(text) + finish);
}

async function one(url: string, opts: { stallTimeoutMs: number; timeoutMs?: number; maxAttempts?: number; stream?: boolean }): Promise<{ output: EngineOutput; ms: number }> {
  const engine = createOpenAIEngine(
    { endpoints: url, concurrency: 1, timeoutMs: opts.timeoutMs ?? 60_000, stallTimeoutMs: opts.stallTimeoutMs, stream: opts.stream, retry: { maxAttempts: opts.maxAttempts ?? 3, baseDelayMs: 1, maxDelayMs: 5 } },
    { env: {} },
  );
  const t0 = performance.now();
  try {
    const outputs: EngineOutput[] = [];
    for await (const o of engine.generate([{ id: 'r1', prompt: 'hello', images: [], generation: { maxNewTokens: 8, temperature: 0, doSample: false } }])) outputs.push(o);
    return { output: outputs[0], ms: performance.now() - t0 };
  } finally {
    await engine.close();
  }
}

describe('--stall-timeout', () => {
  it('cuts a server that accepts the request and never answers, and retries it, long before --timeout', async () => {
    const s = await serve(() => {
      /* accept, read the request, send nothing */
    });
    const { output, ms } = await one(s.url, { stallTimeoutMs: 400, timeoutMs: 60_000, maxAttempts: 3 });
    expect(output.error?.kind).toBe('timeout');
    expect(output.error?.message).toMatch(/stalled: no byte for 0\.4 s before sending the response headers \(--stall-timeout\); the request was cut \(after 3 attempts\)/);
    expect(s.attempts()).toBe(3);
    // Three stalls of 0.4 s, not one 60 s timeout (bound: 3 × 0.4 s plus a loaded machine's slack).
    expect(ms).toBeLessThan(30_000);
  });

  it('cuts a stream that stalls after its headers and first chunk; the retry is answered', async () => {
    const s = await serve((attempt, _req, res) => {
      if (attempt === 1) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk('par')); // then nothing, connection held open
        return;
      }
      answerStream(res, 'the full answer');
    });
    const { output } = await one(s.url, { stallTimeoutMs: 400 });
    expect(output.error).toBeUndefined();
    expect(output.text).toBe('the full answer');
    expect(output.attempts).toBe(2);
    expect(s.attempts()).toBe(2);
  });

  it('reports a mid-stream stall as such when every attempt stalls', async () => {
    const s = await serve((_attempt, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('par'));
    });
    const { output } = await one(s.url, { stallTimeoutMs: 300, maxAttempts: 2 });
    expect(output.error?.kind).toBe('timeout');
    expect(output.error?.message).toMatch(/no byte for 0\.3 s in the middle of the answer \(--stall-timeout\)/);
  });

  it('does not cut a slow stream that keeps sending (a stall is silence, not total time)', async () => {
    const s = await serve((_attempt, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let k = 0;
      // 12 chunks 150 ms apart: 1.8 s in all, never 600 ms of silence.
      const timer = setInterval(() => {
        if (res.destroyed) {
          clearInterval(timer);
          return;
        }
        if (++k <= 12) res.write(chunk(`${k % 10}`));
        else {
          clearInterval(timer);
          res.end(finish);
        }
      }, 150);
    });
    const { output } = await one(s.url, { stallTimeoutMs: 600, maxAttempts: 1 });
    expect(output.error).toBeUndefined();
    expect(output.text).toBe('123456789012');
    expect(s.attempts()).toBe(1);
  });

  it('lets a non-streamed answer be silent while it is generated (only --timeout bounds that)', async () => {
    const s = await serve((_attempt, _req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'late but whole' }, finish_reason: 'stop' }] }));
      }, 900);
    });
    const { output } = await one(s.url, { stallTimeoutMs: 300, stream: false, maxAttempts: 1 });
    expect(output.error).toBeUndefined();
    expect(output.text).toBe('late but whole');
  });

  it('defaults to 120 s, takes 0 as off, and refuses a negative or non-numeric value', async () => {
    expect(resolveOptions({ endpoints: 'http://127.0.0.1:9/v1' }).stallTimeoutMs).toBe(120_000);
    expect(resolveOptions({ endpoints: 'http://127.0.0.1:9/v1', stallTimeoutMs: 0 }).stallTimeoutMs).toBe(0);
    expect(() => resolveOptions({ endpoints: 'http://127.0.0.1:9/v1', stallTimeoutMs: -1 })).toThrow(/stallTimeoutMs \(--stall-timeout\) must be a number ≥ 0, got -1/);
    const s = await serve((_attempt, _req, res) => answerStream(res, 'x'));
    const err: string[] = [];
    const code = await main(['eval', '--endpoint', s.url, '--stall-timeout', 'soon', '--bench', 'docvqa', '--data', 'demo', '--runs-dir', mkdtempSync(join(tmpdir(), 'cogeval-stall-'))], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/--stall-timeout/);
  });
});
