// When to retry a failed attempt and how long to wait: status classes, full-jitter exponential
// back-off and the server's Retry-After / retry-after-ms headers.

export interface RetryPolicy {
  /** Attempts per request, the first included (1 = never retry). */
  maxAttempts: number;
  /** Back-off before retry k (0-based) is uniform in [0, min(maxDelayMs, baseDelayMs * 2^k)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a server-requested wait (Retry-After); longer requests are cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** 408 Request Timeout, 409 Conflict, 425 Too Early, 429 Too Many Requests and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || (status >= 500 && status <= 599);
}

/** Full-jitter exponential back-off for retry number `retryIndex` (0 for the first retry). */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retryIndex, 52));
  return Math.floor(random() * cap);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a response asks for, in ms: `retry-after-ms` (milliseconds, as OpenAI and Azure send
 * it) wins over `Retry-After`, which is either delay-seconds (decimals accepted) or an HTTP date.
 * Undefined when neither header is present or parseable; never negative.
 */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers['retry-after-ms'])?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headerValue(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before retry `retryIndex`: the server's request (capped) or the back-off, whichever is longer. */
export function retryDelayMs(retryIndex: number, policy: RetryPolicy, serverWaitMs: number | undefined, random: () => number = Math.random): number {
  const backoff = backoffDelayMs(retryIndex, policy, random);
  if (serverWaitMs === undefined) return backoff;
  return Math.max(Math.min(serverWaitMs, policy.maxRetryAfterMs), backoff);
}
