// Vector adapters for prompts.jsonl (metrics prompt.*): label → the model prompt built under that profile.
import {
  lmmsEvalChartqaDocToText,
  lmmsEvalDocvqaDocToText,
  lmmsEvalMmbenchDocToText,
  lmmsEvalMmmuDocToText,
  lmmsEvalMmvetDocToText,
  lmmsEvalOcrbenchDocToText,
  lmmsEvalTextvqaDocToText,
} from '../../protocols/lmms-eval.js';
import { parseMmmuOptions } from '../../protocols/mmmu-options.js';
import { officialMmmuPrompt } from '../../protocols/official.js';
import type { CellValue, MmbenchSample, MmmuSample } from '../../protocols/types.js';
import { vlmevalkitCogvlmMcqPrompt } from '../../protocols/vlmevalkit.js';
import type { VectorAdapters, VectorInput } from '../markers.js';

function readQuestion(input: VectorInput, metric: string): string {
  const question = input['question'];
  if (typeof question !== 'string') throw new Error(`${metric} input: question must be a string`);
  return question;
}

function readDoc(input: VectorInput, metric: string): Record<string, unknown> {
  const doc = input['doc'];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${metric} input: doc must be an object`);
  return doc as Record<string, unknown>;
}

function readMmmuDoc(input: VectorInput): Omit<MmmuSample, 'bench'> {
  const doc = readDoc(input, 'prompt.mmmu');
  const { question, question_type: questionType, options } = doc;
  if (typeof question !== 'string' || typeof questionType !== 'string' || typeof options !== 'string') {
    throw new Error('prompt.mmmu input: doc needs string fields question, question_type and options');
  }
  return { question, questionType, options: parseMmmuOptions(options) };
}

/** vectors README §3: the string "NaN" in an input is a missing value (pandas NaN), null is None. */
function readCell(value: unknown, field: string): CellValue {
  if (value === null || value === 'NaN') return null;
  if (typeof value !== 'string') throw new Error(`prompt.mmbench input: ${field} must be a string, "NaN" or null`);
  return value;
}

function readMmbenchDoc(input: VectorInput): Omit<MmbenchSample, 'bench'> {
  const doc = readDoc(input, 'prompt.mmbench');
  const question = doc['question'];
  if (typeof question !== 'string') throw new Error('prompt.mmbench input: doc.question must be a string');
  const options: Record<string, CellValue> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (/^[A-Z]$/u.test(key)) options[key] = readCell(value, key);
  }
  return { question, hint: readCell(doc['hint'], 'hint'), options };
}

export const adapters: VectorAdapters = {
  'prompt.textvqa': { lmms_eval: (input) => lmmsEvalTextvqaDocToText(readQuestion(input, 'prompt.textvqa'), 'lmms-eval') },
  'prompt.docvqa': { lmms_eval: (input) => lmmsEvalDocvqaDocToText(readQuestion(input, 'prompt.docvqa'), 'lmms-eval') },
  'prompt.chartqa': { lmms_eval: (input) => lmmsEvalChartqaDocToText(readQuestion(input, 'prompt.chartqa'), 'lmms-eval') },
  'prompt.ocrbench': { lmms_eval: (input) => lmmsEvalOcrbenchDocToText(readQuestion(input, 'prompt.ocrbench'), 'lmms-eval') },
  'prompt.mmvet': { lmms_eval: (input) => lmmsEvalMmvetDocToText(readQuestion(input, 'prompt.mmvet'), 'lmms-eval') },
  'prompt.mmmu': {
    official_final_input_prompt: (input) => officialMmmuPrompt(readMmmuDoc(input)),
    lmms_eval_doc_to_text: (input) => lmmsEvalMmmuDocToText(readMmmuDoc(input), 'lmms-eval'),
    lmms_eval_2024_05_doc_to_text: (input) => lmmsEvalMmmuDocToText(readMmmuDoc(input), 'lmms-eval@2024-05'),
  },
  'prompt.mmbench': {
    lmms_eval: (input) => lmmsEvalMmbenchDocToText(readMmbenchDoc(input), 'lmms-eval'),
    vlmevalkit_cogvlm_build_prompt: (input) => vlmevalkitCogvlmMcqPrompt(readMmbenchDoc(input), 'mmbench'),
  },
};
