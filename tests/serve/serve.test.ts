// `cogeval serve` end to end on the tiny model: the openai engine drives the server over loopback
// (streaming and not) and gets exactly the in-process engine's text; /v1/models; OpenAI error JSON
// for bad images, sampling requests and unknown routes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type RunningServe } from '../../harness/cli/serve.js';
import { OnnxEngine } from '../../harness/engine/onnx/engine.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import type { EngineOutput, EngineRequest } from '../../harness/engine/types.js';
import { collect, memoryImage } from '../engine/engine-helpers.js';

const TINY = resolve('tests/fixtures/tiny-model');
const PNG = new Uint8Array(readFileSync(join(TINY, 'images', 'rgba_61x47.png')));
const GEN = { maxNewTokens: 6, temperature: 0, doSample: false, topK: 1 };

let serve: RunningServe;
const log: string[] = [];

beforeAll(async () => {
  serve = await startServe({ 'model-dir': TINY, port: 0, host: '127.0.0.1', ep: 'cpu', threads: 1 }, { out: (l) => log.push(l), err: (l) => log.push(l) });
}, 60_000);

afterAll(async () => {
  await serve?.stop();
});

function requests(): EngineRequest[] {
  return [
    { id: 'img', prompt: 'What is in the image?', images: [memoryImage(PNG, 'rgba_61x47.png')], generation: GEN },
    { id: 'txt', prompt: 'What is the capital of France?', images: [], generation: GEN },
  ];
}

function byId(outputs: EngineOutput[]): Map<string, EngineOutput> {
  return new Map(outputs.map((o) => [o.id, o]));
}

describe('cogeval serve', () => {
  it('lists the model at /v1/models', async () => {
    const r = await fetch(`${serve.server.url}/models`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toEqual([serve.model.info.modelId]);
  });

  it('the openai engine gets the in-process engine\'s text, streamed and not', async () => {
    const local = byId(await collect(new OnnxEngine(serve.model), requests()));
    for (const stream of [true, false]) {
      const client = createOpenAIEngine({ endpoints: serve.server.url, concurrency: 2, stream, retry: { maxAttempts: 1 } }, { env: {} });
      try {
        const remote = byId(await collect(client, requests()));
        for (const id of ['img', 'txt']) {
          const l = local.get(id) as EngineOutput;
          const r = remote.get(id) as EngineOutput;
          expect(r.error, `${id} stream=${stream}`).toBeUndefined();
          expect(l.error).toBeUndefined();
          expect(r.text, `${id} stream=${stream}`).toBe(l.text);
          expect(r.text.length).toBeGreaterThan(0);
          expect(r.outputTokens).toBe(l.outputTokens);
          expect(r.promptTokens).toBe(l.promptTokens);
          expect(r.finishReason).toBe('length');
        }
      } finally {
        await client.close();
      }
    }
  }, 120_000);

  it('answers OpenAI error JSON: undecodable image (400), sampling (400), unknown model (404), unknown route (404)', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${serve.server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const badImage = await post({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from('not a png at all').toString('base64')}` } }] }],
      stream: true,
    });
    expect(badImage.status).toBe(400);
    const e1 = (await badImage.json()) as { error: { message: string; code: string; type: string } };
    expect(e1.error.code).toBe('invalid_image');
    expect(e1.error.type).toBe('invalid_request_error');
    const sampled = await post({ messages: [{ role: 'user', content: 'x' }], temperature: 0.8 });
    expect(sampled.status).toBe(400);
    expect(((await sampled.json()) as { error: { message: string } }).error.message).toMatch(/greedily only/);
    const other = await post({ model: 'gpt-4', messages: [{ role: 'user', content: 'x' }] });
    expect(other.status).toBe(404);
    const route = await fetch(`${serve.server.url}/completions`, { method: 'POST', body: '{}' });
    expect(route.status).toBe(404);
    const tooLong = await post({ messages: [{ role: 'user', content: 'lorem ipsum '.repeat(4200) }], max_tokens: 1 });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe('context_length_exceeded');
  }, 60_000);

  it('streams SSE chunks with usage in the last chunk and [DONE]', async () => {
    const r = await fetch(`${serve.server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'What is the capital of France?' }], max_tokens: 5, stream: true, stream_options: { include_usage: true } }),
    });
    expect(r.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await r.text()).split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
    expect(events[events.length - 1]).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { delta: { content?: string; role?: string }; finish_reason: string | null }[]; usage?: { completion_tokens: number } });
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage?.completion_tokens).toBe(5);
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('length');
    const text = chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? '')).join('');
    const direct = await serve.model.generate({ query: 'What is the capital of France?', maxNewTokens: 5 });
    expect(text).toBe(direct.text);
  }, 60_000);
});
