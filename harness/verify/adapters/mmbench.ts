// Vector adapters for mmbench_extract.jsonl (can_infer per profile) and mmbench_circular.jsonl
// (heuristic stage of the circular group decision per profile).
import { canInfer, prefetchCircularGroup, type CanInferProfile, type GroupRow } from '../../metrics/mmbench.js';
import { NEEDS_JUDGE, type VectorAdapters, type VectorInput } from '../markers.js';

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

export const adapters: VectorAdapters = {
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
