// Bounded, back-pressured concurrent mapping of a request stream to results in completion order:
// the scheduling core every engine shares (at most `concurrency` items pulled but not yet yielded).
import { setMaxListeners } from 'node:events';

export interface BoundedGenerateOptions {
  /** Aborting stops pulling new items and is passed on to the in-flight work. */
  signal?: AbortSignal;
}

function iteratorOf<I>(source: AsyncIterable<I> | Iterable<I>): AsyncIterator<I> | Iterator<I> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<I>)[Symbol.asyncIterator]();
  return (source as Iterable<I>)[Symbol.iterator]();
}

/**
 * Runs `work` on the items of `source` with at most `concurrency` items outstanding (pulled from
 * the source and not yet taken by the consumer) and yields the results as they complete.
 *
 * `work` is expected to turn every failure into a result; if it rejects anyway, that is a bug and
 * the stream throws it. If the source throws, the results of the items already pulled are still
 * yielded, then the source's error is thrown. If the consumer stops early, in-flight work is
 * aborted through the signal passed to `work`.
 */
export async function* boundedGenerate<I, O>(
  source: AsyncIterable<I> | Iterable<I>,
  concurrency: number,
  work: (item: I, signal: AbortSignal) => Promise<O>,
  options: BoundedGenerateOptions = {},
): AsyncGenerator<O, void, undefined> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const controller = new AbortController();
  // One abort listener per in-flight request is expected; silence Node's leak warning for them.
  setMaxListeners(Math.max(10, concurrency * 4 + 10), controller.signal);
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const iterator = iteratorOf(source);
  const ready: O[] = [];
  let outstanding = 0;
  let pulling = false;
  let sourceDone = false;
  let sourceFailed = false;
  let sourceError: unknown;
  let workFailed = false;
  let workError: unknown;
  let wake: (() => void) | null = null;

  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };

  const pump = async (): Promise<void> => {
    if (pulling) return;
    pulling = true;
    try {
      while (!sourceDone && outstanding < concurrency && !controller.signal.aborted) {
        let next: IteratorResult<I>;
        try {
          next = await iterator.next();
        } catch (err) {
          sourceDone = true;
          sourceFailed = true;
          sourceError = err;
          break;
        }
        if (next.done) {
          sourceDone = true;
          break;
        }
        outstanding++;
        work(next.value, controller.signal).then(
          (result) => {
            ready.push(result);
            notify();
          },
          (err: unknown) => {
            workFailed = true;
            workError = err;
            notify();
          },
        );
      }
    } finally {
      pulling = false;
      notify();
    }
  };

  try {
    void pump();
    for (;;) {
      if (workFailed) throw workError;
      if (ready.length > 0) {
        const result = ready.shift() as O;
        yield result;
        // The consumer has taken the result and asks for the next: only now is its slot free.
        outstanding--;
        void pump();
        continue;
      }
      if (outstanding === 0 && !pulling && (sourceDone || controller.signal.aborted)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (sourceFailed) throw sourceError;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!controller.signal.aborted) controller.abort(new Error('the consumer stopped reading the outputs'));
    if (!sourceDone) await iterator.return?.();
  }
}
