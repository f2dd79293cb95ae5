// Continuous batching of greedy requests in the inference worker: up to `maxBatch` sequences
// decode together, one decoder run per step over their left-padded KV cache. Each request is
// prefilled alone (batch 1) and joins the batch at the next step; a finished one leaves at once
// and the next queued request takes its place.
import { disposeKv, type KvBatch, type KvRow } from './batch-kv.js';
import { emptyTimings, type Prefilled, type RunHooks, type RunResult, type StepResult } from './greedy-runner.js';
import type { FinishReason, GenerateMessage, WorkerTimings } from './worker-messages.js';

/** What the loop needs of the runner (GreedyRunner). */
export interface BatchRunner {
  prefill(req: GenerateMessage, cancelled: () => boolean): Promise<Prefilled | null>;
  step(kv: KvBatch, tokens: readonly number[], positions: readonly number[], withLogits?: boolean): Promise<StepResult>;
  pack(rows: readonly KvRow[]): Promise<KvBatch>;
}

export interface BatchLoopOptions {
  /** Sequences decoded together (≥ 1). */
  maxBatch: number;
  /** The model's max_position_embeddings: a sequence stops (`length`) before it runs out. */
  maxPositions: number;
  /** Test and benchmark hook: every decode step also fetches the logits and hands each row's [V] slice here. */
  onStepLogits?: (id: number, step: number, logits: Float32Array) => void;
}

interface Pending {
  req: GenerateMessage;
  hooks: RunHooks;
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

interface Live extends Pending {
  tokens: number[];
  /** The position id of the last token fed (the next step feeds position + 1). */
  position: number;
  timings: WorkerTimings;
  startedAt: number;
  firstLogits?: Float32Array;
  stops: Set<number>;
}

export class BatchLoop {
  readonly #runner: BatchRunner;
  readonly #options: BatchLoopOptions;
  readonly #pending: Pending[] = [];
  /** The sequences in the batch, in the order of the cache's rows. */
  #live: Live[] = [];
  #kv: KvBatch | null = null;
  #running = false;

  constructor(runner: BatchRunner, options: BatchLoopOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    this.#runner = runner;
    this.#options = options;
  }

