// Reading an OpenAI `POST /v1/chat/completions` body into what the onnx model takes: the last user
// turn, earlier turns as CogVLM2 history, the one image (a base64 data URI), greedy-only decoding
// settings; anything else is an ApiError naming the field.
import { isJsonObject } from '../util/json-guards.js';
import type { ConversationTurn } from '../protocols/cogvlm2-template.js';

/** An OpenAI-style error answer: HTTP status, `type`, the offending `param` and a `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: string = status >= 500 ? 'server_error' : 'invalid_request_error',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ChatRequest {
  model: string | undefined;
  query: string;
  history: ConversationTurn[];
  image: { bytes: Uint8Array; origin: string } | null;
  maxTokens: number;
  stream: boolean;
  includeUsage: boolean;
  stop: string[];
}

/** `max_tokens` when the request does not say (the official CogVLM2 OpenAI demo's default). */
export const DEFAULT_MAX_TOKENS = 1024;


function bad(message: string, param: string, code: string | null = null): ApiError {
  return new ApiError(400, message, param, code);
}

/** Decodes `data:<mime>;base64,<payload>`; any image MIME type is accepted (the model sniffs the bytes). */
function dataUriBytes(url: string, param: string): Uint8Array {
  const m = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(url);
  if (m === null) {
    throw bad(`${param}: only data: URIs (data:image/png;base64,…) are accepted; this server does not fetch URLs`, param, 'invalid_image_url');
  }
  const mime = m[1].toLowerCase();
  if (mime !== '' && !mime.startsWith('image/') && mime !== 'application/octet-stream') throw bad(`${param}: the data URI's type "${mime}" is not an image type`, param, 'invalid_image_url');
  if (!/;base64$/i.test(m[2])) throw bad(`${param}: the data URI must be base64-encoded (…;base64,)`, param, 'invalid_image_url');
  const payload = url.slice(m[0].length).replace(/\s+/g, '');
  if (payload === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload)) throw bad(`${param}: the base64 payload is empty or not valid base64`, param, 'invalid_image_url');
  return new Uint8Array(Buffer.from(payload, 'base64'));
}

interface ParsedContent {
  text: string;
  images: { bytes: Uint8Array; origin: string }[];
}

/** A message's content: a string, or parts (`text`, `image_url`); texts are joined with spaces, as the official demo does. */
function parseContent(content: unknown, param: string): ParsedContent {
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content)) throw bad(`${param} must be a string or an array of content parts`, param);
  const texts: string[] = [];
  const images: ParsedContent['images'] = [];
  content.forEach((part: unknown, i) => {
    const p = `${param}[${i}]`;
    if (!isJsonObject(part)) throw bad(`${p} must be an object`, p);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') throw bad(`${p}.text must be a string`, `${p}.text`);
      texts.push(part.text);
    } else if (part.type === 'image_url') {
      const iu = part.image_url;
      const url = typeof iu === 'string' ? iu : isJsonObject(iu) ? iu.url : undefined;
      if (typeof url !== 'string') throw bad(`${p}.image_url.url must be a string`, `${p}.image_url.url`);
      images.push({ bytes: dataUriBytes(url, `${p}.image_url.url`), origin: `request ${p}` });
    } else {
      throw bad(`${p}.type ${JSON.stringify(part.type)} is not supported (text, image_url)`, `${p}.type`);
    }
  });
  return { text: texts.join(' '), images };
}

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${field} must be a number`, field);
  return v;
}

/**
 * Checks a chat-completion body. Conversations alternate user/assistant turns and end with a user
 * turn; earlier pairs become CogVLM2 history ("Question: q Answer: a\n"). One image at most per
 * conversation (CogVLM2 takes one). Decoding is greedy only: temperature > 0 is refused unless
 * top_k is 1 (which is greedy whatever the temperature).
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!isJsonObject(body)) throw bad('the request body must be a JSON object', 'body');
  const model = body.model;
  if (model !== undefined && typeof model !== 'string') throw bad('model must be a string', 'model');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw bad('messages must be a non-empty array', 'messages');

  const turns: { role: 'user' | 'assistant'; content: ParsedContent }[] = [];
  messages.forEach((m: unknown, i) => {
    const p = `messages[${i}]`;
    if (!isJsonObject(m)) throw bad(`${p} must be an object`, p);
    if (m.role === 'system' || m.role === 'developer') {
      throw bad(`${p}: ${m.role} messages are not supported: CogVLM2's template has no system prompt`, `${p}.role`);
    }
    if (m.role !== 'user' && m.role !== 'assistant') throw bad(`${p}.role must be "user" or "assistant", got ${JSON.stringify(m.role)}`, `${p}.role`);
    const expected = turns.length % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) throw bad(`${p}: turns must alternate user, assistant, user, …; expected a ${expected} message`, `${p}.role`);
    turns.push({ role: m.role, content: parseContent(m.content, `${p}.content`) });
  });
  if (turns[turns.length - 1].role !== 'user') throw bad('the last message must be a user message', `messages[${turns.length - 1}].role`);

  const images = turns.flatMap((t) => t.content.images);
  if (images.length > 1) throw bad(`the conversation has ${images.length} images; CogVLM2 takes one image per conversation`, 'messages');
  const history: ConversationTurn[] = [];
  for (let i = 0; i + 1 < turns.length; i += 2) history.push({ query: turns[i].content.text, response: turns[i + 1].content.text });

  const n = optionalNumber(body, 'n');
  if (n !== undefined && n !== 1) throw bad('n must be 1: this server returns one choice', 'n');
  const maxRaw = optionalNumber(body, 'max_completion_tokens') ?? optionalNumber(body, 'max_tokens');
  if (maxRaw !== undefined && (!Number.isInteger(maxRaw) || maxRaw < 1)) throw bad('max_tokens must be a positive integer', 'max_tokens');
  const temperature = optionalNumber(body, 'temperature') ?? 0;
  const topK = optionalNumber(body, 'top_k');
  if (temperature < 0) throw bad('temperature must be ≥ 0', 'temperature');
  if (temperature > 0 && topK !== 1) {
    throw bad(`this server decodes greedily only; send temperature 0 (or top_k 1), got temperature ${temperature}`, 'temperature', 'unsupported_value');
  }
  const stream = body.stream ?? false;
  if (typeof stream !== 'boolean') throw bad('stream must be a boolean', 'stream');
  const so = body.stream_options;
  if (so !== undefined && so !== null && !isJsonObject(so)) throw bad('stream_options must be an object', 'stream_options');
  const includeUsage = isJsonObject(so) && so.include_usage === true;
  let stop: string[] = [];
  if (typeof body.stop === 'string') stop = [body.stop];
  else if (Array.isArray(body.stop)) {
    if (!body.stop.every((s): s is string => typeof s === 'string')) throw bad('stop must be a string or an array of strings', 'stop');
    stop = body.stop;
  } else if (body.stop !== undefined && body.stop !== null) throw bad('stop must be a string or an array of strings', 'stop');

  return {
    model,
    query: turns[turns.length - 1].content.text,
    history,
    image: images[0] ?? null,
    maxTokens: maxRaw ?? DEFAULT_MAX_TOKENS,
    stream,
    includeUsage,
    stop: stop.filter((s) => s !== ''),
  };
}
