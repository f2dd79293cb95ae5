// The openai engine against a real loopback server injecting each fault kind, timeouts, Retry-After
// and a 200-request run under 20% mixed faults.
import { describe, expect, it } from 'vitest';
import { createOpenAIEngine, type OpenAIEngine } from '../../harness/engine/openai/engine.js';
import type { OpenAIEngineOptions } from '../../harness/engine/openai/options.js';
import { defaultAnswer, startFakeOpenAIServer, type FakeOpenAIServer, type FaultKind } from '../support/fake-openai-server.js';
import { collect, request, requests, closedAfterEach } from './engine-helpers.js';

const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 5_000 };

const { servers, engines } = closedAfterEach<FakeOpenAIServer>();

async function server(options: Parameters<typeof startFakeOpenAIServer>[0]): Promise<FakeOpenAIServer> {
  const s = await startFakeOpenAIServer(options);
  servers.push(s);
  return s;
}

function engine(s: FakeOpenAIServer | string, options: Partial<OpenAIEngineOptions> = {}): OpenAIEngine {
  const e = createOpenAIEngine({ endpoints: typeof s === 'string' ? s : s.url, model: 'fake-cogvlm2', retry: FAST_RETRY, timeoutMs: 2_000, ...options }, { env: {} });
  engines.push(e);
  return e;
}

const RETRIED: [FaultKind, string][] = [
  ['http500', 'http'],
  ['http503', 'http'],
  ['http429', 'http'],
  ['reset', 'network'],
  ['hang', 'timeout'],
  ['malformed', 'malformed'],
  ['empty', 'empty'],
  ['stream-cut', 'network'],
];

describe('each fault kind', () => {
  for (const stream of [true, false]) {
    it.each(RETRIED)(`${stream ? 'streaming' : 'non-streaming'}: %s on the first attempt is retried and answered`, async (fault) => {
      const s = await server({ schedule: ({ attempt }) => (attempt === 1 ? fault : undefined) });
      const e = engine(s, { stream, timeoutMs: 150 });
      const [out] = await collect(e, [request('q1')]);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(defaultAnswer('question q1?'));
      expect(out.attempts).toBe(2);
      expect(out.retries).toBe(1);
      expect(out.endpoint).toBe(s.host);
      expect(s.requestsByKey().get('question q1?')).toBe(2);
      expect(s.log.map((r) => r.stream)).toEqual([stream, stream]);
    });

    it.each(RETRIED)(`${stream ? 'streaming' : 'non-streaming'}: %s on every attempt ends as a %s error, no text`, async (fault, kind) => {
      const s = await server({ schedule: () => fault });
      const e = engine(s, { stream, timeoutMs: 150, retry: { ...FAST_RETRY, maxAttempts: 3 } });
      const [out] = await collect(e, [request('q1')]);
      expect(out.error?.kind).toBe(kind);
      expect(out.error?.message).toContain(s.host);
      expect(out.error?.message).toContain('after 3 attempts');
      expect(out.text).toBe('');
      expect(out.attempts).toBe(3);
      expect(s.requestsByKey().get('question q1?')).toBe(3);
    });
  }

  it('fails at once on a 400 with the server message', async () => {
    const s = await server({ schedule: () => 'http400' });
    const [out] = await collect(engine(s), [request('q1')]);
    expect(out.error).toEqual({ kind: 'http', status: 400, message: `${s.host}: HTTP 400: injected bad request: max_tokens too large` });
    expect(out.attempts).toBe(1);
    expect(s.log).toHaveLength(1);
  });

  it('retries a refused connection, then reports a network error', async () => {
    const s = await server({});
    const url = s.url;
    await s.stop();
    const [out] = await collect(engine(url, { retry: { ...FAST_RETRY, maxAttempts: 2 } }), [request('q1')]);
    expect(out.error?.kind).toBe('network');
    expect(out.error?.message).toMatch(/ECONNREFUSED/);
    expect(out.attempts).toBe(2);
  });
});

