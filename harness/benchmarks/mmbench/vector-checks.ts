// Scorer-vector checks for mmbench_extract.jsonl (can_infer per profile), mmbench_circular.jsonl
// (heuristic stage of the circular group decision per profile) and prompts.jsonl (prompt.mmbench).
import { canInfer, prefetchCircularGroup, type CanInferProfile, type GroupRow } from './scorer.js';
import { NEEDS_JUDGE, type VectorChecks, type VectorInput } from '../../verify/markers.js';
import type { CellValue, MmbenchSample } from '../../protocols/types.js';
import { vlmevalkitCogvlmMcqPrompt } from '../../protocols/vlmevalkit.js';
import { lmmsEvalMmbenchDocToText } from './prompts.js';
import settings from './prompts.json' with { type: 'json' };

function extractChoice(input: VectorInput, profile: CanInferProfile): string | false {
  const { prediction, choices } = input;
  if (typeof prediction !== 'string') throw new Error('mmbench vector: "prediction" must be a string');
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) {
    throw new Error('mmbench vector: "choices" must be an object of letter → option text');
  }
  const texts: Record<string, string> = {};
  for (const [letter, text] of Object.entries(choices)) {
    if (typeof text !== 'string') throw new Error(`mmbench vector: choice ${letter} must be a string`);
    texts[letter] = text;
  }
  return canInfer(prediction, texts, profile);
}

/** A vector row: option fields A–D, where the string "NaN" marks a missing option (README §3). */
function groupRow(raw: unknown): Pick<GroupRow, 'prediction' | 'answer' | 'options'> {
  if (typeof raw !== 'object' || raw === null) throw new Error('mmbench vector: each row must be an object');
  const row = raw as Record<string, unknown>;
  const { prediction, answer } = row;
  if (typeof prediction !== 'string') throw new Error('mmbench vector: row "prediction" must be a string');
  if (typeof answer !== 'string') throw new Error('mmbench vector: row "answer" must be a string');
  const options: Record<string, string | null> = {};
  for (const letter of ['A', 'B', 'C', 'D']) {
    const cell = row[letter];
    if (cell === undefined) continue;
    if (typeof cell !== 'string') throw new Error(`mmbench vector: row option ${letter} must be a string`);
    options[letter] = cell === 'NaN' ? null : cell;
  }
  return { prediction, answer, options };
}

function prefetch(input: VectorInput, profile: CanInferProfile): unknown {
  const rows = input['rows'];
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('mmbench vector: "rows" must be a non-empty list');
  const { verdict } = prefetchCircularGroup(rows.map(groupRow), profile);
  return verdict === 'needs_judge' ? NEEDS_JUDGE : verdict;
}

/** vectors README §3: the string "NaN" in an input is a missing value (pandas NaN), null is None. */
function readCell(value: unknown, field: string): CellValue {
  if (value === null || value === 'NaN') return null;
  if (typeof value !== 'string') throw new Error(`prompt.mmbench input: ${field} must be a string, "NaN" or null`);
  return value;
}

function readMmbenchDoc(input: VectorInput): Omit<MmbenchSample, 'bench'> {
  const doc = input['doc'];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('prompt.mmbench input: doc must be an object');
  const fields = doc as Record<string, unknown>;
  const question = fields['question'];
  if (typeof question !== 'string') throw new Error('prompt.mmbench input: doc.question must be a string');
  const options: Record<string, CellValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (/^[A-Z]$/u.test(key)) options[key] = readCell(value, key);
  }
  return { question, hint: readCell(fields['hint'], 'hint'), options };
}

export const vectorChecks: VectorChecks = {
  'prompt.mmbench': {
    lmms_eval: (input) => lmmsEvalMmbenchDocToText(readMmbenchDoc(input), 'lmms-eval'),
    vlmevalkit_cogvlm_build_prompt: (input) => vlmevalkitCogvlmMcqPrompt(readMmbenchDoc(input), settings.vlmevalkit),
  },
  'mmbench.extract_choice': {
    vlmevalkit: (input) => extractChoice(input, 'vlmevalkit'),
    vlmevalkit_2024_05: (input) => extractChoice(input, 'vlmevalkit@2024-05'),
    lmms_eval: (input) => extractChoice(input, 'lmms-eval'),
  },
  'mmbench.circular_group': {
    vlmevalkit_prefetch: (input) => prefetch(input, 'vlmevalkit'),
    lmms_eval_prefetch: (input) => prefetch(input, 'lmms-eval'),
  },
};
