// lmms-eval's prompt machinery shared by the benchmark modules (each task's doc_to_text lives in
// its module, scoring.md §5.2-§11.2): option letters and lists, its NaN test, and what its cogvlm2
// model class does to a prompt before generating.
import type { CellValue } from './types.js';

export type LmmsEvalProtocol = 'lmms-eval' | 'lmms-eval@2024-05';

/** `chr(ord("A") + i)`: the option letter at position i. */
export function optionLetter(index: number): string {
  return String.fromCodePoint(65 + index);
}

/** lmms-eval `parse_options`: `"A. opt"` lines joined by `"\n"`. */
export function lmmsEvalMmmuOptionLines(options: readonly string[]): string {
  return options.map((option, i) => `${optionLetter(i)}. ${option}`).join('\n');
}

/** lmms-eval's option and hint test: present unless None, NaN or the text "nan". */
export function presentUnlessNan(value: CellValue): value is string {
  return value !== null && value !== undefined && value !== 'nan';
}

/** The option letters lmms-eval's MMBench evaluator considers (`option_candidate`). */
export const LMMS_EVAL_MMBENCH_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/**
 * What lmms-eval's cogvlm2 class hands to `build_conversation_input_ids` as the query: the task
 * prompt with every literal `<image>` removed (`<image k>` tags are not touched).
 */
export function lmmsEvalCogvlm2Query(docText: string): string {
  return docText.split('<image>').join('');
}