describe('timeouts', () => {
  it('gives up on a hanging server after the per-attempt timeout, for each attempt', async () => {
    const s = await server({ schedule: () => 'hang' });
    const e = engine(s, { timeoutMs: 150, retry: { ...FAST_RETRY, maxAttempts: 2 } });
    const [out] = await collect(e, [request('q1')]);
    expect(out.error).toEqual({ kind: 'timeout', message: `${s.host}: no complete answer within 150 ms (after 2 attempts)` });
    expect(out.timings.totalMs).toBeGreaterThanOrEqual(300);
    expect(s.log).toHaveLength(2);
  });

  it('times out a slow answer even when the server is alive', async () => {
    const s = await server({ latencyMs: 400 });
    const [out] = await collect(engine(s, { timeoutMs: 100, retry: { ...FAST_RETRY, maxAttempts: 1 } }), [request('q1')]);
    expect(out.error?.kind).toBe('timeout');
    expect(out.attempts).toBe(1);
  });
});

describe('Retry-After', () => {
  /** The gap between the 429 the server sent and the retry it received, by the server's clock. */
  function gapMs(s: FakeOpenAIServer): number {
    const [first, second] = s.log;
    expect(first.fault).toBe('http429');
    expect(second.fault).toBeUndefined();
    return second.receivedAt - (first.respondedAt as number);
  }

  it('honours retry-after-ms', async () => {
    const s = await server({ schedule: ({ attempt }) => (attempt === 1 ? 'http429' : undefined), retryHeaders: { 'retry-after-ms': '200' } });
    const [out] = await collect(engine(s), [request('q1')]);
    expect(out.text).toBe(defaultAnswer('question q1?'));
    expect(gapMs(s)).toBeGreaterThanOrEqual(199);
  });

  it('honours Retry-After in seconds', async () => {
    const s = await server({ schedule: ({ attempt }) => (attempt === 1 ? 'http429' : undefined), retryHeaders: { 'retry-after': '1' } });
    const [out] = await collect(engine(s), [request('q1')]);
    expect(out.error).toBeUndefined();
    expect(gapMs(s)).toBeGreaterThanOrEqual(999);
  });

  it('honours Retry-After as an HTTP date', async () => {
    let until = 0;
    const s = await server({
      schedule: ({ attempt }) => (attempt === 1 ? 'http429' : undefined),
      retryHeaders: () => {
        const date = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
        until = date.getTime();
        return { 'retry-after': date.toUTCString() };
      },
    });
    const [out] = await collect(engine(s), [request('q1')]);
    expect(out.error).toBeUndefined();
    expect(s.log).toHaveLength(2);
    // The retry arrived no earlier than the date (server clock vs wall clock: allow 5 ms).
    const retryWall = Date.now() - (performance.now() - s.log[1].receivedAt);
    expect(retryWall).toBeGreaterThanOrEqual(until - 5);
  });

  it('caps a huge Retry-After at maxRetryAfterMs', async () => {
    const s = await server({ schedule: ({ attempt }) => (attempt === 1 ? 'http503' : undefined), retryHeaders: { 'retry-after': '3600' } });
    const [out] = await collect(engine(s, { retry: { ...FAST_RETRY, maxRetryAfterMs: 50 } }), [request('q1')]);
    expect(out.error).toBeUndefined();
    const gap = s.log[1].receivedAt - (s.log[0].respondedAt as number);
    expect(gap).toBeGreaterThanOrEqual(49);
    expect(gap).toBeLessThan(3_000);
  });
});

describe('a long run under faults', () => {
  it('answers each of 200 requests exactly once, correctly, under 20% mixed faults', async () => {
    const s = await server({
      latencyMs: 2,
      faults: { probability: 0.2, seed: 7, kinds: ['http500', 'http503', 'http429', 'reset', 'hang', 'malformed', 'empty', 'stream-cut'] },
      retryHeaders: { 'retry-after-ms': '5' },
    });
    const e = engine(s, { concurrency: 16, timeoutMs: 250, retry: { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 100 } });
    const reqs = requests(200);
    const outs = await collect(e, reqs);
    expect(outs).toHaveLength(200);
    expect(new Set(outs.map((o) => o.id)).size).toBe(200);
    for (const o of outs) {
      expect(o.error).toBeUndefined();
      expect(o.text).toBe(defaultAnswer(`question ${o.id}?`));
    }
    // Faults really happened and were retried; the server answered each key successfully exactly once.
    const faulted = s.log.filter((r) => r.fault !== undefined).length;
    expect(faulted).toBeGreaterThan(20);
    expect(outs.reduce((n, o) => n + o.retries, 0)).toBe(faulted);
    const answered = s.answeredByKey();
    expect(answered.size).toBe(200);
    expect([...answered.values()].every((n) => n === 1)).toBe(true);
    expect(s.stats().maxInFlight).toBeLessThanOrEqual(16);
  });
});
