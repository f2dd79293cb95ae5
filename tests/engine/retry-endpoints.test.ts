// Retry policy (status classes, back-off, Retry-After) and endpoint parsing and balancing.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, retryAfterMs, retryDelayMs, type RetryPolicy } from '../../harness/engine/openai/retry-policy.js';
import { EndpointBalancer, parseEndpoint, parseEndpoints } from '../../harness/engine/openai/endpoints.js';
import { ConfigError } from '../../harness/errors.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('retry policy', () => {
  it('retries 408/409/425/429/5xx only', () => {
    expect([400, 401, 403, 404, 413, 422].filter(isRetryableStatus)).toEqual([]);
    expect([408, 409, 425, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
  });

  it('uses full jitter below min(max, base * 2^k)', () => {
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
  });

  it('parses Retry-After seconds, decimals, HTTP dates and retry-after-ms', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.25' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after-ms': '150', 'retry-after': '9' }, now)).toBe(150);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('waits at least what the server asked, capped by maxRetryAfterMs', () => {
    expect(retryDelayMs(0, policy, 2000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(0, policy, 60_000, () => 0.5)).toBe(5000);
    expect(retryDelayMs(4, policy, 10, () => 0.5)).toBe(500);
  });
});

describe('endpoints', () => {
  it('normalises base URLs to the chat and models routes', () => {
    expect(parseEndpoint('http://10.0.0.5:23333/v1')).toEqual({ origin: 'http://10.0.0.5:23333', host: '10.0.0.5:23333', chatPath: '/v1/chat/completions', modelsPath: '/v1/models' });
    expect(parseEndpoint('http://h:8000').chatPath).toBe('/v1/chat/completions');
    expect(parseEndpoint('https://proxy.example/api/v1/').chatPath).toBe('/api/v1/chat/completions');
    expect(parseEndpoint('http://h:8000/v1/chat/completions').modelsPath).toBe('/v1/models');
    expect(parseEndpoints('http://a:1/v1, http://b:2/v1').map((e) => e.host)).toEqual(['a:1', 'b:2']);
  });

  it('refuses credentials in URLs without echoing them, other schemes, duplicates and an empty list', () => {
    try {
      parseEndpoint('http://user:s3cretpass@h:1/v1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).not.toContain('s3cretpass');
      expect((err as Error).message).toContain('environment variable');
    }
    expect(() => parseEndpoint('ftp://h/v1')).toThrow(/only http/);
    expect(() => parseEndpoint('not a url')).toThrow(/not a URL/);
    expect(() => parseEndpoints('http://a:1/v1,http://a:1')).toThrow(/twice/);
    expect(() => parseEndpoints(' , ')).toThrow(/no --endpoint/);
  });

  it('chooses the fewest outstanding, breaking ties round-robin', () => {
    const [a, b, c] = parseEndpoints('http://a:1,http://b:1,http://c:1');
    const bal = new EndpointBalancer([a, b, c]);
    expect([bal.acquire(), bal.acquire(), bal.acquire(), bal.acquire()].map((e) => e.host)).toEqual(['a:1', 'b:1', 'c:1', 'a:1']);
    bal.release(b, 'ok');
    expect(bal.acquire().host).toBe('b:1');
    bal.release(c, 'ok');
    bal.release(a, 'ok');
    // outstanding now a 1, b 1, c 0
    expect(bal.acquire().host).toBe('c:1');
    // fewest outstanding beats the round-robin turn
    const fresh = new EndpointBalancer([a, b, c]);
    const taken = [fresh.acquire(), fresh.acquire(), fresh.acquire()];
    fresh.release(taken[2], 'ok');
    expect(fresh.acquire().host).toBe('c:1');
    fresh.release(taken[1], 'ok');
    expect(fresh.acquire().host).toBe('b:1');
    expect(fresh.snapshot().map((x) => x.outstanding)).toEqual([1, 1, 1]);
  });

  it('sets an endpoint aside after repeated network failures, and uses it again when all are set aside', () => {
    let now = 1000;
    const [a, b] = parseEndpoints('http://a:1,http://b:1');
    const bal = new EndpointBalancer([a, b], { failureThreshold: 2, cooldownMs: 500 }, () => now);
    for (let i = 0; i < 2; i++) {
      const e = bal.acquire();
      bal.release(e, e === a ? 'network-failure' : 'ok');
      const f = bal.acquire();
      bal.release(f, f === a ? 'network-failure' : 'ok');
    }
    expect(bal.snapshot()[0].setAsideUntil).toBe(1500);
    expect(new Set([bal.acquire(), bal.acquire(), bal.acquire()].map((e) => e.host))).toEqual(new Set(['b:1']));
    now = 1501;
    const hosts = [bal.acquire(), bal.acquire()].map((e) => e.host);
    expect(hosts).toContain('a:1');
    // other failures (HTTP 4xx, malformed answers) never set an endpoint aside
    const only = new EndpointBalancer([a], { failureThreshold: 1, cooldownMs: 500 }, () => now);
    only.release(only.acquire(), 'other-failure');
    expect(only.snapshot()[0].setAsideUntil).toBeNull();
    only.release(only.acquire(), 'network-failure');
    expect(only.snapshot()[0].setAsideUntil).toBe(2001);
    expect(only.acquire().host).toBe('a:1');
  });
});
