// Scheduling of the openai engine on loopback servers: the concurrency bound, back-pressure,
// completion order, fewest-outstanding balancing over two servers, a dead endpoint, cancellation.
import { describe, expect, it } from 'vitest';
import { createOpenAIEngine, type OpenAIEngine } from '../../harness/engine/openai/engine.js';
import type { OpenAIEngineOptions } from '../../harness/engine/openai/options.js';
import type { EngineOutput, EngineRequest } from '../../harness/engine/types.js';
import { defaultAnswer, startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from '../support/fake-openai-server.js';
import { collect, request, requests, closedAfterEach } from './engine-helpers.js';

const { servers, engines } = closedAfterEach<FakeOpenAIServer>();

async function server(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const s = await startFakeOpenAIServer(options);
  servers.push(s);
  return s;
}

function engine(endpoints: string, options: Partial<OpenAIEngineOptions> = {}): OpenAIEngine {
  const e = createOpenAIEngine({ endpoints, model: 'fake-cogvlm2', retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 }, timeoutMs: 5_000, ...options }, { env: {} });
  engines.push(e);
  return e;
}

describe('concurrency and back-pressure', () => {
  it('never has more than N requests at the server, and reaches N', async () => {
    const s = await server({ latencyMs: 20 });
    const outs = await collect(engine(s.url, { concurrency: 5 }), requests(60));
    expect(outs.every((o) => o.error === undefined)).toBe(true);
    expect(s.stats().maxInFlight).toBe(5);
    // keep-alive: no more connections than the concurrency
    expect(s.stats().connections).toBeLessThanOrEqual(5);
  });

  it('pulls at most N requests ahead of the consumer', async () => {
    const s = await server({ latencyMs: 1 });
    const e = engine(s.url, { concurrency: 4 });
    let pulled = 0;
    let yielded = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<EngineRequest> {
      for (let i = 0; i < 40; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - yielded);
        yield request(`r${i}`);
      }
    }
    for await (const out of e.generate(source())) {
      expect(out.error).toBeUndefined();
      yielded++;
      // a slow consumer: the engine must wait, not keep pulling
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(yielded).toBe(40);
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('yields in completion order, not request order', async () => {
    const s = await server({ latencyMs: 0 });
    const slowFirst = await server({ latencyMs: 150 });
    // two endpoints: the first request goes to the slow one (round-robin start), the rest finish earlier
    const e = engine(`${slowFirst.url},${s.url}`, { concurrency: 2 });
    const outs = await collect(e, requests(5));
    expect(outs[outs.length - 1].id).toBe('r0');
    expect(outs.map((o) => o.id).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });
});

describe('several endpoints', () => {
  it('splits evenly between two equal servers', async () => {
    const a = await server({ latencyMs: 5 });
    const b = await server({ latencyMs: 5 });
    const outs = await collect(engine(`${a.url},${b.url}`, { concurrency: 4 }), requests(80));
    expect(outs.every((o) => o.error === undefined)).toBe(true);
    expect(a.stats().requests + b.stats().requests).toBe(80);
    expect(Math.abs(a.stats().requests - b.stats().requests)).toBeLessThanOrEqual(8);
    expect(new Set(outs.map((o) => o.endpoint))).toEqual(new Set([a.host, b.host]));
  });

  it('sends most work to the server with fewer outstanding requests', async () => {
    const slow = await server({ latencyMs: 300 });
    const fast = await server({ latencyMs: 2 });
    const outs = await collect(engine(`${slow.url},${fast.url}`, { concurrency: 4 }), requests(60));
    expect(outs.every((o) => o.error === undefined)).toBe(true);
    // The slow server holds its first 2 requests for 300 ms while the fast one drains the rest.
    expect(slow.stats().requests).toBeGreaterThanOrEqual(1);
    expect(slow.stats().requests).toBeLessThanOrEqual(4);
    expect(fast.stats().requests).toBeGreaterThanOrEqual(56);
  });

  it('finishes every request when one endpoint is down, and sets the dead one aside', async () => {
    const dead = await server();
    const deadUrl = dead.url;
    await dead.stop();
    const live = await server({ latencyMs: 2 });
    const e = engine(`${deadUrl},${live.url}`, { concurrency: 4, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 }, balancer: { failureThreshold: 2, cooldownMs: 60_000 } });
    const outs = await collect(e, requests(50));
    expect(outs.every((o) => o.error === undefined && o.endpoint === live.host)).toBe(true);
    expect(live.stats().requests).toBe(50);
    const deadStats = e.endpointStats().find((x) => x.host !== live.host);
    expect(deadStats?.setAsideUntil).not.toBeNull();
    // only the attempts before it was set aside went to the dead endpoint
    expect(deadStats?.served).toBeLessThanOrEqual(4);
    expect(outs.reduce((n, o) => n + o.retries, 0)).toBe(deadStats?.served);
  });
});

describe('cancellation and source errors', () => {
  it('on abort: stops pulling, in-flight requests end as aborted, every pulled request gets one output', async () => {
    const s = await server({ schedule: () => 'hang' });
    const e = engine(s.url, { concurrency: 3, timeoutMs: 10_000 });
    const controller = new AbortController();
    let pulled = 0;
    function* source(): Generator<EngineRequest> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield request(`r${i}`);
      }
    }
    setTimeout(() => controller.abort(), 100);
    const outs: EngineOutput[] = [];
    for await (const o of e.generate(source(), { signal: controller.signal })) outs.push(o);
    expect(pulled).toBe(3);
    expect(outs).toHaveLength(3);
    expect(outs.every((o) => o.error?.kind === 'aborted' && o.text === '')).toBe(true);
  });

  it('yields the outputs of the requests already pulled, then throws the source error', async () => {
    const s = await server({ latencyMs: 5 });
    const e = engine(s.url, { concurrency: 2 });
    async function* source(): AsyncGenerator<EngineRequest> {
      yield request('a');
      yield request('b');
      throw new Error('dataset row 3: bad cell');
    }
    const outs: EngineOutput[] = [];
    await expect(
      (async () => {
        for await (const o of e.generate(source())) outs.push(o);
      })(),
    ).rejects.toThrow('dataset row 3: bad cell');
    expect(outs.map((o) => o.id).sort()).toEqual(['a', 'b']);
    expect(outs.every((o) => o.text === defaultAnswer(`question ${o.id}?`))).toBe(true);
  });

  it('refuses to run after close()', async () => {
    const s = await server();
    const e = engine(s.url);
    await e.close();
    await expect(collect(e, requests(1))).rejects.toThrow(/closed/);
  });
});
