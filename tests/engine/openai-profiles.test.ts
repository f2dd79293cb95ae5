// Server dialects against the loopback server: lossless images, MIME labels (official-demo's
// image/jpeg), images per request, decoding fields, streaming usage and TTFT, the API key.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIEngine, type OpenAIEngine } from '../../harness/engine/openai/engine.js';
import type { OpenAIEngineOptions } from '../../harness/engine/openai/options.js';
import { ConfigError } from '../../harness/errors.js';
import { defaultAnswer, startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from '../support/fake-openai-server.js';
import { collect, fileImage, memoryImage, request, closedAfterEach } from './engine-helpers.js';

let dir: string;
const files: Record<string, string> = {};
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cogeval-engine-'));
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  for (const format of ['png', 'jpeg', 'webp'] as const) {
    const bytes = await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).toFormat(format).toBuffer();
    files[format] = join(dir, `img.${format}`);
    await writeFile(files[format], bytes);
  }
  files.text = join(dir, 'not-an-image.txt');
  await writeFile(files.text, 'hello, I am text');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const { servers, engines } = closedAfterEach<FakeOpenAIServer>();

async function setup(serverOptions: FakeServerOptions, engineOptions: Partial<OpenAIEngineOptions> = {}, env: NodeJS.ProcessEnv = {}): Promise<{ s: FakeOpenAIServer; e: OpenAIEngine }> {
  const s = await startFakeOpenAIServer(serverOptions);
  servers.push(s);
  const e = createOpenAIEngine({ endpoints: s.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10 }, timeoutMs: 20_000 /* per request; sized for a loaded 2-core machine */, ...engineOptions }, { env });
  engines.push(e);
  return { s, e };
}

async function fileSha(path: string): Promise<string> {
  return sha(await fileImage(path).bytes());
}

