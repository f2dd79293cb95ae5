// Reading chat-completion answers: the JSON body, the SSE chunk stream, server error bodies, and
// the classified error of one failed attempt.
import { isJsonObject } from '../../util/json-guards.js';
import type { EngineErrorKind } from '../types.js';

/** One failed attempt, classified; `retryable` decides whether another attempt is made. */
export class AttemptError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The wait the server asked for (Retry-After), in ms. */
    readonly serverWaitMs?: number,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

export interface Completion {
  text: string;
  promptTokens?: number;
  outputTokens?: number;
  finishReason?: string;
  /** The response's `model` field: the model that says it answered. */
  model?: string;
}


/** A server token count; negative values (xinference reports -1) mean "unknown". */
function tokenCount(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined;
}

function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The message of an error body: `error.message`, `message`, FastAPI's `detail`, or the raw text. */
export function serverErrorMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isJsonObject(parsed)) {
      const error = parsed.error;
      if (isJsonObject(error) && typeof error.message === 'string') return clip(error.message);
      if (typeof error === 'string') return clip(error);
      if (typeof parsed.message === 'string') return clip(parsed.message);
      if (parsed.detail !== undefined) return clip(typeof parsed.detail === 'string' ? parsed.detail : JSON.stringify(parsed.detail));
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim() === '' ? '(empty body)' : clip(body);
}

function usageOf(x: Record<string, unknown>): Pick<Completion, 'promptTokens' | 'outputTokens'> {
  const usage = x.usage;
  if (!isJsonObject(usage)) return {};
  const out: Pick<Completion, 'promptTokens' | 'outputTokens'> = {};
  const p = tokenCount(usage.prompt_tokens);
  const c = tokenCount(usage.completion_tokens);
  if (p !== undefined) out.promptTokens = p;
  if (c !== undefined) out.outputTokens = c;
  return out;
}

function contentText(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x === null || x === undefined) return '';
  // Some servers answer with content parts; keep their text.
  if (Array.isArray(x)) {
    let text = '';
    for (const part of x) {
      if (isJsonObject(part) && typeof part.text === 'string') text += part.text;
      else return undefined;
    }
    return text;
  }
  return undefined;
}

function embeddedError(x: Record<string, unknown>, where: string): AttemptError | undefined {
  if (x.error === undefined || x.error === null) return undefined;
  return new AttemptError('http', `${where} the server returned an error object: ${serverErrorMessage(JSON.stringify(x))}`, true);
}

/** Parses a non-streaming answer; throws AttemptError (malformed, empty, http) when unusable. */
export function parseCompletionBody(body: string, where: string): Completion {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new AttemptError('malformed', `${where} the answer is not valid JSON (${(err as Error).message}): ${clip(body, 120)}`, true);
  }
  if (!isJsonObject(parsed)) throw new AttemptError('malformed', `${where} the answer is not a JSON object: ${clip(body, 120)}`, true);
  const err = embeddedError(parsed, where);
  if (err && !Array.isArray(parsed.choices)) throw err;
  const choices = parsed.choices;
  if (!Array.isArray(choices)) throw new AttemptError('malformed', `${where} the answer has no "choices" array`, true);
  if (choices.length === 0) throw new AttemptError('empty', `${where} the answer has an empty "choices" array`, true);
  const choice: unknown = choices[0];
  if (!isJsonObject(choice) || !isJsonObject(choice.message)) throw new AttemptError('malformed', `${where} choices[0] has no "message" object`, true);
  const text = contentText(choice.message.content);
  if (text === undefined) throw new AttemptError('malformed', `${where} choices[0].message.content is neither text nor null`, true);
  const out: Completion = { text, ...usageOf(parsed) };
  if (typeof choice.finish_reason === 'string') out.finishReason = choice.finish_reason;
  if (typeof parsed.model === 'string' && parsed.model !== '') out.model = parsed.model;
  return out;
}

/** Accumulates the chunks of a streamed answer (`data:` payloads of the SSE events). */
export class StreamAccumulator {
  #text = '';
  #sawChoices = false;
  #done = false;
  #usage: Pick<Completion, 'promptTokens' | 'outputTokens'> = {};
  #finishReason: string | undefined;
  #model: string | undefined;
  readonly #where: string;

  constructor(where: string) {
    this.#where = where;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Takes one event payload; returns true when it added generated text. Throws AttemptError. */
  push(payload: string): boolean {
    if (this.#done) return false;
    const trimmed = payload.trim();
    if (trimmed === '[DONE]') {
      this.#done = true;
      return false;
    }
    if (trimmed === '') return false;
    let chunk: unknown;
    try {
      chunk = JSON.parse(trimmed);
    } catch (err) {
      throw new AttemptError('malformed', `${this.#where} a stream chunk is not valid JSON (${(err as Error).message}): ${clip(trimmed, 120)}`, true);
    }
    if (!isJsonObject(chunk)) throw new AttemptError('malformed', `${this.#where} a stream chunk is not a JSON object: ${clip(trimmed, 120)}`, true);
    const err = embeddedError(chunk, this.#where);
    if (err) throw err;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.#model = chunk.model;
    const usage = usageOf(chunk);
    if (usage.promptTokens !== undefined || usage.outputTokens !== undefined) this.#usage = usage;
    const choices = chunk.choices;
    if (choices === undefined || choices === null) return false;
    if (!Array.isArray(choices)) throw new AttemptError('malformed', `${this.#where} a stream chunk's "choices" is not an array`, true);
    if (choices.length === 0) return false; // the usage-only chunk, or an empty one
    const choice: unknown = choices[0];
    if (!isJsonObject(choice)) throw new AttemptError('malformed', `${this.#where} a stream chunk's choices[0] is not an object`, true);
    this.#sawChoices = true;
    if (typeof choice.finish_reason === 'string') this.#finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (delta === undefined || delta === null) return false;
    if (!isJsonObject(delta)) throw new AttemptError('malformed', `${this.#where} a stream chunk's delta is not an object`, true);
    const piece = contentText(delta.content);
    if (piece === undefined) throw new AttemptError('malformed', `${this.#where} a stream chunk's delta.content is neither text nor null`, true);
    if (piece === '') return false;
    this.#text += piece;
    return true;
  }

  /**
   * The completion once the stream has ended cleanly. `[DONE]` is not required (the official
   * demo never sends it); a stream without any choice is `empty`.
   */
  finish(): Completion {
    if (!this.#sawChoices) throw new AttemptError('empty', `${this.#where} the stream ended without any choice`, true);
    const out: Completion = { text: this.#text, ...this.#usage };
    if (this.#finishReason !== undefined) out.finishReason = this.#finishReason;
    if (this.#model !== undefined) out.model = this.#model;
    return out;
  }
}