  /** Queues a request; resolves at its end (stop token, max new tokens, the context limit, cancellation). */
  submit(req: GenerateMessage, hooks: RunHooks): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      this.#pending.push({ req, hooks, resolve, reject });
      void this.#loop();
    });
  }

  /** Ends a request that has not started (finish reason `cancelled`); false when it is running or unknown. */
  dropPending(id: number): boolean {
    const i = this.#pending.findIndex((p) => p.req.id === id);
    if (i < 0) return false;
    const [p] = this.#pending.splice(i, 1);
    p.resolve({ tokens: [], finishReason: 'cancelled', timings: emptyTimings() });
    return true;
  }

  /** Sequences in the batch now. */
  get batchSize(): number {
    return this.#live.length;
  }

  #reason(l: Live): FinishReason | null {
    if (l.stops.has(l.tokens[l.tokens.length - 1])) return 'stop';
    if (l.tokens.length >= l.req.maxNewTokens) return 'length';
    if (l.position + 1 >= this.#options.maxPositions) return 'length';
    if (l.hooks.cancelled()) return 'cancelled';
    return null;
  }

  #finish(l: Live, reason: FinishReason): void {
    l.timings.totalMs = performance.now() - l.startedAt;
    const result: RunResult = { tokens: l.tokens, finishReason: reason, timings: l.timings };
    if (l.firstLogits !== undefined) result.firstLogits = l.firstLogits;
    l.resolve(result);
  }

  /** Fails every sequence in the batch (the runtime failed a step) and drops the cache. */
  #failBatch(err: unknown): void {
    if (this.#kv !== null) disposeKv(this.#kv);
    this.#kv = null;
    for (const l of this.#live.splice(0)) l.reject(err);
  }

  /** Prefills queued requests while the batch has room; returns those that go on decoding. */
  async #admit(): Promise<{ live: Live; kv: KvBatch }[]> {
    const admitted: { live: Live; kv: KvBatch }[] = [];
    while (this.#live.length + admitted.length < this.#options.maxBatch && this.#pending.length > 0) {
      const p = this.#pending.shift() as Pending;
      let pre: Prefilled | null;
      try {
        pre = await this.#runner.prefill(p.req, p.hooks.cancelled);
      } catch (err) {
        p.reject(err);
        continue;
      }
      if (pre === null) {
        p.resolve({ tokens: [], finishReason: 'cancelled', timings: emptyTimings() });
        continue;
      }
      const live: Live = { ...p, tokens: [pre.token], position: pre.position, timings: pre.timings, startedAt: pre.startedAt, stops: new Set(p.req.stopTokenIds) };
      if (pre.firstLogits !== undefined) live.firstLogits = pre.firstLogits;
      p.hooks.onToken(pre.token);
      const reason = this.#reason(live);
      if (reason !== null) {
        disposeKv(pre.kv);
        this.#finish(live, reason);
        continue;
      }
      admitted.push({ live, kv: pre.kv });
    }
    return admitted;
  }

  /** Adds prefilled sequences to the batch (one repack of the cache, or none for the first alone). */
  async #join(admitted: { live: Live; kv: KvBatch }[]): Promise<void> {
    const t = performance.now();
    if (this.#kv === null && admitted.length === 1) {
      this.#kv = admitted[0].kv;
      this.#live = [admitted[0].live];
      return;
    }
    const rows: KvRow[] = [...this.#live.map((_, row) => ({ kv: this.#kv as KvBatch, row })), ...admitted.map((a) => ({ kv: a.kv, row: 0 }))];
    let packed: KvBatch;
    try {
      packed = await this.#runner.pack(rows);
    } catch (err) {
      for (const a of admitted) {
        disposeKv(a.kv);
        a.live.reject(err);
      }
      this.#failBatch(err);
      return;
    }
    if (this.#kv !== null) disposeKv(this.#kv);
    for (const a of admitted) disposeKv(a.kv);
    this.#kv = packed;
    this.#live.push(...admitted.map((a) => a.live));
    const ms = performance.now() - t;
    for (const l of this.#live) l.timings.decodeMs += ms;
  }

  /** One decoder step of the whole batch, then the finished sequences leave it. */
  async #step(): Promise<void> {
    const live = this.#live;
    const B = live.length;
    const t = performance.now();
    const withLogits = this.#options.onStepLogits !== undefined;
    let res: StepResult;
    try {
      res = await this.#runner.step(this.#kv as KvBatch, live.map((l) => l.tokens[l.tokens.length - 1]), live.map((l) => l.position + 1), withLogits);
    } catch (err) {
      this.#kv = null; // step released it
      this.#failBatch(err);
      return;
    }
    this.#kv = res.kv;
    const ms = performance.now() - t;
    const finished: { l: Live; reason: FinishReason }[] = [];
    const keep: number[] = [];
    live.forEach((l, r) => {
      const token = res.tokens[r];
      l.position++;
      l.tokens.push(token);
      const timings = l.timings;
      timings.decodeSteps++;
      timings.decodeMs += ms;
      timings.decodeRunMs += res.runMs;
      timings.decodeArgmaxMs += res.argmaxMs;
      timings.maxBatch = Math.max(timings.maxBatch, B);
      if (res.logits !== undefined) {
        const V = res.logits.length / B;
        this.#options.onStepLogits?.(l.req.id, l.tokens.length - 1, res.logits.slice(r * V, (r + 1) * V));
      }
      l.hooks.onToken(token);
      const reason = this.#reason(l);
      if (reason === null) keep.push(r);
      else finished.push({ l, reason });
    });
    if (finished.length === 0) return;
    // The finished rows leave the cache (and the columns only they needed), before they are answered.
    const t2 = performance.now();
    const old = this.#kv;
    this.#live = keep.map((r) => live[r]);
    if (keep.length === 0) {
      disposeKv(old);
      this.#kv = null;
    } else {
      try {
        this.#kv = await this.#runner.pack(keep.map((row) => ({ kv: old, row })));
      } catch (err) {
        this.#kv = old;
        for (const f of finished) this.#finish(f.l, f.reason);
        this.#failBatch(err);
        return;
      }
      disposeKv(old);
      const packMs = performance.now() - t2;
      for (const l of this.#live) l.timings.decodeMs += packMs;
    }
    for (const f of finished) this.#finish(f.l, f.reason);
  }

  async #loop(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#pending.length > 0 || this.#live.length > 0) {
        const admitted = await this.#admit();
        if (admitted.length > 0) await this.#join(admitted);
        if (this.#live.length > 0) await this.#step();
      }
    } catch (err) {
      // Not expected (every runner call is guarded above): fail everything rather than hang.
      this.#failBatch(err);
      for (const p of this.#pending.splice(0)) p.reject(err);
    } finally {
      this.#running = false;
    }
  }
}