describe('openai dialect', () => {
  it('sends every image losslessly with its sniffed MIME type', async () => {
    const { s, e } = await setup({});
    const imgs = [fileImage(files.png), fileImage(files.jpeg), fileImage(files.webp)];
    const [out] = await collect(e, [request('q', imgs)]);
    expect(out.error).toBeUndefined();
    expect(s.log[0].images).toEqual([
      { label: 'image/png', sha256: await fileSha(files.png), bytes: expect.any(Number) },
      { label: 'image/jpeg', sha256: await fileSha(files.jpeg), bytes: expect.any(Number) },
      { label: 'image/webp', sha256: await fileSha(files.webp), bytes: expect.any(Number) },
    ]);
  });

  it('fails a request whose image is not a known format, or unreadable, without sending it', async () => {
    const { s, e } = await setup({});
    const broken = { origin: '/data/missing.png', bytes: async (): Promise<Uint8Array> => Promise.reject(new Error('ENOENT: no such file')) };
    const outs = await collect(e, [request('a', [fileImage(files.text)]), request('b', [broken]), request('c', [memoryImage(new Uint8Array(0), 'x.parquet row 3 column image')])]);
    const byId = new Map(outs.map((o) => [o.id, o]));
    expect(byId.get('a')?.error?.kind).toBe('image');
    expect(byId.get('a')?.error?.message).toContain(files.text);
    expect(byId.get('a')?.error?.message).toContain('68 65 6c 6c');
    expect(byId.get('b')?.error).toEqual({ kind: 'image', message: 'cannot read the image at /data/missing.png: ENOENT: no such file' });
    expect(byId.get('c')?.error?.message).toBe('the image at x.parquet row 3 column image is empty (0 bytes)');
    for (const o of outs) {
      expect(o.attempts).toBe(0);
      expect(o.text).toBe('');
      expect(o.endpoint).toBe('');
    }
    expect(s.log).toHaveLength(0);
  });

  it('streams with usage in the last chunk and measures time to first token', async () => {
    const { s, e } = await setup({ latencyMs: 30, chunkChars: 2 });
    const [out] = await collect(e, [request('q1', [fileImage(files.png)])]);
    expect(out.text).toBe(defaultAnswer('question q1?'));
    expect(out.promptTokens).toBe(2 + 2306);
    expect(out.outputTokens).toBe(2);
    expect(out.finishReason).toBe('stop');
    expect(out.timings.ttftMs).toBeGreaterThanOrEqual(29);
    expect(out.timings.ttftMs).toBeLessThanOrEqual(out.timings.latencyMs);
    expect(out.timings.latencyMs).toBeLessThanOrEqual(out.timings.totalMs);
    expect(s.log[0].body.stream_options).toEqual({ include_usage: true });
    expect(s.log[0].body).toMatchObject({ model: 'fake-cogvlm2', max_tokens: 32, temperature: 0, roles: ['user'] });
  });

  it('without streaming: usage, no TTFT', async () => {
    const { s, e } = await setup({}, { stream: false });
    const [out] = await collect(e, [request('q1')]);
    expect(out).toMatchObject({ text: defaultAnswer('question q1?'), promptTokens: 2, outputTokens: 2, finishReason: 'stop', attempts: 1 });
    expect(out.timings.ttftMs).toBeUndefined();
    expect(s.log[0].stream).toBe(false);
  });

  it('sends sampling settings and stop strings when asked', async () => {
    const { s, e } = await setup({});
    await collect(e, [request('q', [], { generation: { maxNewTokens: 2048, temperature: 0.6, doSample: true, topP: 0.9 }, stop: ['<|end_of_text|>'] })]);
    expect(s.log[0].body).toMatchObject({ max_tokens: 2048, temperature: 0.6, top_p: 0.9, stop: ['<|end_of_text|>'] });
  });

  it('uses the only model the server lists, refuses to guess among several', async () => {
    const { s, e } = await setup({ models: ['cogvlm2-19b'] }, { model: undefined });
    await collect(e, [request('q')]);
    expect(s.log[0].body.model).toBe('cogvlm2-19b');
    expect(e.describe().model).toBe('cogvlm2-19b');
    const two = await setup({ models: ['a', 'b'] }, { model: undefined });
    await expect(collect(two.e, [request('q')])).rejects.toThrow(ConfigError);
    await expect(collect(two.e, [request('q')])).rejects.toThrow(/several models \(a, b\); pick one with --served-model/);
  });
});

describe('official-demo dialect', () => {
  it('labels PNG bytes image/jpeg, bytes unchanged; reads its SSE stream without [DONE]', async () => {
    const { s, e } = await setup({ streamStyle: 'official-demo' }, { server: 'official-demo', model: 'cogvlm2-19b' });
    const [out] = await collect(e, [request('q1', [fileImage(files.png)])]);
    expect(out.error).toBeUndefined();
    expect(out.text).toBe(defaultAnswer('question q1?'));
    expect(out.finishReason).toBeUndefined();
    expect(s.log[0].images).toEqual([{ label: 'image/jpeg', sha256: await fileSha(files.png), bytes: expect.any(Number) }]);
    expect(s.log[0].body).toMatchObject({ roles: ['user'], temperature: 0, max_tokens: 32 });
    expect(s.log[0].body.stream_options).toBeUndefined();
    expect(s.log[0].body.stop).toBeUndefined();
  });

  it('sends exactly one image: refuses none or several, sends the one sendImage names', async () => {
    const { s, e } = await setup({}, { server: 'official-demo', model: 'cogvlm2-19b' });
    const two = [fileImage(files.jpeg), fileImage(files.png)];
    const outs = await collect(e, [request('none'), request('two', two), request('pick', two, { sendImage: 1 }), request('bad', two, { sendImage: 2 })]);
    const byId = new Map(outs.map((o) => [o.id, o]));
    expect(byId.get('none')?.error?.message).toMatch(/exactly one image/);
    expect(byId.get('two')?.error?.message).toMatch(/2 images.*sendImage/);
    expect(byId.get('bad')?.error?.message).toMatch(/sendImage 2 is not an index/);
    expect(byId.get('pick')?.error).toBeUndefined();
    expect(s.log).toHaveLength(1);
    expect(s.log[0].images.map((i) => i.sha256)).toEqual([await fileSha(files.png)]);
  });
});

