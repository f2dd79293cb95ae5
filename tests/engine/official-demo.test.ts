// The official CogVLM2 OpenAI demo as it really behaves (tests/support/official-demo-server.ts):
// the official-demo dialect runs one request at a time by default and warns when raised; with the
// generic dialect a stream dropped before its first token is a server-side failure naming
// --server official-demo, never retried as a network error; missing or impossible usage counts
// are replaced by the tokenizer's count, and throughput never shows 0 tokens/s as a measurement.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { formatThroughput } from '../../harness/cli/eval.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import { resolveOptions } from '../../harness/engine/openai/options.js';
import { SERVER_DIALECTS, concurrencyWarning } from '../../harness/engine/openai/dialects.js';
import { tokenCounterFor } from '../../harness/engine/openai/token-counter.js';
import { fixtureTokenizerFiles } from '../../harness/engine/onnx/model-dir.js';
import { LlamaTokenizer } from '../../harness/engine/onnx/tokenizer.js';
import type { EngineOutput } from '../../harness/engine/types.js';
import { readJsonlRepairing } from '../../harness/run/store.js';
import { startOfficialDemoServer, type OfficialDemoServer } from '../support/official-demo-server.js';
import { tinyPng } from '../run/helpers.js';
import { runPath, type PredictionLine, type Throughput } from '../../harness/run/run-format.js';

const servers: OfficialDemoServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

/** A few words from the question, so answers differ in length and token count. */
const answer = (text: string): string => `The answer to ${text.split(/\s+/).slice(0, 4).join(' ')} is forty-two, written out in words.`;

async function demoServer(): Promise<OfficialDemoServer> {
  const s = await startOfficialDemoServer({ answer, generateMs: 30, streamerTimeoutMs: 150 });
  servers.push(s);
  return s;
}

