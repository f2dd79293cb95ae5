// VCR prompts per protocol (the strings and generation settings are prompts.json) and the report's
// reference text. lmms-eval, VLMEvalKit's TSV and the authors' script all send the same instruction;
// the dated protocols predate VCR in those harnesses and refuse it (prompts.json "unavailable").
import { ConfigError } from '../../errors.js';
import type { QuestionSample } from '../../protocols/types.js';
import type { BenchmarkPrompts, PromptSettings } from '../types.js';
import settings from './prompts.json' with { type: 'json' };

/** The instruction every reference harness sends with the stacked image (no other text). */
export const VCR_INSTRUCTION = settings.cogvlm2.prompt;

/** The prompts of one VCR benchmark (`bench` is vcr_easy or vcr_hard; both share prompts.json). */
export function vcrPrompts(bench: QuestionSample['bench']): BenchmarkPrompts<QuestionSample> {
  return {
    settings: settings as PromptSettings,
    dummy: { bench, question: VCR_INSTRUCTION },
    userPrompt(protocol, sample) {
      switch (protocol) {
        case 'cogvlm2':
          // cogeval's choice: the authors' and lmms-eval's instruction unchanged.
          return settings.cogvlm2.prompt;
        case 'lmms-eval':
          // pre_prompt "" + post_prompt; lmms-eval's VCR doc_to_text has no question text.
          return `${settings['lmms-eval'].prePrompt}${settings['lmms-eval'].postPrompt}`;
        case 'vlmevalkit':
          // VLMEvalKit's VCRDataset keeps ImageBaseDataset.build_prompt: the TSV's question cell as is.
          return sample.question;
        case 'lmms-eval@2024-05':
        case 'vlmevalkit@2024-05':
          throw new ConfigError(`${bench} has no prompt under protocol ${protocol}: ${settings[protocol].unavailable}`);
      }
    },
  };
}

/** What the report shows as the reference of one sample: the masked phrases, in order. */
export function vcrReferenceText(references: { crossed_text?: unknown }): string {
  const list = references.crossed_text;
  if (!Array.isArray(list)) return '';
  return list.map((t, i) => `[${i + 1}] ${String(t)}`).join('  ');
}
