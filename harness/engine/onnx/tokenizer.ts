// The Llama-3 tokenizer of a model directory (`@huggingface/tokenizers` on its tokenizer.json):
// text → ids without special tokens, ids → text skipping special tokens, and text deltas for
// streaming that always add up to the final text.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '../../errors.js';

export interface TokenizerFiles {
  /** tokenizer.json */
  json: string;
  /** tokenizer_config.json (decoding options such as clean_up_tokenization_spaces), when there is one. */
  config?: string;
}

function readJsonObject(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path} is not valid JSON (${(err as Error).message}); replace it with the model's own ${what}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`${path}: the ${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

export class LlamaTokenizer {
  readonly #tokenizer: Tokenizer;
  readonly files: TokenizerFiles;
  /** Whether decoding applies transformers' clean_up_tokenization_spaces (from tokenizer_config.json). */
  readonly cleanUpSpaces: boolean;

  private constructor(tokenizer: Tokenizer, files: TokenizerFiles, cleanUpSpaces: boolean) {
    this.#tokenizer = tokenizer;
    this.files = files;
    this.cleanUpSpaces = cleanUpSpaces;
  }

  static load(files: TokenizerFiles): LlamaTokenizer {
    const json = readJsonObject(files.json, 'tokenizer.json');
    if (typeof json.model !== 'object' || json.model === null) throw new InputError(`${files.json} has no "model" section: it is not a Hugging Face tokenizer.json`);
    const config = files.config !== undefined ? readJsonObject(files.config, 'tokenizer_config.json') : {};
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json, config);
    } catch (err) {
      throw new InputError(`cannot build a tokenizer from ${files.json}: ${(err as Error).message}`);
    }
    return new LlamaTokenizer(tokenizer, files, config.clean_up_tokenization_spaces === true);
  }

  /** Ids of `text` with no special tokens added (CogVLM2 tokenises with add_special_tokens=False). */
  encode(text: string): number[] {
    return this.#tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Text of `ids`, special tokens skipped, as `tokenizer.decode(ids, skip_special_tokens=True)`. */
  decode(ids: readonly number[]): string {
    return this.#tokenizer.decode(ids as number[], { skip_special_tokens: true });
  }

  /** The id of a token string (e.g. `<|eot_id|>`), if the vocabulary has it. */
  tokenId(token: string): number | undefined {
    return this.#tokenizer.token_to_id(token);
  }
}

/**
 * Turns the growing text of a generation into deltas. Its last characters are held back while a
 * later token could still change them — an unfinished UTF-8 sequence shows as U+FFFD,
 * clean_up_tokenization_spaces rewrites up to four characters (" n't"), a stop string may be
 * forming — so the deltas always concatenate to the final text.
 */
export class TextDeltas {
  readonly #holdBack: number;
  #emitted = '';
  #diverged = false;

  /** `holdBack`: characters kept back besides trailing U+FFFD. */
  constructor(holdBack: number) {
    this.#holdBack = holdBack;
  }

  /** The holdBack a tokenizer and a set of stop strings need. */
  static holdBackFor(tokenizer: LlamaTokenizer, stopStrings: readonly string[]): number {
    const longestStop = stopStrings.reduce((n, s) => Math.max(n, s.length), 0);
    return (tokenizer.cleanUpSpaces ? 4 : 0) + Math.max(0, longestStop - 1);
  }

  /** Takes the full text so far; returns the part that became final ('' if none). */
  update(text: string): string {
    if (this.#diverged) return '';
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 0xfffd) end--;
    end = Math.max(0, end - this.#holdBack);
    const stable = text.slice(0, end);
    if (!stable.startsWith(this.#emitted)) {
      // Cannot happen with the hold-back above; if it does, stop streaming and send the rest at the end.
      this.#diverged = true;
      return '';
    }
    if (stable.length <= this.#emitted.length) return '';
    const delta = stable.slice(this.#emitted.length);
    this.#emitted = stable;
    return delta;
  }

  /** The rest of the final text; `consistent` is false when earlier deltas are not a prefix of it. */
  finish(text: string): { rest: string; consistent: boolean } {
    if (!text.startsWith(this.#emitted)) return { rest: '', consistent: false };
    const rest = text.slice(this.#emitted.length);
    this.#emitted = text;
    return { rest, consistent: true };
  }
}
