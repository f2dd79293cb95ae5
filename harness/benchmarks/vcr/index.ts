// The two VCR benchmarks (English easy and hard) as one declaration each: everything a
// benchmark module needs, kept generic in the bench id until vcr_easy / vcr_hard join BenchId.
import type { GenerationSettings } from '../../protocols/types.js';
import { makeVcrAdapter, vcrHfRepo, vcrTsvName, type VcrDifficulty } from './adapter.js';
import {
  VCR_COGVLM2_GENERATION,
  VCR_DUMMY_PROMPT,
  VCR_LMMS_EVAL_GENERATION,
  VCR_VLMEVALKIT_GENERATION,
  vcrPrompt,
  vcrReferenceText,
} from './prompts.js';
import { makeVcrScorer } from './scorer.js';
import { adapters as vcrVectorAdapters } from './vectors.js';

export { makeVcrAdapter, makeVcrScorer, vcrPrompt, vcrReferenceText, vcrVectorAdapters };

/** Protocols with a VCR prompt. The @2024-05 ones have none: VCR reached lmms-eval in 2024-06 and VLMEvalKit in 2024-07. */
export const VCR_PROTOCOLS = ['cogvlm2', 'lmms-eval', 'vlmevalkit'] as const;

function declare<B extends string>(bench: B, difficulty: VcrDifficulty, reported: { chat: number; chineseChat: number }) {
  const generation: Record<(typeof VCR_PROTOCOLS)[number], GenerationSettings> = {
    cogvlm2: VCR_COGVLM2_GENERATION,
    'lmms-eval': VCR_LMMS_EVAL_GENERATION,
    vlmevalkit: VCR_VLMEVALKIT_GENERATION,
  };
  return {
    id: bench,
    /** Column title of the CogVLM2 table. */
    displayName: difficulty === 'easy' ? 'VCR_EASY' : 'VCR_HARD',
    scale: 'percent' as const,
    sources: {
      hf: vcrHfRepo(difficulty, 'test'),
      vlmevalkit: vcrTsvName(difficulty, 'test'),
      official: `${vcrHfRepo(difficulty, 'test')} (the authors distribute the HF parquet)`,
    },
    adapter: makeVcrAdapter(bench, difficulty),
    scorer: makeVcrScorer(bench),
    protocols: VCR_PROTOCOLS,
    prompt: vcrPrompt,
    generation,
    dummyPrompt: VCR_DUMMY_PROMPT,
    referenceText: vcrReferenceText,
    judgeTasks: [] as const,
    // tests/fixtures/vcr/ until registered with verify-scorers, then tests/fixtures/vectors/.
    vectors: { file: 'vcr_scoring.jsonl', adapters: vcrVectorAdapters },
    /** The table's values: exact match in percent on the 5,000-row test set (docs/scoring.md §16.1). */
    reported: { metric: 'exact_match' as const, ...reported },
  };
}

export const VCR_EASY = declare('vcr_easy', 'easy', { chat: 83.3, chineseChat: 79.9 });
export const VCR_HARD = declare('vcr_hard', 'hard', { chat: 38.0, chineseChat: 25.1 });
