// MMMU's model prompts under every protocol: lmms-eval's construct_prompt (current and 2024-05),
// VLMEvalKit's MCQ prompts, and the MMMU authors' own prompt, which the cogvlm2 protocol sends
// (scoring.md §9.2). The strings are in prompts.json.
import { lmmsEvalMmmuOptionLines, optionLetter, type LmmsEvalProtocol } from '../../protocols/lmms-eval.js';
import type { MmmuSample } from '../../protocols/types.js';
import { optionsByLetter, vlmevalkitCogvlmMcqPrompt, vlmevalkitGenericMcqPrompt } from '../../protocols/vlmevalkit.js';
import type { BenchmarkPrompts } from '../types.js';
import settings from './prompts.json' with { type: 'json' };

/**
 * The MMMU authors' `final_input_prompt` (mmmu/utils/data_utils.py construct_prompt with
 * mmmu/configs/llava1.5.yaml). Multiple choice: question + `"\n"` + `"(L) text\n"` per option +
 * `"\n"` + instruction; anything else: question + `"\n"` + open instruction. `<image k>` tags stay.
 */
export function officialMmmuPrompt(doc: Omit<MmmuSample, 'bench'>): string {
  if (doc.questionType === 'multiple-choice') {
    const example = doc.options.map((option, i) => `(${optionLetter(i)}) ${option}\n`).join('');
    return `${doc.question}\n${example}\n${settings.official.multipleChoiceInstruction}`;
  }
  return `${doc.question}\n${settings.official.openInstruction}`;
}

/**
 * lmms-eval MMMU `construct_prompt`: multiple choice = question + `"\n"` + option lines +
 * separator + instruction; anything else = question + separator + open instruction. The separator
 * is `"\n\n"` now and `"\n"` at 2024-05, whose instruction also said "option letter".
 * `<image k>` stays in the text (`interleaved_format` is false).
 */
export function lmmsEvalMmmuDocToText(doc: Omit<MmmuSample, 'bench'>, protocol: LmmsEvalProtocol): string {
  const mmmu = settings[protocol];
  if (doc.questionType === 'multiple-choice') {
    return `${doc.question}\n${lmmsEvalMmmuOptionLines(doc.options)}${mmmu.instructionSeparator}${mmmu.multipleChoiceInstruction}`;
  }
  return `${doc.question}${mmmu.instructionSeparator}${mmmu.openInstruction}`;
}

export const mmmuPrompts: BenchmarkPrompts<MmmuSample> = {
  settings,
  dummy: { bench: 'mmmu', question: 'q', questionType: 'open', options: [] },
  userPrompt(protocol, sample) {
    switch (protocol) {
      case 'cogvlm2':
        return officialMmmuPrompt(sample);
      case 'lmms-eval':
      case 'lmms-eval@2024-05':
        return lmmsEvalMmmuDocToText(sample, protocol);
      case 'vlmevalkit':
        return vlmevalkitCogvlmMcqPrompt({ question: sample.question, hint: null, options: optionsByLetter(sample.options) }, settings.vlmevalkit);
      case 'vlmevalkit@2024-05':
        return vlmevalkitGenericMcqPrompt({ question: sample.question, hint: null, options: optionsByLetter(sample.options) }, settings['vlmevalkit@2024-05']);
    }
  },
};
