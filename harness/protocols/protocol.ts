// Protocol dispatch: the model prompt, the query CogVLM2 receives, its template text and the
// generation settings for one sample under one protocol (cogvlm2, lmms-eval, vlmevalkit, dated).
import { ConfigError } from '../errors.js';
import { benchmark } from '../benchmarks/registry.js';
import type { ProtocolPromptSettings } from '../benchmarks/types.js';
import type { BenchId } from '../metrics/types.js';
import {
  COGVLM2_DEFAULT_TEMPLATE,
  COGVLM2_STOP_TOKEN_IDS,
  cogvlm2PromptText,
  type Cogvlm2Template,
  type Cogvlm2Variant,
} from './cogvlm2-template.js';
import { lmmsEvalCogvlm2Query } from './lmms-eval.js';
import { PROTOCOL_IDS, isProtocolId, type GenerationSettings, type PromptSample, type ProtocolId } from './types.js';
import { vlmevalkitCogvlmQuery } from './vlmevalkit.js';

/** Checks a user-given protocol name; the error lists the valid ones. */
export function parseProtocolId(name: string): ProtocolId {
  if (!isProtocolId(name)) throw new ConfigError(`unknown protocol '${name}'; valid protocols: ${PROTOCOL_IDS.join(', ')}`);
  return name;
}

/**
 * The model prompt (user turn) the protocol's harness builds for a sample: lmms-eval's
 * `doc_to_text`, VLMEvalKit's `build_prompt`, or the cogvlm2 protocol's prompt.
 */
export function userPrompt(protocol: ProtocolId, sample: PromptSample): string {
  protocolSettings(protocol, sample.bench);
  return benchmark(sample.bench).prompts.userPrompt(protocol, sample);
}

/** Whether a benchmark has a prompt under a protocol (false: its harness revision predates it). */
export function protocolOffers(protocol: ProtocolId, bench: BenchId): boolean {
  return !('unavailable' in benchmark(bench).prompts.settings[protocol]);
}

/**
 * A benchmark's prompt settings under a protocol (its prompts.json section); a ConfigError (exit 2)
 * when the protocol's harness revision predates the benchmark (the section says `unavailable`).
 */
export function protocolSettings(protocol: ProtocolId, bench: BenchId): ProtocolPromptSettings {
  const m = benchmark(bench);
  const section = m.prompts.settings[protocol];
  if ('unavailable' in section) throw new ConfigError(`${m.title} (${bench}) cannot run under protocol ${protocol}: ${section.unavailable}`);
  return section;
}

/**
 * The query the harness's CogVLM2 class passes to `build_conversation_input_ids`: lmms-eval
 * removes literal `<image>`; current VLMEvalKit appends "\nShort Answer." to MCQ prompts (not yet
 * at 2024-05); the cogvlm2 protocol sends its prompt unchanged.
 */
export function modelQuery(protocol: ProtocolId, sample: PromptSample): string {
  const prompt = userPrompt(protocol, sample);
  switch (protocol) {
    case 'lmms-eval':
    case 'lmms-eval@2024-05':
      return lmmsEvalCogvlm2Query(prompt);
    case 'vlmevalkit':
      return vlmevalkitCogvlmQuery(prompt, protocolSettings('vlmevalkit', sample.bench));
    case 'vlmevalkit@2024-05':
    case 'cogvlm2':
      return prompt;
  }
}

/**
 * `reference`: the decoding the protocol's harness effectively runs (VLMEvalKit samples with the
 * model's generation config). `greedy`: the same token limit with greedy decoding, the setting
 * cogeval uses to get reproducible outputs (cogvlm2.md §6).
 */
export type Decoding = 'reference' | 'greedy';

/** Greedy decoding (top_k = 1) with the given settings' token limit. */
export function asGreedy(settings: GenerationSettings): GenerationSettings {
  return { maxNewTokens: settings.maxNewTokens, temperature: 0, doSample: false, topK: 1 };
}

/** Generation settings of a protocol for a benchmark (its prompts.json; scoring.md §13, cogvlm2.md §6-§7). */
export function generationSettings(protocol: ProtocolId, bench: BenchId, decoding: Decoding = 'reference'): GenerationSettings {
  const settings = protocolSettings(protocol, bench).generation;
  return decoding === 'greedy' ? asGreedy(settings) : { ...settings };
}

/** Everything an engine needs besides the image. */
export interface ProtocolRequest {
  protocol: ProtocolId;
  /** The query given to the model (OpenAI-style servers apply the template themselves). */
  query: string;
  template: Cogvlm2Template;
  /** The template text tokenised after BOS and the image placeholders (in-process engines). */
  text: string;
  generation: GenerationSettings;
  stopTokenIds: readonly number[];
}

export interface RequestOptions {
  variant: Cogvlm2Variant;
  /** Only for the `cogvlm2` protocol (e.g. `vqa`); the harness protocols run the variant's default. */
  template?: Cogvlm2Template;
  decoding?: Decoding;
}

/** Builds the request for one sample. */
export function buildRequest(protocol: ProtocolId, sample: PromptSample, options: RequestOptions): ProtocolRequest {
  const defaultTemplate = COGVLM2_DEFAULT_TEMPLATE[options.variant];
  if (options.template !== undefined && options.template !== defaultTemplate && protocol !== 'cogvlm2') {
    throw new ConfigError(
      `protocol '${protocol}' runs CogVLM2's default '${defaultTemplate}' template as its harness does; ` +
        `a '${options.template}' template is only available with the 'cogvlm2' protocol`,
    );
  }
  const template = options.template ?? defaultTemplate;
  const query = modelQuery(protocol, sample);
  return {
    protocol,
    query,
    template,
    text: cogvlm2PromptText(query, template),
    generation: generationSettings(protocol, sample.bench, options.decoding ?? 'reference'),
    stopTokenIds: COGVLM2_STOP_TOKEN_IDS,
  };
}
