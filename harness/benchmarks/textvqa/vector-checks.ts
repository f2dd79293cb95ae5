// Scorer-vector checks for textvqa_normalize.jsonl (textvqa.normalize) and textvqa_accuracy.jsonl
// (textvqa.vqa_accuracy): label → TextVQA normalisation stage or per-question accuracy.
import {
  normalizeEvalAI,
  normalizeVlmevalkit,
  vqaAccuracy,
  vqaDigitArticlePass,
  vqaPunctuationPass,
} from './scorer.js';
import type { ProfileId } from '../../metrics/types.js';
import type { VectorChecks, VectorInput } from '../../verify/markers.js';

function readText(input: VectorInput): string {
  const text = input['text'];
  if (typeof text !== 'string') throw new Error('textvqa.normalize input: text must be a string');
  return text;
}

function readQuestion(input: VectorInput): { prediction: string; answers: string[] } {
  const prediction = input['prediction'];
  const answers = input['answers'];
  if (typeof prediction !== 'string') throw new Error('textvqa.vqa_accuracy input: prediction must be a string');
  if (!Array.isArray(answers) || !answers.every((a): a is string => typeof a === 'string')) {
    throw new Error('textvqa.vqa_accuracy input: answers must be a list of strings');
  }
  return { prediction, answers };
}

function accuracyUnder(profile: ProfileId): (input: VectorInput) => number {
  return (input) => {
    const { prediction, answers } = readQuestion(input);
    return vqaAccuracy(prediction, answers, profile);
  };
}

export const vectorChecks: VectorChecks = {
  'textvqa.normalize': {
    lmms_eval: (input) => normalizeEvalAI(readText(input)),
    vlmevalkit: (input) => normalizeVlmevalkit(readText(input), 'current'),
    vlmevalkit_2024_05: (input) => normalizeVlmevalkit(readText(input), '2024-05'),
    official_vqa_processPunctuation: (input) => vqaPunctuationPass(readText(input)),
    official_vqa_processDigitArticle_after_processPunctuation: (input) =>
      vqaDigitArticlePass(vqaPunctuationPass(readText(input))),
  },
  'textvqa.vqa_accuracy': {
    lmms_eval: accuracyUnder('lmms-eval'),
    lmms_eval_2024_05: accuracyUnder('lmms-eval@2024-05'),
    vlmevalkit: accuracyUnder('vlmevalkit'),
    vlmevalkit_2024_05: accuracyUnder('vlmevalkit@2024-05'),
    official_vqa_v2_script_2021: accuracyUnder('vqa-v2@2021'),
    official_vqa_v2_script_2016: accuracyUnder('vqa-v2@2016'),
  },
};
