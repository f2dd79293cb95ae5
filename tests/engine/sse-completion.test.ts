// SSE decoding and chat-completion parsing: chunk boundaries, CRLF, [DONE], usage, bad answers.
import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../harness/engine/openai/sse.js';
import { AttemptError, parseCompletionBody, serverErrorMessage, StreamAccumulator } from '../../harness/engine/openai/completion.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function decodeAll(pieces: (string | Uint8Array)[]): string[] {
  const d = new SseDecoder();
  const out: string[] = [];
  for (const p of pieces) out.push(...d.push(typeof p === 'string' ? enc(p) : p));
  out.push(...d.end());
  return out;
}

describe('SseDecoder', () => {
  it('splits events on blank lines with LF, CRLF and CR line ends', () => {
    expect(decodeAll(['data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('joins events cut at any byte, including inside a UTF-8 character and between CR and LF', () => {
    const text = 'data: {"x":"héllo ✓"}\r\n\r\n: comment\ndata: [DONE]\r\n\r\n';
    const bytes = enc(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['{"x":"héllo ✓"}', '[DONE]']);
    }
  });

  it('joins multi-line data with \\n, ignores comments and other fields, keeps an unterminated last event', () => {
    expect(decodeAll(['event: message\nid: 3\ndata: one\ndata:two\n\n: ping\n\ndata: tail'])).toEqual(['one\ntwo', 'tail']);
  });
});

describe('parseCompletionBody', () => {
  it('reads text, usage and finish reason', () => {
    const body = JSON.stringify({ choices: [{ message: { role: 'assistant', content: ' 42 ' }, finish_reason: 'length' }], usage: { prompt_tokens: 2310, completion_tokens: 3 } });
    expect(parseCompletionBody(body, 'h:')).toEqual({ text: ' 42 ', promptTokens: 2310, outputTokens: 3, finishReason: 'length' });
  });

  it('treats negative usage (xinference reports -1) as absent and null content as empty text', () => {
    const body = JSON.stringify({ choices: [{ message: { content: null } }], usage: { prompt_tokens: -1, completion_tokens: -1 } });
    expect(parseCompletionBody(body, 'h:')).toEqual({ text: '' });
  });

  it.each([
    ['{"choices": [{"message": {"content": "A', 'malformed'],
    ['[1,2]', 'malformed'],
    ['{"id": "x"}', 'malformed'],
    ['{"choices": []}', 'empty'],
    ['{"choices": [{"text": "legacy"}]}', 'malformed'],
    ['{"error": {"message": "CUDA out of memory"}}', 'http'],
  ])('classifies %s as %s (retryable)', (body, kind) => {
    try {
      parseCompletionBody(body, 'h:');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AttemptError);
      expect((err as AttemptError).kind).toBe(kind);
      expect((err as AttemptError).retryable).toBe(true);
      expect((err as AttemptError).message).toMatch(/^h: /);
    }
  });

  it('extracts server error messages from OpenAI, FastAPI and plain bodies', () => {
    expect(serverErrorMessage('{"error": {"message": "bad max_tokens"}}')).toBe('bad max_tokens');
    expect(serverErrorMessage('{"detail": "Invalid request"}')).toBe('Invalid request');
    expect(serverErrorMessage('{"object":"error","message":"model not found","code":404}')).toBe('model not found');
    expect(serverErrorMessage('Internal Server Error')).toBe('Internal Server Error');
    expect(serverErrorMessage('')).toBe('(empty body)');
  });
});

describe('StreamAccumulator', () => {
  it('concatenates deltas, reports first text, reads usage from the choices-free final chunk', () => {
    const acc = new StreamAccumulator('h:');
    expect(acc.push(JSON.stringify({ choices: [{ delta: { role: 'assistant' } }] }))).toBe(false);
    expect(acc.push(JSON.stringify({ choices: [{ delta: { content: 'Hel' } }] }))).toBe(true);
    expect(acc.push(JSON.stringify({ choices: [{ delta: { content: 'lo' }, finish_reason: 'stop' }] }))).toBe(true);
    expect(acc.push(JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2 } }))).toBe(false);
    expect(acc.push('[DONE]')).toBe(false);
    expect(acc.done).toBe(true);
    expect(acc.finish()).toEqual({ text: 'Hello', promptTokens: 7, outputTokens: 2, finishReason: 'stop' });
  });

  it('accepts a stream without [DONE] or finish_reason (the official demo) and rejects one without choices', () => {
    const acc = new StreamAccumulator('h:');
    acc.push(JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant', content: 'x' } }] }));
    acc.push(JSON.stringify({ choices: [{ index: 0, delta: {} }] }));
    expect(acc.finish()).toEqual({ text: 'x' });
    const empty = new StreamAccumulator('h:');
    empty.push(JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 0 } }));
    expect(() => empty.finish()).toThrow(/without any choice/);
  });

  it('rejects a broken chunk as malformed', () => {
    const acc = new StreamAccumulator('h:');
    expect(() => acc.push('{"choices": [{"delta": {"content": "A')).toThrow(AttemptError);
  });
});