describe('lmdeploy and xinference dialects', () => {
  it('lmdeploy: greedy as top_k 1 (temperature 1, top_p 1), at most one image, usage requested', async () => {
    const { s, e } = await setup({}, { server: 'lmdeploy' });
    const outs = await collect(e, [request('one', [fileImage(files.webp)]), request('two', [fileImage(files.png), fileImage(files.png)])]);
    expect(outs.find((o) => o.id === 'two')?.error?.kind).toBe('image');
    expect(s.log).toHaveLength(1);
    expect(s.log[0].body).toMatchObject({ temperature: 1, top_p: 1, top_k: 1, stream_options: { include_usage: true } });
    expect(s.log[0].images[0].label).toBe('image/webp');
  });

  it('xinference: greedy as temperature 0, top_p 1, top_k 1; no stream_options', async () => {
    const { s, e } = await setup({}, { server: 'xinference' });
    await collect(e, [request('one', [fileImage(files.jpeg)])]);
    expect(s.log[0].body).toMatchObject({ temperature: 0, top_p: 1, top_k: 1 });
    expect(s.log[0].body.stream_options).toBeUndefined();
  });

  it('rejects an unknown server dialect by name', () => {
    expect(() => createOpenAIEngine({ endpoints: 'http://127.0.0.1:1/v1', server: 'vllm' })).toThrow(/unknown --server 'vllm'; valid servers \(dialects\): openai, lmdeploy, xinference, official-demo/);
  });
});

describe('API key', () => {
  const KEY = 'sk-cogeval-TEST-9f8e7d6c5b4a39281706';

  it('is sent as a Bearer token and never appears in outputs, errors, describe() or inspect()', async () => {
    const { s, e } = await setup({ answer: (k) => (k.includes('echo') ? `your key is ${KEY}` : defaultAnswer(k)) }, { apiKeyEnv: 'MY_SERVER_KEY' }, { MY_SERVER_KEY: KEY });
    const outs = await collect(e, [request('plain'), request('echo')]);
    expect(s.log.map((r) => r.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(outs.find((o) => o.id === 'echo')?.text).toBe('your key is [redacted]');
    const everything = [JSON.stringify(outs), JSON.stringify(e.describe()), inspect(e, { depth: 10, showHidden: true }), String(e)].join('\n');
    expect(everything).not.toContain(KEY);
    expect(e.describe().apiKey).toEqual({ env: 'MY_SERVER_KEY', present: true });
  });

  it('is redacted from a server error that echoes it', async () => {
    const { e } = await setup({ requireApiKey: 'the-right-key-000000' }, {}, { COGEVAL_API_KEY: KEY });
    const [out] = await collect(e, [request('q')]);
    expect(out.error?.status).toBe(401);
    expect(out.error?.message).toBe(`${servers[0].host}: HTTP 401: Incorrect API key provided: [redacted]`);
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it('is read only from the named variable; OPENAI_API_KEY is not read by default', async () => {
    const { s, e } = await setup({}, {}, { OPENAI_API_KEY: KEY });
    await collect(e, [request('q')]);
    expect(s.log[0].authorization).toBeUndefined();
    expect(e.describe().apiKey).toEqual({ env: 'COGEVAL_API_KEY', present: false });
    expect(() => createOpenAIEngine({ endpoints: s.url, apiKeyEnv: 'not a name' }, { env: {} })).toThrow(/--api-key-env/);
  });

  it('leaves generated text alone for short placeholder keys', async () => {
    const { s, e } = await setup({ answer: () => 'EMPTY' }, {}, { COGEVAL_API_KEY: 'EMPTY' });
    const [out] = await collect(e, [request('q')]);
    expect(out.text).toBe('EMPTY');
    expect(s.log[0].authorization).toBe('Bearer EMPTY');
  });
});
