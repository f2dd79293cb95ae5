// Server dialects (`--server`): what each OpenAI-compatible CogVLM2 server needs in a chat-completion
// request (image labels, images per request, decoding fields, streaming) and the request-body
// builder. ("Profile" in cogeval means a scorer profile only; a server speaks a dialect.)
import type { GenerationSettings } from '../../protocols/types.js';
import { ConfigError } from '../../errors.js';

export const SERVER_DIALECT_IDS = ['openai', 'lmdeploy', 'xinference', 'official-demo'] as const;
export type ServerDialectId = (typeof SERVER_DIALECT_IDS)[number];

export function parseServerDialectId(name: string): ServerDialectId {
  if (!(SERVER_DIALECT_IDS as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown --server '${name}'; valid servers (dialects): ${SERVER_DIALECT_IDS.join(', ')}`);
  }
  return name as ServerDialectId;
}

/** How many images one request may carry. */
export type ImagePolicy =
  /** any number, all sent */
  | 'any'
  /** 0 or 1; with several, `sendImage` picks one, else the request fails with an `image` error */
  | 'at-most-one'
  /** exactly 1 (the server crashes without one); several need `sendImage` */
  | 'exactly-one';

export interface ServerDialect {
  id: ServerDialectId;
  /** `sniffed`: the real format's MIME type; `image/jpeg`: that label whatever the bytes. */
  imageLabel: 'sniffed' | 'image/jpeg';
  images: ImagePolicy;
  /** Stream by default (SSE, to measure time to first token). */
  stream: boolean;
  /** Ask for usage in the last stream chunk (`stream_options.include_usage`). */
  streamUsage: boolean;
  /** Send `stop` strings when a request has them. */
  sendsStop: boolean;
  /** The decoding fields of the request body. */
  decoding(settings: GenerationSettings): Record<string, number>;
  /** The most requests the server survives at once, and why (the default --concurrency then; more is warned about). */
  safeConcurrency?: { max: number; why: string };
  /** What a stream closed before its first token most likely means with this dialect. */
  closedStreamHint: string;
}

/** temperature 0 for greedy (OpenAI semantics); otherwise temperature and top_p as given. */
function openaiDecoding(s: GenerationSettings): Record<string, number> {
  if (!s.doSample) return { temperature: 0 };
  const out: Record<string, number> = { temperature: s.temperature };
  if (s.topP !== undefined) out.top_p = s.topP;
  return out;
}

/**
 * `openai`: a generic OpenAI-compatible server (vLLM-style, a proxy, the fake test server).
 * Images are data URIs labelled with the MIME type sniffed from the bytes (PNG, JPEG, GIF, WebP,
 * BMP, TIFF; anything else fails the request with an `image` error), all images are sent, greedy
 * decoding is `temperature: 0`, streaming asks for usage in the last chunk.
 */
const OPENAI: ServerDialect = {
  id: 'openai',
  imageLabel: 'sniffed',
  images: 'any',
  stream: true,
  streamUsage: true,
  sendsStop: true,
  decoding: openaiDecoding,
  closedStreamHint:
    'if the server is the official CogVLM2 demo (basic_demo/openai_api_demo.py), pass --server official-demo: it reads only images labelled data:image/jpeg;base64 and fetches any other URL with requests.get, which fails after it has answered 200',
};

/** Sampling settings for servers that take `top_k` (lmdeploy, xinference). */
function topKSampling(s: GenerationSettings): Record<string, number> {
  const out: Record<string, number> = { temperature: s.temperature, top_p: s.topP ?? 1 };
  if (s.topK !== undefined) out.top_k = s.topK;
  return out;
}

/**
 * `lmdeploy`: InternLM lmdeploy's api_server, PyTorch engine (TurboMind does not run CogVLM2):
 *
 *     lmdeploy serve api_server THUDM/cogvlm2-llama3-chat-19B --backend pytorch --tp N \
 *       --server-port 23333 [--max-batch-size B --session-len L --cache-max-entry-count f \
 *       --chat-template tpl.json --dp D --nnodes/--node-rank]
 *
 * - From lmdeploy v0.10.0 on, its built-in `cogvlm2` template is gone and the model falls back
 *   to the tokenizer's Llama-3 header template, which is the wrong prompt. Pass the model's own
 *   chat template explicitly (cogvlm2.md §9), e.g. a `tpl.json` mirroring lmdeploy ≤ 0.9's
 *   `CogVLM2` template class ("Question: {q} Answer:", stop at <|end_of_text|>):
 *
 *       {"model_name": "cogvlm2", "meta_instruction": "", "eosys": "", "user": "Question: ",
 *        "eoh": " ", "assistant": "Answer:", "eoa": "<|end_of_text|>", "separator": "\n",
 *        "stop_words": ["<|end_of_text|>", "<|eot_id|>"]}
 *
 *   (field names of lmdeploy's ChatTemplateConfig; not yet verified against a running ≥ 0.10 server).
 * - Known numeric deviations from the HF reference (RoPE base 10000 in fp32, EOI routed to the
 *   vision expert), so scores are close to but not bit-identical with HF runs.
 * - Accepts `image_url` parts with base64 data URIs of any image type; CogVLM2 takes one image
 *   per conversation, so requests carry at most one (`sendImage` picks one of several).
 * - Greedy decoding is sent as `top_k: 1` with `temperature: 1, top_p: 1`: top-1 sampling is
 *   argmax whatever the temperature, and no temperature of 0 ever reaches a logits division.
 * - Several replicas: run one server per GPU group (`--tp`), or lmdeploy's `--dp`/proxy server,
 *   and list the endpoints comma-separated; cogeval balances by fewest outstanding requests.
 */
const LMDEPLOY: ServerDialect = {
  id: 'lmdeploy',
  imageLabel: 'sniffed',
  images: 'at-most-one',
  stream: true,
  streamUsage: true,
  sendsStop: true,
  decoding(s) {
    if (!s.doSample) return { temperature: 1, top_p: 1, top_k: 1 };
    return topKSampling(s);
  },
  closedStreamHint: 'the lmdeploy log says why (an out-of-memory error or a template failure, typically)',
};

/**
 * `xinference`: Xorbits Inference with the transformers engine:
 *
 *     xinference launch --model-engine transformers --model-name cogvlm2 \
 *       --size-in-billions 20 --model-format pytorch [--quantization int4]
 *
 * (its documentation names the Chinese model ids). It accepts any `data:image/*;base64` URI and
 * one image per message (more raise "Only one image per message"), and uses the `chat` template.
 * Caveats read in xinference/model/llm/transformers/cogvlm2.py: its non-batching `chat` path
 * passes only `max_new_tokens` and `pad_token_id` to `generate`, so decoding follows the model's
 * generation_config (sampling, temperature 0.6, top_p 0.9) whatever the request says; only its
 * continuous-batching path reads temperature/top_p (defaulting to 0.6/0.9). Its usage counts
 * are -1 (impossible: cogeval counts the output tokens with the model's tokenizer instead). Greedy is requested as temperature 0, top_p 1, top_k 1.
 */
const XINFERENCE: ServerDialect = {
  id: 'xinference',
  imageLabel: 'sniffed',
  images: 'at-most-one',
  stream: true,
  streamUsage: false,
  sendsStop: true,
  decoding(s) {
    if (!s.doSample) return { temperature: 0, top_p: 1, top_k: 1 };
    return topKSampling(s);
  },
  closedStreamHint: 'the xinference worker log says why',
};

/**
 * `official-demo`: THUDM/CogVLM2 `basic_demo/openai_api_demo.py` (`python openai_api_demo.py`,
 * listens on 0.0.0.0:8000, model id `cogvlm2-19b`).
 * - It decodes an image only from a URL beginning exactly with `data:image/jpeg;base64,`
 *   (Pillow then sniffs the real format, so PNG bytes labelled image/jpeg work). Other URLs are
 *   ignored (older revisions) or fetched with `requests.get` (newer), so every image is labelled
 *   `image/jpeg` here, bytes unchanged.
 * - Only the last image counts and a request without an image crashes (`image_list[-1]`), so a
 *   request carries exactly one image; with several, `sendImage` must say which.
 * - A `system` message fails an assertion: none is sent (cogeval never sends one anyway).
 * - Decoding: its request model defaults to temperature 0.8, top_p 0.8. It samples iff
 *   temperature > 1e-5; newer revisions also force `top_k=1` (so decoding is effectively greedy
 *   whatever temperature/top_p say). cogeval sends temperature 0 for greedy, which is greedy under
 *   every revision. No `stop`, no `stream_options`; `max_tokens` defaults to 1024 there.
 * - Streamed requests are generated concurrently (one thread each), not queued, and concurrent
 *   generations crash the official rotary-embedding cache (IndexError in the generation thread;
 *   the stream then ends after the streamer's 60 s timeout with no token). So the dialect's
 *   default concurrency is 1, and more is warned about. Its SSE stream has no `[DONE]` and no
 *   finish_reason, and no usage; non-streamed usage counts are wrong (completion_tokens minus
 *   the 2306 image tokens, e.g. −2306): cogeval counts output tokens with the tokenizer then.
 */
const OFFICIAL_DEMO: ServerDialect = {
  id: 'official-demo',
  imageLabel: 'image/jpeg',
  images: 'exactly-one',
  stream: true,
  streamUsage: false,
  sendsStop: false,
  decoding(s) {
    if (!s.doSample) return { temperature: 0 };
    const out: Record<string, number> = { temperature: s.temperature };
    if (s.topP !== undefined) out.top_p = s.topP;
    return out;
  },
  safeConcurrency: {
    max: 1,
    why: 'the official demo generates concurrent streamed requests at once and they crash its rotary-embedding cache (IndexError in the generation thread); the streams then end with no token',
  },
  closedStreamHint: 'the official demo crashes when requests run concurrently (IndexError in its rotary cache): keep --concurrency 1 (its default)',
};

/** A warning when `concurrency` exceeds what the dialect's server survives, or undefined. */
export function concurrencyWarning(dialect: ServerDialect, concurrency: number): string | undefined {
  const safe = dialect.safeConcurrency;
  if (safe === undefined || concurrency <= safe.max) return undefined;
  return `--concurrency ${concurrency} with --server ${dialect.id}: ${safe.why}. Use --concurrency ${safe.max} (the dialect's default) unless this server is known to be fixed.`;
}

export const SERVER_DIALECTS: Readonly<Record<ServerDialectId, ServerDialect>> = {
  openai: OPENAI,
  lmdeploy: LMDEPLOY,
  xinference: XINFERENCE,
  'official-demo': OFFICIAL_DEMO,
};

/** One image ready for the request: its MIME label and the original bytes in base64. */
export interface EncodedImage {
  mime: string;
  base64: string;
}

export interface ChatBodyInput {
  model: string;
  prompt: string;
  images: readonly EncodedImage[];
  generation: GenerationSettings;
  stop?: readonly string[];
  stream: boolean;
}

const IMAGE_SLOT = (i: number): string => `@@cogeval-image-${i}@@`;

/**
 * The JSON body of `POST /v1/chat/completions` for a dialect (cogvlm2.md §9), as bytes.
 *
 * Images (hundreds of KB each) do not pass through JSON.stringify or string concatenation: the
 * small JSON is serialised with a slot per image, and the body buffer is written once, with each
 * slot replaced by `"data:<mime>;base64,<payload>"`. Base64 and the MIME labels never need JSON
 * escaping, and a slot with its bare quotes can only occur where it was put, since quotes inside
 * JSON strings are always escaped.
 */
export function chatCompletionBody(dialect: ServerDialect, input: ChatBodyInput): Buffer {
  const content =
    input.images.length === 0
      ? input.prompt
      : [
          { type: 'text', text: input.prompt },
          ...input.images.map((_, i) => ({ type: 'image_url', image_url: { url: IMAGE_SLOT(i) } })),
        ];
  const body: Record<string, unknown> = {
    model: input.model,
    messages: [{ role: 'user', content }],
    max_tokens: input.generation.maxNewTokens,
    ...dialect.decoding(input.generation),
    stream: input.stream,
  };
  if (input.stream && dialect.streamUsage) body.stream_options = { include_usage: true };
  if (dialect.sendsStop && input.stop !== undefined && input.stop.length > 0) body.stop = [...input.stop];
  let json = JSON.stringify(body);
  if (input.images.length === 0) return Buffer.from(json, 'utf8');
  const pieces: { text: string; encoding: 'utf8' | 'latin1' }[] = [];
  input.images.forEach((image, i) => {
    if (!/^image\/[a-z0-9+.-]+$/.test(image.mime)) throw new Error(`image ${i}: '${image.mime}' is not an image MIME type`);
    const slot = `"${IMAGE_SLOT(i)}"`;
    const at = json.indexOf(slot);
    pieces.push({ text: `${json.slice(0, at)}"data:${image.mime};base64,`, encoding: 'utf8' }, { text: image.base64, encoding: 'latin1' });
    json = `"${json.slice(at + slot.length)}`;
  });
  pieces.push({ text: json, encoding: 'utf8' });
  const size = pieces.reduce((n, p) => n + (p.encoding === 'latin1' ? p.text.length : Buffer.byteLength(p.text, 'utf8')), 0);
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const p of pieces) offset += out.write(p.text, offset, p.encoding);
  return out;
}
