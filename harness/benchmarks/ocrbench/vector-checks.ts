// Scorer-vector checks for ocrbench.jsonl (metric ocrbench.item_score): one label per OCRBench profile.
import { isOcrBenchCategory, ocrbenchItemScore, type OcrBenchProfile } from './scorer.js';
import type { VectorChecks, VectorInput } from '../../verify/markers.js';

function itemScore(input: VectorInput, profile: OcrBenchProfile): 0 | 1 {
  const { prediction, answers, dataset_name: dataset, category } = input;
  if (typeof prediction !== 'string') throw new Error('ocrbench vector: "prediction" must be a string');
  const answerIsList = Array.isArray(answers) && answers.every((a): a is string => typeof a === 'string');
  if (typeof answers !== 'string' && !answerIsList) {
    throw new Error('ocrbench vector: "answers" must be a string or a list of strings');
  }
  if (typeof dataset !== 'string') throw new Error('ocrbench vector: "dataset_name" must be a string');
  if (!isOcrBenchCategory(category)) throw new Error('ocrbench vector: "category" must be an OCRBench category');
  return ocrbenchItemScore({ prediction, answer: answers, dataset, category }, profile);
}

export const vectorChecks: VectorChecks = {
  'ocrbench.item_score': {
    official: (input) => itemScore(input, 'official'),
    lmms_eval: (input) => itemScore(input, 'lmms-eval'),
    lmms_eval_2024_05: (input) => itemScore(input, 'lmms-eval@2024-05'),
    vlmevalkit: (input) => itemScore(input, 'vlmevalkit'),
  },
};
