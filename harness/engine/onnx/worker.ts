// The onnx engine's inference worker thread: owns the ORT sessions (session.run blocks its
// thread, so it must not be the main one), takes requests from the main thread into the batch
// loop (up to maxBatch decode together), posts every generated token at once and each request's
// result at its end.
import { parentPort } from 'node:worker_threads';
import { ConfigError, InputError } from '../../errors.js';
import { BatchLoop } from './batch-loop.js';
import { GreedyRunner, RunFailure } from './greedy-runner.js';
import { preprocessForCogvlm2 } from './preprocess.js';
import type { FromWorker, GenerateMessage, ToWorker } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('harness/engine/onnx/worker.js must be started as a worker thread');

let runner: GreedyRunner | null = null;
let loop: BatchLoop | null = null;
const cancelled = new Set<number>();
const TOKEN_FLUSH_MS = 10;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function serve(req: GenerateMessage): Promise<void> {
  const id = req.id;
  if (loop === null) {
    post({ type: 'failed', id, kind: 'run', message: 'the model is not loaded' });
    return;
  }
  // Tokens go to the main thread in batches: the first at once (time to first token), then at
  // most one message per TOKEN_FLUSH_MS, so message passing stays out of the decode loop's time.
  let pending: number[] = [];
  let lastFlush = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    post({ type: 'token', id, tokens: pending });
    pending = [];
    lastFlush = performance.now();
  };
  try {
    const result = await loop.submit(req, {
      onToken: (token) => {
        pending.push(token);
        if (lastFlush === 0 || performance.now() - lastFlush >= TOKEN_FLUSH_MS) flush();
      },
      cancelled: () => cancelled.has(id),
    });
    flush();
    const transfer = result.firstLogits ? [result.firstLogits.buffer as ArrayBuffer] : [];
    post({ type: 'done', id, tokens: result.tokens, finishReason: result.finishReason, timings: result.timings, firstLogits: result.firstLogits }, transfer);
  } catch (err) {
    const kind = err instanceof RunFailure ? err.kind : 'run';
    post({ type: 'failed', id, kind, message: err instanceof Error ? err.message : String(err) });
  } finally {
    cancelled.delete(id);
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      GreedyRunner.load(message.model, message.ep, message.threads, preprocessForCogvlm2, message.kvLocation).then(
        (r) => {
          runner = r;
          loop = new BatchLoop(r, { maxBatch: message.maxBatch, maxPositions: message.model.maxPositionEmbeddings });
          post({ type: 'ready', graphs: r.graphNames() });
        },
        (err: unknown) => {
          const kind = err instanceof ConfigError ? 'config' : err instanceof InputError ? 'input' : 'internal';
          post({ type: 'init-error', kind, message: err instanceof Error ? err.message : String(err) });
        },
      );
      break;
    case 'generate':
      void serve(message);
      break;
    case 'cancel':
      // A queued request ends at once (answered `done`, cancelled, by serve); a running one at its next step.
      if (loop?.dropPending(message.id) !== true) cancelled.add(message.id);
      break;
    case 'close': {
      const r = runner;
      runner = null;
      loop = null;
      void (r?.release() ?? Promise.resolve()).finally(() => port.close());
      break;
    }
  }
});
