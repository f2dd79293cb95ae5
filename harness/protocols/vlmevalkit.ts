// VLMEvalKit's MCQ prompt machinery for CogVLM2, shared by the MCQ benchmark modules: the CogVLM
// wrapper's MCQ prompt and "\nShort Answer." suffix (current), and the generic MCQ prompt of
// 2024-05 (scoring.md §9.2, §11.2; cogvlm2.md §7.1). Each module's prompts.json holds the strings.
import { optionLetter } from './lmms-eval.js';
import type { CellValue } from './types.js';

export type VlmevalkitProtocol = 'vlmevalkit' | 'vlmevalkit@2024-05';

/** The CogVLM wrapper's MCQ strings (a module's prompts.json, `vlmevalkit` section). */
export interface CogvlmMcqSettings {
  instruction: string;
  instructionChinese: string;
  shortAnswerSuffix: string;
}

/** The generic MCQ prompt's strings of 2024-05 (a module's prompts.json, `vlmevalkit@2024-05` section). */
export interface GenericMcqSettings {
  hintPrefix: string;
  questionPrefix: string;
  optionsHeader: string;
  instruction: string;
}

/**
 * A cell as VLMEvalKit sees it after pandas read the TSV: NaN (here `null`/absent) and the text
 * "nan" (how HF copies of MMBench store empty cells; pandas reads it as NaN) are missing. An
 * empty string is a present value.
 */
export function vlmevalkitCellPresent(value: CellValue): value is string {
  return value !== null && value !== undefined && value !== 'nan';
}

/** The fields VLMEvalKit's MCQ prompts read from a row. */
export interface McqRow {
  question: string;
  hint?: CellValue;
  /** Option columns by letter; VLMEvalKit walks `string.ascii_uppercase`. */
  options: Readonly<Record<string, CellValue>>;
}

const UPPERCASE_LETTERS = Array.from({ length: 26 }, (_, i) => optionLetter(i));

/** The present options of a row in A–Z order, as [letter, text] pairs. */
export function vlmevalkitPresentOptions(options: Readonly<Record<string, CellValue>>): [string, string][] {
  const present: [string, string][] = [];
  for (const letter of UPPERCASE_LETTERS) {
    const value = options[letter];
    if (vlmevalkitCellPresent(value)) present.push([letter, value]);
  }
  return present;
}

/** Option columns A, B, … from a list of option texts (MMMU's `options`). */
export function optionsByLetter(options: readonly string[]): Record<string, string> {
  const byLetter: Record<string, string> = {};
  options.forEach((option, i) => {
    byLetter[optionLetter(i)] = option;
  });
  return byLetter;
}

/** VLMEvalKit `cn_string`: the text holds a CJK unified ideograph (U+4E00–U+9FFF). */
export function containsCjkIdeograph(text: string): boolean {
  return /[\u4e00-\u9fff]/u.test(text);
}

/**
 * `CogVlm.build_prompt` for MCQ datasets: hint + `"\n"` (hint present) + question + `"\nL. text"`
 * per present option + `"\n"` + instruction, where the instruction is the Chinese one when the
 * assembled text (hint, question and options) holds a CJK ideograph. Without the short-answer
 * suffix, which generate_inner appends (see vlmevalkitCogvlmQuery).
 */
export function vlmevalkitCogvlmMcqPrompt(row: McqRow, mcq: Omit<CogvlmMcqSettings, 'shortAnswerSuffix'>): string {
  let prompt = vlmevalkitCellPresent(row.hint) ? `${row.hint}\n${row.question}` : row.question;
  for (const [letter, text] of vlmevalkitPresentOptions(row.options)) prompt += `\n${letter}. ${text}`;
  const instruction = containsCjkIdeograph(prompt) ? mcq.instructionChinese : mcq.instruction;
  return `${prompt}\n${instruction}`;
}

/**
 * `CogVlm.generate_inner`: prompts of MCQ (and Y/N) datasets get `"\nShort Answer."` appended
 * (a benchmark's `vlmevalkit` settings with a `shortAnswerSuffix`); others pass unchanged.
 */
export function vlmevalkitCogvlmQuery(prompt: string, settings: { shortAnswerSuffix?: string }): string {
  return `${prompt}${settings.shortAnswerSuffix ?? ''}`;
}

/**
 * The generic MCQ prompt of `TSVDataset.build_prompt` (2024-05): `"Hint: {hint}\n"` (hint present)
 * + `"Question: {question}\n"` + — when the row has options — `"Options:\n"`, `"L. text\n"` per
 * present option and `"Please select the correct answer from the options above. \n"`.
 */
export function vlmevalkitGenericMcqPrompt(row: McqRow, mcq: GenericMcqSettings): string {
  let prompt = vlmevalkitCellPresent(row.hint) ? `${mcq.hintPrefix}${row.hint}\n` : '';
  prompt += `${mcq.questionPrefix}${row.question}\n`;
  const options = vlmevalkitPresentOptions(row.options);
  if (options.length > 0) {
    prompt += mcq.optionsHeader;
    for (const [letter, text] of options) prompt += `${letter}. ${text}\n`;
    prompt += mcq.instruction;
  }
  return prompt;
}
