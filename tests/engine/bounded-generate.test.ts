// The shared scheduling core: bound, completion order, early exit, failing work.
import { describe, expect, it } from 'vitest';
import { boundedGenerate } from '../../harness/engine/bounded-generate.js';

/** Work that finishes when the test says so. */
function manualWork(): { work: (n: number, signal: AbortSignal) => Promise<number>; finish: (n: number) => void; started: number[]; signals: AbortSignal[] } {
  const resolvers = new Map<number, (v: number) => void>();
  const started: number[] = [];
  const signals: AbortSignal[] = [];
  return {
    started,
    signals,
    work: (n, signal) =>
      new Promise<number>((resolve) => {
        started.push(n);
        signals.push(signal);
        resolvers.set(n, resolve);
      }),
    finish: (n) => resolvers.get(n)?.(n * 10),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('boundedGenerate', () => {
  it('starts at most N, refills as results are taken, yields in completion order', async () => {
    const m = manualWork();
    const it = boundedGenerate([1, 2, 3, 4, 5], 2, m.work)[Symbol.asyncIterator]();
    const first = it.next();
    await tick();
    expect(m.started).toEqual([1, 2]);
    m.finish(2);
    expect(await first).toEqual({ value: 20, done: false });
    expect(m.started).toEqual([1, 2]);
    const second = it.next();
    await tick();
    expect(m.started).toEqual([1, 2, 3]);
    m.finish(3);
    m.finish(1);
    expect((await second).value).toBe(30);
    expect((await it.next()).value).toBe(10);
    await tick();
    // 10 is with the consumer until it asks for more: 4 is the only other one running
    expect(m.started).toEqual([1, 2, 3, 4]);
    const fourth = it.next();
    await tick();
    expect(m.started).toEqual([1, 2, 3, 4, 5]);
    m.finish(5);
    m.finish(4);
    expect((await fourth).value).toBe(50);
    expect((await it.next()).value).toBe(40);
    expect((await it.next()).done).toBe(true);
  });

  it('aborts in-flight work and closes the source when the consumer stops early', async () => {
    const m = manualWork();
    let closed = false;
    function* source(): Generator<number> {
      try {
        for (let i = 1; i <= 10; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const gen = boundedGenerate(source(), 3, m.work);
    const it = gen[Symbol.asyncIterator]();
    const first = it.next();
    await tick();
    m.finish(1);
    await first;
    await it.return(undefined);
    expect(closed).toBe(true);
    expect(m.signals.every((s) => s.aborted)).toBe(true);
  });

  it('throws when work rejects (a bug: engines turn failures into outputs)', async () => {
    const gen = boundedGenerate([1, 2], 2, async (n) => {
      if (n === 2) throw new Error('bug');
      return n;
    });
    const drain = async (): Promise<number[]> => {
      const seen: number[] = [];
      for await (const n of gen) seen.push(n);
      return seen;
    };
    await expect(drain()).rejects.toThrow('bug');
  });

  it('rejects a concurrency below 1', async () => {
    await expect(boundedGenerate([1], 0, async (n) => n).next()).rejects.toThrow(/positive integer/);
  });
});
