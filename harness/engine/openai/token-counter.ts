// Output tokens of a server answer counted with the model's tokenizer, for servers whose usage
// counts are missing (the official demo when streaming, xinference) or impossible (the official
// demo's negative completion_tokens). The tokenizer is the checkpoint's own tokenizer.json from
// the Hugging Face cache when it is there, else the Llama-3 tokenizer bundled with cogeval (every
// CogVLM2 checkpoint uses the Llama-3 vocabulary); it is loaded on first use only.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hfHubCacheDir } from '../../datasets/hub/env.js';
import { fixtureTokenizerFiles } from '../onnx/model-dir.js';
import { LlamaTokenizer, type TokenizerFiles } from '../onnx/tokenizer.js';

export interface TokenCounter {
  /** Where the tokenizer comes from, for messages and run records. */
  readonly source: string;
  /** Tokens of a generated text (no special tokens added), or undefined when no tokenizer could be loaded. */
  count(text: string): number | undefined;
}

/** `org/name` → the tokenizer.json of a snapshot of that model in the HF cache, if any. */
function cachedModelTokenizer(hfId: string, env: NodeJS.ProcessEnv): TokenizerFiles | undefined {
  if (!/^[\w.-]+\/[\w.-]+$/.test(hfId)) return undefined;
  const snapshots = join(hfHubCacheDir(env), ['models', ...hfId.split('/')].join('--'), 'snapshots');
  if (!existsSync(snapshots)) return undefined;
  for (const commit of readdirSync(snapshots).sort()) {
    const json = join(snapshots, commit, 'tokenizer.json');
    if (existsSync(json)) {
      const config = join(snapshots, commit, 'tokenizer_config.json');
      return existsSync(config) ? { json, config } : { json };
    }
  }
  return undefined;
}

/**
 * The token counter for a model: its own tokenizer from the HF cache, else the bundled Llama-3
 * tokenizer. Loading happens on the first count; a tokenizer that cannot be loaded counts nothing
 * (undefined), and the throughput then says n/a rather than 0.
 */
export function tokenCounterFor(hfId: string | undefined, env: NodeJS.ProcessEnv = process.env): TokenCounter {
  const own = hfId !== undefined ? cachedModelTokenizer(hfId, env) : undefined;
  let tokenizer: LlamaTokenizer | null | undefined;
  let source = own ? `${hfId ?? ''} tokenizer.json in the Hugging Face cache` : 'the bundled Llama-3 tokenizer (the CogVLM2 vocabulary)';
  return {
    get source() {
      return source;
    },
    count(text: string): number | undefined {
      if (tokenizer === undefined) {
        try {
          tokenizer = LlamaTokenizer.load(own ?? fixtureTokenizerFiles());
        } catch (err) {
          tokenizer = null;
          source = `none (${err instanceof Error ? err.message : String(err)})`;
        }
      }
      return tokenizer === null ? undefined : tokenizer.encode(text).length;
    },
  };
}
