// Endpoints: parsing `--endpoint URL[,URL…]`, and choosing the endpoint with the fewest outstanding
// requests (ties round-robin), setting aside for a while one that keeps failing at the network level.
import { ConfigError } from '../../errors.js';

export interface Endpoint {
  /** `http(s)://host:port`, for the HTTP client. */
  origin: string;
  /** `host:port`, the only form that appears in outputs and messages. */
  host: string;
  /** Path of the chat-completions route, e.g. `/v1/chat/completions`. */
  chatPath: string;
  /** Path of the model list, e.g. `/v1/models`. */
  modelsPath: string;
}

/**
 * Parses one endpoint URL. The base may end in `/v1` (as OpenAI clients expect) or be the bare
 * server (`/v1` is added). Credentials, query strings and fragments are refused: keys come only
 * from the environment.
 */
export function parseEndpoint(spec: string): Endpoint {
  const text = spec.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`--endpoint '${text}' is not a URL; expected e.g. http://127.0.0.1:23333/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--endpoint '${url.protocol}//${url.host}': only http:// and https:// are supported`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `--endpoint for ${url.host} contains credentials; remove them from the URL and put the key in an environment variable (see --api-key-env)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`--endpoint '${url.origin}${url.pathname}' must not have a query string or fragment`);
  }
  let base = url.pathname.replace(/\/+$/, '');
  if (base.endsWith('/chat/completions')) base = base.slice(0, -'/chat/completions'.length);
  if (base === '') base = '/v1';
  return { origin: url.origin, host: url.host, chatPath: `${base}/chat/completions`, modelsPath: `${base}/models` };
}

/** Parses a comma-separated list (and/or an array of such lists); duplicates are refused. */
export function parseEndpoints(specs: string | readonly string[]): Endpoint[] {
  const parts = (typeof specs === 'string' ? [specs] : specs)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new ConfigError('no --endpoint given; pass the server URL, e.g. --endpoint http://127.0.0.1:23333/v1');
  const endpoints = parts.map(parseEndpoint);
  const seen = new Set<string>();
  for (const e of endpoints) {
    const key = `${e.origin}${e.chatPath}`;
    if (seen.has(key)) throw new ConfigError(`--endpoint lists ${e.host}${e.chatPath} twice`);
    seen.add(key);
  }
  return endpoints;
}

export interface BalancerOptions {
  /** Consecutive network failures (connection refused/reset, timeouts) before an endpoint is set aside. */
  failureThreshold: number;
  /** How long it is set aside; doubled for each further failure streak, up to 16x. */
  cooldownMs: number;
}

export const DEFAULT_BALANCER_OPTIONS: Readonly<BalancerOptions> = { failureThreshold: 3, cooldownMs: 5_000 };

interface EndpointState {
  endpoint: Endpoint;
  outstanding: number;
  consecutiveFailures: number;
  strikes: number;
  coolUntil: number;
  served: number;
}

/** Picks endpoints by fewest outstanding requests; ties go round-robin. */
export class EndpointBalancer {
  readonly #states: EndpointState[];
  readonly #options: BalancerOptions;
  readonly #now: () => number;
  #cursor = 0;

  constructor(endpoints: readonly Endpoint[], options: BalancerOptions = DEFAULT_BALANCER_OPTIONS, now: () => number = Date.now) {
    if (endpoints.length === 0) throw new ConfigError('at least one endpoint is needed');
    this.#states = endpoints.map((endpoint) => ({ endpoint, outstanding: 0, consecutiveFailures: 0, strikes: 0, coolUntil: 0, served: 0 }));
    this.#options = options;
    this.#now = now;
  }

  /**
   * Takes an endpoint for one attempt (call `release` afterwards). Endpoints set aside are used
   * only when every endpoint is set aside (then the one whose pause ends first).
   */
  acquire(): Endpoint {
    const now = this.#now();
    const n = this.#states.length;
    let best: EndpointState | undefined;
    let bestIndex = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.#cursor + k) % n;
      const s = this.#states[i];
      if (s.coolUntil > now) continue;
      if (best === undefined || s.outstanding < best.outstanding) {
        best = s;
        bestIndex = i;
      }
    }
    if (best === undefined) {
      for (let i = 0; i < n; i++) {
        const s = this.#states[i];
        if (best === undefined || s.coolUntil < best.coolUntil || (s.coolUntil === best.coolUntil && s.outstanding < best.outstanding)) {
          best = s;
          bestIndex = i;
        }
      }
    }
    const chosen = best as EndpointState;
    this.#cursor = (bestIndex + 1) % n;
    chosen.outstanding++;
    chosen.served++;
    return chosen.endpoint;
  }

  /** Returns an endpoint after an attempt; `networkFailure` counts toward setting it aside. */
  release(endpoint: Endpoint, outcome: 'ok' | 'network-failure' | 'other-failure'): void {
    const s = this.#states.find((x) => x.endpoint === endpoint);
    if (s === undefined) return;
    s.outstanding = Math.max(0, s.outstanding - 1);
    if (outcome === 'ok') {
      s.consecutiveFailures = 0;
      s.strikes = 0;
      return;
    }
    if (outcome === 'other-failure') return;
    s.consecutiveFailures++;
    if (s.consecutiveFailures >= this.#options.failureThreshold) {
      s.consecutiveFailures = 0;
      s.coolUntil = this.#now() + this.#options.cooldownMs * 2 ** Math.min(s.strikes, 4);
      s.strikes++;
    }
  }

  /** Per-endpoint counters, for provenance and tests. */
  snapshot(): { host: string; outstanding: number; served: number; setAsideUntil: number | null }[] {
    const now = this.#now();
    return this.#states.map((s) => ({
      host: s.endpoint.host,
      outstanding: s.outstanding,
      served: s.served,
      setAsideUntil: s.coolUntil > now ? s.coolUntil : null,
    }));
  }
}
