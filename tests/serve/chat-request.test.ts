// Reading OpenAI chat-completion bodies for `cogeval serve`: history, the one image, greedy-only
// decoding and the 400 errors that name the field.
import { describe, expect, it } from 'vitest';
import { ApiError, DEFAULT_MAX_TOKENS, parseChatRequest } from '../../harness/serve/chat-request.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

function fails(body: unknown): ApiError {
  try {
    parseChatRequest(body);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('parseChatRequest', () => {
  it('takes the text and image parts the openai engine sends', () => {
    const r = parseChatRequest({
      model: 'tiny',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is shown?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }] }],
      max_tokens: 16,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(r.query).toBe('What is shown?');
    expect(Buffer.from(r.image?.bytes ?? []).equals(PNG)).toBe(true);
    expect(r).toMatchObject({ model: 'tiny', history: [], maxTokens: 16, stream: true, includeUsage: true, stop: [] });
  });

  it('turns earlier turns into CogVLM2 history and defaults max_tokens', () => {
    const r = parseChatRequest({
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: [{ type: 'text', text: 'q2' }, { type: 'text', text: 'more' }] },
      ],
      stop: '###',
    });
    expect(r.history).toEqual([{ query: 'q1', response: 'a1' }]);
    expect(r.query).toBe('q2 more');
    expect(r.maxTokens).toBe(DEFAULT_MAX_TOKENS);
    expect(r.stop).toEqual(['###']);
    expect(r.image).toBeNull();
  });

  it('greedy only: temperature > 0 is refused unless top_k is 1', () => {
    const e = fails({ messages: [{ role: 'user', content: 'x' }], temperature: 0.7 });
    expect(e.status).toBe(400);
    expect(e.param).toBe('temperature');
    expect(e.message).toMatch(/greedily only/);
    expect(parseChatRequest({ messages: [{ role: 'user', content: 'x' }], temperature: 0.7, top_k: 1 }).query).toBe('x');
  });

  it('names the field of each malformed request', () => {
    expect(fails({ messages: [] }).param).toBe('messages');
    expect(fails({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'x' }] }).message).toMatch(/no system prompt/);
    expect(fails({ messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }] }).param).toBe('messages[1].role');
    expect(fails({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] }).message).toMatch(/last message must be a user message/);
    expect(fails({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }).message).toMatch(/only data: URIs/);
    expect(fails({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:text/plain;base64,aGk=' } }] }] }).message).toMatch(/not an image type/);
    expect(fails({ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }).param).toBe('max_tokens');
    expect(fails({ messages: [{ role: 'user', content: 'x' }], n: 2 }).param).toBe('n');
    const two = { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } };
    expect(fails({ messages: [{ role: 'user', content: [two, two] }] }).message).toMatch(/2 images; CogVLM2 takes one image per conversation/);
  });
});
