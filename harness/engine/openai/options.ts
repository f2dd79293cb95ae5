// Settings of the openai engine, their defaults and validation (what `cogeval eval --engine openai`
// maps its flags onto).
import { ConfigError } from '../../errors.js';
import { DEFAULT_API_KEY_ENV } from './api-key.js';
import { DEFAULT_BALANCER_OPTIONS, parseEndpoints, type BalancerOptions, type Endpoint } from './endpoints.js';
import { parseServerDialectId, SERVER_DIALECTS, type ServerDialect, type ServerDialectId } from './dialects.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/** `--stall-timeout` default: two minutes without a byte is a hung connection, not a slow model. */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

export interface OpenAIEngineOptions {
  /** `--endpoint URL[,URL…]`: base URLs (`http://host:port/v1` or `http://host:port`). */
  endpoints: string | readonly string[];
  /** `--server`: which server is behind the endpoints (default `openai`). */
  server?: ServerDialectId | string;
  /** The server's model id; when absent, the single model `/v1/models` lists. */
  model?: string;
  /** Requests outstanding at once across all endpoints (default 16, or the dialect's safe maximum: official-demo 1). */
  concurrency?: number;
  /** Per-attempt limit for the whole answer, streamed or not (default 600 000 ms). */
  timeoutMs?: number;
  /** An attempt that receives no byte for this long is cut and retried (default 120 000 ms; 0: never). */
  stallTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Stream (SSE) or not; default: the dialect's choice (all stream). */
  stream?: boolean;
  /** Name of the environment variable holding the API key (default `COGEVAL_API_KEY`). */
  apiKeyEnv?: string;
  balancer?: Partial<BalancerOptions>;
  /** Idle keep-alive sockets are closed after this (default 4 000 ms, or the server's hint). */
  keepAliveTimeoutMs?: number;
  /** Larger answers are refused as malformed (default 16 MiB). */
  maxResponseBytes?: number;
}

export interface ResolvedOptions {
  endpoints: Endpoint[];
  dialect: ServerDialect;
  model: string | undefined;
  concurrency: number;
  timeoutMs: number;
  stallTimeoutMs: number;
  retry: RetryPolicy;
  stream: boolean;
  apiKeyEnv: string;
  balancer: BalancerOptions;
  keepAliveTimeoutMs: number;
  maxResponseBytes: number;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${name} must be a positive integer, got ${String(value)}`);
  return v;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${name} must be a number ≥ 0, got ${String(value)}`);
  return v;
}

/** Checks every setting and fills in the defaults; throws ConfigError naming the bad setting. */
export function resolveOptions(options: OpenAIEngineOptions): ResolvedOptions {
  const dialect = SERVER_DIALECTS[parseServerDialectId(options.server ?? 'openai')];
  if (options.model !== undefined && options.model.trim() === '') throw new ConfigError('--served-model must not be empty');
  const retry: RetryPolicy = {
    maxAttempts: positiveInt('retry.maxAttempts (--retries + 1)', options.retry?.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts),
    baseDelayMs: nonNegative('retry.baseDelayMs', options.retry?.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: nonNegative('retry.maxDelayMs', options.retry?.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
    maxRetryAfterMs: nonNegative('retry.maxRetryAfterMs', options.retry?.maxRetryAfterMs, DEFAULT_RETRY_POLICY.maxRetryAfterMs),
  };
  return {
    endpoints: parseEndpoints(options.endpoints),
    dialect,
    model: options.model,
    concurrency: positiveInt('concurrency (--concurrency)', options.concurrency, dialect.safeConcurrency?.max ?? 16),
    timeoutMs: positiveInt('timeoutMs (--timeout)', options.timeoutMs, 600_000),
    stallTimeoutMs: Math.round(nonNegative('stallTimeoutMs (--stall-timeout)', options.stallTimeoutMs, DEFAULT_STALL_TIMEOUT_MS)),
    retry,
    stream: options.stream ?? dialect.stream,
    apiKeyEnv: options.apiKeyEnv ?? DEFAULT_API_KEY_ENV,
    balancer: {
      failureThreshold: positiveInt('balancer.failureThreshold', options.balancer?.failureThreshold, DEFAULT_BALANCER_OPTIONS.failureThreshold),
      cooldownMs: nonNegative('balancer.cooldownMs', options.balancer?.cooldownMs, DEFAULT_BALANCER_OPTIONS.cooldownMs),
    },
    keepAliveTimeoutMs: positiveInt('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4_000),
    maxResponseBytes: positiveInt('maxResponseBytes', options.maxResponseBytes, 16 * 1024 * 1024),
  };
}
