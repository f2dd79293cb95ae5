// Scorer-vector checks for chartqa_relaxed.jsonl (metric chartqa.relaxed_accuracy): label → ChartQA profile score.
import { chartqaItemScore } from './scorer.js';
import type { ProfileId } from '../../metrics/types.js';
import type { VectorChecks, VectorInput } from '../../verify/markers.js';

function relaxedAccuracyUnder(profile: ProfileId): (input: VectorInput) => number {
  return (input) => {
    const prediction = input['prediction'];
    const answer = input['answer'];
    if (typeof prediction !== 'string') throw new Error('chartqa.relaxed_accuracy input: prediction must be a string');
    if (typeof answer !== 'string') throw new Error('chartqa.relaxed_accuracy input: answer must be a string');
    return chartqaItemScore(prediction, answer, profile);
  };
}

export const vectorChecks: VectorChecks = {
  'chartqa.relaxed_accuracy': {
    lmms_eval: relaxedAccuracyUnder('lmms-eval'),
    lmms_eval_2024_05: relaxedAccuracyUnder('lmms-eval@2024-05'),
    vlmevalkit: relaxedAccuracyUnder('vlmevalkit'),
    vlmevalkit_2024_05: relaxedAccuracyUnder('vlmevalkit@2024-05'),
    pix2struct: relaxedAccuracyUnder('pix2struct'),
  },
};
