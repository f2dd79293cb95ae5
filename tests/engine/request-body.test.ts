// The chat-completion body: spliced image payloads give exactly the JSON a plain JSON.stringify would.
import { describe, expect, it } from 'vitest';
import { chatCompletionBody, SERVER_DIALECTS } from '../../harness/engine/openai/dialects.js';
import { base64Of } from '../../harness/engine/openai/image-mime.js';

const greedy = { maxNewTokens: 16, temperature: 0, doSample: false };

describe('chatCompletionBody', () => {
  it('equals the naive serialisation, also for prompts containing the slot text, quotes and non-ASCII', () => {
    const a = base64Of(Uint8Array.from([1, 2, 3, 250, 251, 252, 0]));
    const b = base64Of(new Uint8Array(1000).map((_, i) => (i * 13) % 256));
    const prompt = 'Is "@@cogeval-image-0@@" here? "url":"@@cogeval-image-1@@" — ünïcødé ✓\n\\';
    const body = chatCompletionBody(SERVER_DIALECTS.openai, {
      model: 'm',
      prompt,
      images: [{ mime: 'image/png', base64: a }, { mime: 'image/jpeg', base64: b }],
      generation: greedy,
      stop: ['<|end_of_text|>'],
      stream: true,
    });
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: prompt },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${a}` } },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b}` } },
          ],
        },
      ],
      max_tokens: 16,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['<|end_of_text|>'],
    });
  });

  it('sends a text-only request as plain string content', () => {
    const body = chatCompletionBody(SERVER_DIALECTS['official-demo'], { model: 'cogvlm2-19b', prompt: 'hi', images: [], generation: greedy, stop: ['x'], stream: false });
    expect(JSON.parse(body.toString('utf8'))).toEqual({ model: 'cogvlm2-19b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16, temperature: 0, stream: false });
  });

  it('refuses a MIME label that would need escaping', () => {
    expect(() => chatCompletionBody(SERVER_DIALECTS.openai, { model: 'm', prompt: 'p', images: [{ mime: 'image/png"', base64: 'AA==' }], generation: greedy, stream: false })).toThrow(/not an image MIME type/);
  });
});
