// Throughput of a run session: wall time, samples/s, output tokens/s, latency and time-to-first-
// token percentiles, retries and errors (written to throughput.json and printed at the end).
import { quantileSorted } from '../metrics/stats.js';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  n: number;
}

export interface Throughput {
  wallSeconds: number;
  requests: number;
  completed: number;
  errors: number;
  retries: number;
  samplesPerSecond: number;
  outputTokens: number;
  outputTokensPerSecond: number;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
  errorsByKind: Record<string, number>;
}

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
