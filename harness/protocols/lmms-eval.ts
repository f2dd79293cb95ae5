// lmms-eval's model prompts (doc_to_text of each task, scoring.md §5.2-§11.2) at the current
// revision and at 2024-05, and what its cogvlm2 model class does to a prompt before generating.
import current from '../../configs/protocols/lmms-eval.json' with { type: 'json' };
import may2024 from '../../configs/protocols/lmms-eval-2024-05.json' with { type: 'json' };
import { pyCapitalize, pyStrip } from '../metrics/py.js';
import type { CellValue, MmbenchSample, MmmuSample } from './types.js';

export type LmmsEvalProtocol = 'lmms-eval' | 'lmms-eval@2024-05';

export function lmmsEvalConfig(protocol: LmmsEvalProtocol): typeof current | typeof may2024 {
  return protocol === 'lmms-eval' ? current : may2024;
}

/** TextVQA: `pre_prompt + question.capitalize() + post_prompt` (Python capitalize: rest lower-cased). */
export function lmmsEvalTextvqaDocToText(question: string, protocol: LmmsEvalProtocol): string {
  const { prePrompt, postPrompt } = lmmsEvalConfig(protocol).benchmarks.textvqa;
  return `${prePrompt}${pyCapitalize(question)}${postPrompt}`;
}

/** DocVQA: `pre_prompt + question + post_prompt` (question not stripped). */
export function lmmsEvalDocvqaDocToText(question: string, protocol: LmmsEvalProtocol): string {
  const { prePrompt, postPrompt } = lmmsEvalConfig(protocol).benchmarks.docvqa;
  return `${prePrompt}${question}${postPrompt}`;
}

/** ChartQA: `pre_prompt + question + post_prompt` (question not stripped). */
export function lmmsEvalChartqaDocToText(question: string, protocol: LmmsEvalProtocol): string {
  const { prePrompt, postPrompt } = lmmsEvalConfig(protocol).benchmarks.chartqa;
  return `${prePrompt}${question}${postPrompt}`;
}

/** OCRBench: the question with Python whitespace stripped from both ends. */
export function lmmsEvalOcrbenchDocToText(question: string, protocol: LmmsEvalProtocol): string {
  const { prePrompt, postPrompt } = lmmsEvalConfig(protocol).benchmarks.ocrbench;
  return `${prePrompt}${pyStrip(question)}${postPrompt}`;
}

/** MM-Vet: the step-by-step prefix (wording differs by revision) + question. */
export function lmmsEvalMmvetDocToText(question: string, protocol: LmmsEvalProtocol): string {
  const { prePrompt, postPrompt } = lmmsEvalConfig(protocol).benchmarks.mmvet;
  return `${prePrompt}${question}${postPrompt}`;
}

/** `chr(ord("A") + i)`: the option letter at position i. */
export function optionLetter(index: number): string {
  return String.fromCodePoint(65 + index);
}

/** lmms-eval `parse_options`: `"A. opt"` lines joined by `"\n"`. */
export function lmmsEvalMmmuOptionLines(options: readonly string[]): string {
  return options.map((option, i) => `${optionLetter(i)}. ${option}`).join('\n');
}

/**
 * MMMU `construct_prompt`: multiple choice = question + `"\n"` + option lines + separator +
 * instruction; anything else = question + separator + open instruction. The separator is
 * `"\n\n"` now and `"\n"` at 2024-05, whose instruction also said "option letter".
 * `<image k>` stays in the text (`interleaved_format` is false).
 */
export function lmmsEvalMmmuDocToText(doc: Omit<MmmuSample, 'bench'>, protocol: LmmsEvalProtocol): string {
  const mmmu = lmmsEvalConfig(protocol).benchmarks.mmmu;
  if (doc.questionType === 'multiple-choice') {
    return `${doc.question}\n${lmmsEvalMmmuOptionLines(doc.options)}${mmmu.instructionSeparator}${mmmu.multipleChoiceInstruction}`;
  }
  return `${doc.question}${mmmu.instructionSeparator}${mmmu.openInstruction}`;
}

/** lmms-eval's option and hint test: present unless None, NaN or the text "nan". */
function presentUnlessNan(value: CellValue): value is string {
  return value !== null && value !== undefined && value !== 'nan';
}

/** The option letters lmms-eval's MMBench evaluator considers (`option_candidate`). */
export const LMMS_EVAL_MMBENCH_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/**
 * `create_options_prompt`: `"There are several options:\n"` + `"L. text\n"` for each letter A–E in
 * order whose value is truthy (not `""`/None) and not NaN / `"nan"`, with trailing newlines removed.
 */
export function lmmsEvalMmbenchOptionsPrompt(options: Readonly<Record<string, CellValue>>, protocol: LmmsEvalProtocol): string {
  let prompt = lmmsEvalConfig(protocol).benchmarks.mmbench.optionsHeader;
  for (const letter of LMMS_EVAL_MMBENCH_LETTERS) {
    const value = options[letter];
    if (value === '' || !presentUnlessNan(value)) continue;
    prompt += `${letter}. ${value}\n`;
  }
  return prompt.replace(/\n+$/u, '');
}

/**
 * MMBench `mmbench_doc_to_text`: `"{hint} {question} {options}"` (hint and its space left out
 * when the hint is None, NaN or "nan") + `"\n"` + post prompt.
 */
export function lmmsEvalMmbenchDocToText(doc: Omit<MmbenchSample, 'bench'>, protocol: LmmsEvalProtocol): string {
  const options = lmmsEvalMmbenchOptionsPrompt(doc.options, protocol);
  const query = presentUnlessNan(doc.hint) ? `${doc.hint} ${doc.question} ${options}` : `${doc.question} ${options}`;
  return `${query}\n${lmmsEvalConfig(protocol).benchmarks.mmbench.postPrompt}`;
}

/**
 * What lmms-eval's cogvlm2 class hands to `build_conversation_input_ids` as the query: the task
 * prompt with every literal `<image>` removed (`<image k>` tags are not touched).
 */
export function lmmsEvalCogvlm2Query(docText: string): string {
  return docText.split('<image>').join('');
}