let tokenizer: LlamaTokenizer | undefined;
function tokens(text: string): number {
  tokenizer ??= LlamaTokenizer.load(fixtureTokenizerFiles());
  return tokenizer.encode(text).length;
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function predictions(runDir: string): PredictionLine[] {
  return readJsonlRepairing<PredictionLine>(runPath(runDir, 'predictions'), false).rows;
}

describe('the official-demo dialect against an imitation of the real demo', () => {
  it('defaults to one request at a time, and every answer gets its tokens counted by the tokenizer', async () => {
    expect(resolveOptions({ endpoints: 'http://127.0.0.1:9/v1', server: 'official-demo' }).concurrency).toBe(1);
    expect(resolveOptions({ endpoints: 'http://127.0.0.1:9/v1', server: 'openai' }).concurrency).toBe(16);
    const s = await demoServer();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-demo-server-'));
    const r = await cli(['eval', '--data', 'demo', '--bench', 'docvqa,chartqa', '--endpoint', s.url, '--server', 'official-demo', '--runs-dir', runsDir, '--run-id', 'one']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/warning: --concurrency/);
    const lines = predictions(join(runsDir, 'one'));
    expect(lines).toHaveLength(16);
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(s.maxConcurrent).toBe(1);
    expect(s.crashed).toBe(0);
    // The stream carries no usage: the count is the Llama-3 tokenizer's, exactly.
    for (const l of lines) expect(l.outputTokens, l.id).toBe(tokens(l.prediction));
    const total = lines.reduce((n, l) => n + (l.outputTokens ?? 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(r.out).toMatch(/samples\/s, \d+\.\d output tokens\/s\)/);
    expect(r.out).not.toMatch(/ 0\.0 output tokens\/s/);
  });

  it('warns when the concurrency is raised, and the crashes it causes name the cause', async () => {
    expect(concurrencyWarning(SERVER_DIALECTS['official-demo'], 1)).toBeUndefined();
    expect(concurrencyWarning(SERVER_DIALECTS.openai, 64)).toBeUndefined();
    const s = await demoServer();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-demo-server-'));
    const r = await cli(['eval', '--data', 'demo', '--bench', 'docvqa', '--endpoint', s.url, '--server', 'official-demo', '--concurrency', '4', '--runs-dir', runsDir, '--run-id', 'four']);
    expect(r.err).toMatch(/warning: --concurrency 4 with --server official-demo: the official demo generates concurrent streamed requests at once and they crash its rotary-embedding cache/);
    const failed = predictions(join(runsDir, 'four')).filter((l) => l.error);
    expect(s.crashed).toBeGreaterThan(0);
    expect(failed.length).toBe(s.crashed);
    for (const l of failed) {
      expect(l.error?.kind).toBe('server');
      expect(l.error?.message).toMatch(/closed the stream before its first token .*keep --concurrency 1/);
    }
  });
});

describe('the generic dialect against the official demo', () => {
  it('reports a stream dropped before its first token as a server failure suggesting --server official-demo, without retrying it', async () => {
    const s = await demoServer();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-demo-server-'));
    const r = await cli(['eval', '--data', 'demo', '--bench', 'docvqa', '--endpoint', s.url, '--server', 'openai', '--concurrency', '1', '--retries', '5', '--runs-dir', runsDir, '--run-id', 'generic']);
    expect(r.err).not.toMatch(/Error: .*at /); // no stack trace
    const lines = predictions(join(runsDir, 'generic'));
    expect(lines).toHaveLength(8);
    for (const l of lines) {
      expect(l.error?.kind).toBe('server');
      expect(l.error?.message).toMatch(/the server accepted the request \(HTTP 200, an event stream\) and closed the stream before its first token/);
      expect(l.error?.message).toMatch(/pass --server official-demo/);
      expect(l.attempts).toBe(1);
    }
    // One request per sample: no retry of a failure the server repeats.
    expect(s.requests).toBe(8);
    expect(s.dropped).toBe(8);
  });
});

describe('output tokens the server does not count, or miscounts', () => {
  async function nonStreamed(tokenCounter: ReturnType<typeof tokenCounterFor> | undefined): Promise<EngineOutput> {
    const s = await demoServer();
    const engine = createOpenAIEngine({ endpoints: s.url, server: 'official-demo', stream: false, retry: { maxAttempts: 1 } }, { env: {}, tokenCounter });
    try {
      const outs: EngineOutput[] = [];
      const bytes = tinyPng(3);
      for await (const o of engine.generate([{ id: 'q', prompt: 'What is written here?', images: [{ origin: 'test', bytes: async () => bytes }], generation: { maxNewTokens: 64, temperature: 0, doSample: false } }])) outs.push(o);
      return outs[0];
    } finally {
      await engine.close();
    }
  }

  it('replaces the demo\'s negative completion_tokens with the tokenizer\'s count, and leaves it absent without a tokenizer', async () => {
    const counted = await nonStreamed(tokenCounterFor(undefined, {}));
    expect(counted.error).toBeUndefined();
    expect(counted.outputTokens).toBe(tokens(counted.text));
    expect(counted.outputTokens).toBeGreaterThan(0);
    const uncounted = await nonStreamed(undefined);
    expect(uncounted.error).toBeUndefined();
    expect(uncounted.outputTokens).toBeUndefined();
  });

  it('uses the checkpoint\'s own tokenizer.json from the Hugging Face cache when it is there', () => {
    const cache = mkdtempSync(join(tmpdir(), 'cogeval-hf-cache-'));
    const snap = join(cache, 'models--THUDM--cogvlm2-llama3-chat-19B', 'snapshots', '0123456789abcdef0123456789abcdef01234567');
    mkdirSync(snap, { recursive: true });
    copyFileSync(fixtureTokenizerFiles().json, join(snap, 'tokenizer.json'));
    const own = tokenCounterFor('THUDM/cogvlm2-llama3-chat-19B', { HF_HUB_CACHE: cache });
    expect(own.source).toMatch(/THUDM\/cogvlm2-llama3-chat-19B tokenizer\.json in the Hugging Face cache/);
    expect(own.count('forty-two apples')).toBe(tokens('forty-two apples'));
    expect(tokenCounterFor('THUDM/cogvlm2-llama3-chat-19B', { HF_HUB_CACHE: join(cache, 'empty') }).source).toMatch(/bundled Llama-3 tokenizer/);
  });

  it('prints n/a, never 0 tokens/s, when no token was counted', () => {
    const t: Throughput = {
      wallSeconds: 10,
      requests: 5,
      completed: 5,
      errors: 0,
      retries: 0,
      samplesPerSecond: 0.5,
      outputTokens: 0,
      outputTokensPerSecond: 0,
      latencyMs: null,
      ttftMs: null,
      errorsByKind: {},
    };
    expect(formatThroughput(t)).toMatch(/0\.50 samples\/s, output tokens\/s n\/a: no token count\)/);
    expect(formatThroughput({ ...t, outputTokens: 120, outputTokensPerSecond: 12 })).toMatch(/12\.0 output tokens\/s/);
  });
});
