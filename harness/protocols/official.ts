// The MMMU authors' model prompt (mmmu/utils/data_utils.py construct_prompt with
// mmmu/configs/llava1.5.yaml, scoring.md §9.2): `final_input_prompt`.
import official from '../../configs/protocols/official-mmmu.json' with { type: 'json' };
import { optionLetter } from './lmms-eval.js';
import type { MmmuSample } from './types.js';

/**
 * Multiple choice: question + `"\n"` + `"(L) text\n"` per option + `"\n"` + instruction; anything
 * else: question + `"\n"` + open instruction. `<image k>` tags stay in the text.
 */
export function officialMmmuPrompt(doc: Omit<MmmuSample, 'bench'>): string {
  if (doc.questionType === 'multiple-choice') {
    const example = doc.options.map((option, i) => `(${optionLetter(i)}) ${option}\n`).join('');
    return `${doc.question}\n${example}\n${official.mmmu.multipleChoiceInstruction}`;
  }
  return `${doc.question}\n${official.mmmu.openInstruction}`;
}
