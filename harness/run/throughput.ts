// Throughput of a run session: wall time, samples/s, output tokens/s, latency and time-to-first-
// token percentiles, retries and errors (written to throughput.json and printed at the end).
import { quantileSorted } from '../metrics/stats.js';
import type { Percentiles, SessionThroughput, Throughput, ThroughputFile } from './run-format.js';


export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { p50: quantileSorted(sorted, 0.5), p90: quantileSorted(sorted, 0.9), p99: quantileSorted(sorted, 0.99), n: values.length };
}

/** Accumulates per-request facts during a session. */
export class ThroughputMeter {
  private readonly started = performance.now();
  private latencies: number[] = [];
  private ttfts: number[] = [];
  private requests = 0;
  private completed = 0;
  private errors = 0;
  private retries = 0;
  private outputTokens = 0;
  private errorsByKind: Record<string, number> = {};

  record(o: { latencyMs?: number; ttftMs?: number; retries?: number; outputTokens?: number; errorKind?: string }): void {
    this.requests++;
    this.retries += o.retries ?? 0;
    if (o.errorKind) {
      this.errors++;
      this.errorsByKind[o.errorKind] = (this.errorsByKind[o.errorKind] ?? 0) + 1;
      return;
    }
    this.completed++;
    if (o.latencyMs !== undefined) this.latencies.push(o.latencyMs);
    if (o.ttftMs !== undefined) this.ttfts.push(o.ttftMs);
    this.outputTokens += o.outputTokens ?? 0;
  }

  get done(): number {
    return this.requests;
  }
  get failed(): number {
    return this.errors;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  summary(): Throughput {
    const wall = this.elapsedSeconds();
    return {
      wallSeconds: wall,
      requests: this.requests,
      completed: this.completed,
      errors: this.errors,
      retries: this.retries,
      samplesPerSecond: wall > 0 ? this.completed / wall : 0,
      outputTokens: this.outputTokens,
      outputTokensPerSecond: wall > 0 ? this.outputTokens / wall : 0,
      latencyMs: percentiles(this.latencies),
      ttftMs: percentiles(this.ttfts),
      errorsByKind: this.errorsByKind,
    };
  }
}

/**
 * Adds a session to throughput.json's sessions (`previous`: the file as run-format.ts reads it, an
 * older file without `sessions` already counted as one) and combines the sessions that made
 * requests: counts and wall time add up, rates are totals over wall time, and the percentiles come
 * from `perSample` (every successful sample's latency/TTFT).
 */
export function combineSessions(previous: ThroughputFile | null, current: SessionThroughput, perSample: { latencyMs: number[]; ttftMs: number[] }): ThroughputFile {
  const sessions = [...(previous?.sessions ?? []), current];
  const working = sessions.filter((s) => s.requests > 0);
  const sum = (f: (s: SessionThroughput) => number): number => working.reduce((a, s) => a + f(s), 0);
  const wall = sum((s) => s.wallSeconds);
  const completed = sum((s) => s.completed);
  const outputTokens = sum((s) => s.outputTokens);
  const errorsByKind: Record<string, number> = {};
  for (const s of working) for (const [k, n] of Object.entries(s.errorsByKind)) errorsByKind[k] = (errorsByKind[k] ?? 0) + n;
  return {
    wallSeconds: wall,
    requests: sum((s) => s.requests),
    completed,
    errors: sum((s) => s.errors),
    retries: sum((s) => s.retries),
    samplesPerSecond: wall > 0 ? completed / wall : 0,
    outputTokens,
    outputTokensPerSecond: wall > 0 ? outputTokens / wall : 0,
    latencyMs: percentiles(perSample.latencyMs),
    ttftMs: percentiles(perSample.ttftMs),
    errorsByKind,
    session: working.length === 0 ? 'no session made requests' : `${working.length} session(s) with requests, from ${working[0].session}`,
    engine: current.engine,
    sessions,
  };
}
