// VCR prompts per protocol, generation settings, the dummy prompt and the report's reference
// text. lmms-eval, VLMEvalKit's TSV and the authors' script all send the same instruction.
import type { GenerationSettings } from '../../protocols/types.js';

/** The instruction every reference harness sends with the stacked image (no other text). */
export const VCR_INSTRUCTION =
  'What is the covered texts in the image? Please restore the covered texts without outputting the explanations.';

export type VcrProtocol = 'lmms-eval' | 'vlmevalkit' | 'cogvlm2';

/** lmms-eval: pre_prompt "" + post_prompt (the instruction); the TSV's question for VLMEvalKit. */
export function vcrPrompt(protocol: VcrProtocol, question: string): string {
  if (protocol === 'lmms-eval') return VCR_INSTRUCTION;
  // VLMEvalKit's VCRDataset keeps ImageBaseDataset.build_prompt: the TSV's question cell as is.
  if (protocol === 'vlmevalkit') return question;
  // cogvlm2: cogeval's choice — the authors' and lmms-eval's instruction unchanged.
  return VCR_INSTRUCTION;
}

/** lmms-eval's _default_template_vcr_yaml: greedy (temperature 0, no sampling), 120 new tokens. */
export const VCR_LMMS_EVAL_GENERATION: GenerationSettings = { maxNewTokens: 120, temperature: 0, doSample: false };

/**
 * VLMEvalKit: its CogVLM wrapper passes only max_new_tokens 2048, so the model's
 * generation_config (sampling, temperature 0.6, top_p 0.9) applies, as for every other benchmark
 * in configs/protocols/vlmevalkit.json.
 */
export const VCR_VLMEVALKIT_GENERATION: GenerationSettings = { maxNewTokens: 2048, temperature: 0.6, doSample: true, topP: 0.9 };

/**
 * cogvlm2 protocol: greedy as the CogVLM2 demo (top_k 1), 120 new tokens like lmms-eval — a
 * restored 5-word phrase per blank never needs more, so the cap only bounds runaway output.
 */
export const VCR_COGVLM2_GENERATION: GenerationSettings = { maxNewTokens: 120, temperature: 0, doSample: false, topK: 1 };

/** A fixed prompt for engine warm-up / dry runs (the runner's dummyPrompt for this benchmark). */
export const VCR_DUMMY_PROMPT = VCR_INSTRUCTION;

/** What the report shows as the reference of one sample: the masked phrases, in order. */
export function vcrReferenceText(references: { crossed_text?: unknown }): string {
  const list = references.crossed_text;
  if (!Array.isArray(list)) return '';
  return list.map((t, i) => `[${i + 1}] ${String(t)}`).join('  ');
}
