// Scorer-vector checks for docvqa_anls.jsonl (metric docvqa.anls): label → DocVQA profile score.
import { docvqaItemScore } from './scorer.js';
import type { ProfileId } from '../../metrics/types.js';
import type { VectorChecks, VectorInput } from '../../verify/markers.js';

function readInput(input: VectorInput): { prediction: string; answers: string[] } {
  const prediction = input['prediction'];
  const answers = input['answers'];
  if (typeof prediction !== 'string') throw new Error('docvqa.anls input: prediction must be a string');
  if (!Array.isArray(answers) || !answers.every((a): a is string => typeof a === 'string')) {
    throw new Error('docvqa.anls input: answers must be a list of strings');
  }
  return { prediction, answers };
}

function anlsUnder(profile: ProfileId): (input: VectorInput) => number {
  return (input) => {
    const { prediction, answers } = readInput(input);
    return docvqaItemScore(prediction, answers, profile);
  };
}

export const vectorChecks: VectorChecks = {
  'docvqa.anls': {
    lmms_eval: anlsUnder('lmms-eval'),
    lmms_eval_2024_05: anlsUnder('lmms-eval@2024-05'),
    vlmevalkit: anlsUnder('vlmevalkit'),
    vlmevalkit_2024_05: anlsUnder('vlmevalkit@2024-05'),
    pix2struct: anlsUnder('pix2struct'),
  },
};
