// The onnx engine's inference worker thread: owns the ORT sessions (session.run blocks its
// thread, so it must not be the main one), takes one request at a time from the main thread,
// posts every generated token at once and the request's result at the end.
import { parentPort } from 'node:worker_threads';
import { ConfigError, InputError } from '../../errors.js';
import { GreedyRunner, RunFailure } from './greedy-runner.js';
import { preprocessForCogvlm2 } from './preprocess.js';
import type { FromWorker, GenerateMessage, ToWorker } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('harness/engine/onnx/worker.js must be started as a worker thread');

let runner: GreedyRunner | null = null;
const queue: GenerateMessage[] = [];
const cancelled = new Set<number>();
let busy = false;
const TOKEN_FLUSH_MS = 10;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function serveQueue(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (let req = queue.shift(); req !== undefined; req = queue.shift()) {
      const id = req.id;
      if (runner === null) {
        post({ type: 'failed', id, kind: 'run', message: 'the model is not loaded' });
        continue;
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
        const result = await runner.run(req, {
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
  } finally {
    busy = false;
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      GreedyRunner.load(message.model, message.ep, message.threads, preprocessForCogvlm2).then(
        (r) => {
          runner = r;
          post({ type: 'ready', graphs: r.graphNames() });
        },
        (err: unknown) => {
          const kind = err instanceof ConfigError ? 'config' : err instanceof InputError ? 'input' : 'internal';
          post({ type: 'init-error', kind, message: err instanceof Error ? err.message : String(err) });
        },
      );
      break;
    case 'generate':
      queue.push(message);
      void serveQueue();
      break;
    case 'cancel': {
      const i = queue.findIndex((q) => q.id === message.id);
      if (i >= 0) {
        queue.splice(i, 1);
        post({
          type: 'done',
          id: message.id,
          tokens: [],
          finishReason: 'cancelled',
          timings: { preprocessMs: 0, visionMs: 0, embedMs: 0, prefillMs: 0, decodeMs: 0, decodeRunMs: 0, decodeArgmaxMs: 0, decodeSteps: 0, totalMs: 0 },
        });
      } else {
        cancelled.add(message.id);
      }
      break;
    }
    case 'close': {
      const r = runner;
      runner = null;
      void (r?.release() ?? Promise.resolve()).finally(() => port.close());
      break;
    }
  }
});
