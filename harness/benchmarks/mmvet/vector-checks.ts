// Scorer-vector checks for mmvet_prompt.jsonl, mmvet_judge_parse.jsonl and mmvet_aggregate.jsonl.
import {
  aggregateLmmsEval,
  aggregateOfficial,
  aggregateVlmevalkit,
  judgeRepliesToScore,
  mmvetJudgePrompt,
  type MmvetGradedSample,
  type MmvetProfile,
} from './scorer.js';
import type { VectorChecks, VectorInput } from '../../verify/markers.js';

function textField(input: VectorInput, name: string): string {
  const v = input[name];
  if (typeof v !== 'string') throw new Error(`mmvet vector: "${name}" must be a string`);
  return v;
}

function judgePrompt(input: VectorInput, profile: MmvetProfile): string {
  return mmvetJudgePrompt(textField(input, 'question'), textField(input, 'answer'), textField(input, 'prediction'), profile);
}

/** `{score, calls: [{temperature, prompt_suffix_added}]}`; a give-up carries the reference's score (0). */
function judgeOutputToScore(input: VectorInput, profile: MmvetProfile): unknown {
  const replies = input['judge_outputs'];
  if (!Array.isArray(replies) || !replies.every((r): r is string => typeof r === 'string')) {
    throw new Error('mmvet vector: "judge_outputs" must be a list of strings');
  }
  const outcome = judgeRepliesToScore(replies, profile);
  const score = outcome.kind === 'score' ? outcome.score : outcome.referenceScore;
  if (score === 'HANG') return 'HANG';
  return {
    score,
    calls: outcome.calls.map((c) => ({ temperature: c.temperature, prompt_suffix_added: c.promptSuffix })),
  };
}

function samples(input: VectorInput): MmvetGradedSample[] {
  const raw = input['samples'];
  if (!Array.isArray(raw)) throw new Error('mmvet vector: "samples" must be a list');
  return raw.map((s: unknown) => {
    const rec = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const capability = rec['capability'];
    const score = rec['score'];
    if (!Array.isArray(capability) || !capability.every((c): c is string => typeof c === 'string')) {
      throw new Error('mmvet vector: a sample\'s "capability" must be a list of strings');
    }
    if (typeof score !== 'number') throw new Error('mmvet vector: a sample\'s "score" must be a number');
    return { capability, score };
  });
}

export const vectorChecks: VectorChecks = {
  'mmvet.judge_prompt': {
    official: (input) => judgePrompt(input, 'official'),
    lmms_eval: (input) => judgePrompt(input, 'lmms-eval'),
    lmms_eval_2024_05: (input) => judgePrompt(input, 'lmms-eval@2024-05'),
    vlmevalkit: (input) => judgePrompt(input, 'vlmevalkit'),
  },
  'mmvet.judge_output_to_score': {
    official: (input) => judgeOutputToScore(input, 'official'),
    lmms_eval: (input) => judgeOutputToScore(input, 'lmms-eval'),
    vlmevalkit: (input) => judgeOutputToScore(input, 'vlmevalkit'),
  },
  'mmvet.aggregate': {
    official_num_run_1: (input) => aggregateOfficial(samples(input)),
    lmms_eval: (input) => {
      const agg = aggregateLmmsEval(samples(input));
      return { overall: agg.overall, per_capability_logged: agg.perCapabilityLogged };
    },
    vlmevalkit: (input) => {
      const agg = aggregateVlmevalkit(samples(input));
      return { ...agg.perCapability, Overall: agg.overall };
    },
  },
};
