// Building blocks benchmark modules share: "no judge", one scoring unit per record, the reference
// text helpers, and the prompts of benchmarks whose prompt is the question alone.
import { pyCapitalize, pyStrip } from '../metrics/py.js';
import type { BenchId } from '../metrics/types.js';
import type { QuestionSample } from '../protocols/types.js';
import type { VectorChecks } from '../verify/markers.js';
import type { BenchmarkJudge, BenchmarkPrompts, PromptSettings, ScoringUnits } from './types.js';

/** A benchmark whose scorer never hands an item to an LLM judge. */
export const NO_JUDGE: BenchmarkJudge = {
  tasks: () => [],
  modelFor: () => null,
  alwaysNeeded: false,
};

/** One scoring unit per record, keyed by the record id; a sample's shard follows its position. */
export const ITEM_UNITS: ScoringUnits = {
  judgeKey: (rec) => String(rec['id']),
  unitOf: (judgeKey) => judgeKey,
  shardUnit: (sample) => sample.index,
};

/** A reference value as display text (JSON for anything but a string). */
export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** ["open", "open", "open sign"] → "open ×2 · open sign". */
export function answerList(list: readonly unknown[]): string {
  const counts = new Map<string, number>();
  for (const a of list) counts.set(asText(a), (counts.get(asText(a)) ?? 0) + 1);
  return [...counts].map(([a, n]) => (n > 1 ? `${a} ×${n}` : a)).join(' · ');
}

/** The gold answer(s) under `key` of a sample's references, as text. */
export function goldText(refs: Record<string, unknown>, key: string): string {
  const v = refs[key];
  return Array.isArray(v) ? answerList(v) : asText(v);
}

/** Prompt settings of a question-only benchmark under each protocol. */
interface QuestionPromptSettings extends PromptSettings {
  cogvlm2: PromptSettings['cogvlm2'] & { postPrompt: string };
  'lmms-eval': PromptSettings['lmms-eval'] & { prePrompt: string; postPrompt: string };
  'lmms-eval@2024-05': PromptSettings['lmms-eval@2024-05'] & { prePrompt: string; postPrompt: string };
  vlmevalkit: PromptSettings['vlmevalkit'] & { postPrompt: string };
  'vlmevalkit@2024-05': PromptSettings['vlmevalkit@2024-05'] & { postPrompt: string };
}

/** What lmms-eval's doc_to_text does to the question before adding its pre and post prompts. */
export type LmmsEvalQuestionForm = 'as-is' | 'capitalize' | 'strip';

/**
 * Prompts of a benchmark whose prompt is the question alone: cogvlm2 and VLMEvalKit append their
 * post prompt; lmms-eval builds `pre_prompt + question + post_prompt` with the question as-is,
 * Python-capitalized (TextVQA) or Python-stripped (OCRBench).
 */
export function questionOnlyPrompts(bench: BenchId, settings: QuestionPromptSettings, lmmsEvalForm: LmmsEvalQuestionForm): BenchmarkPrompts<QuestionSample> {
  const lmmsQuestion = lmmsEvalForm === 'capitalize' ? pyCapitalize : lmmsEvalForm === 'strip' ? pyStrip : (q: string) => q;
  return {
    settings,
    dummy: { bench, question: 'q' },
    userPrompt(protocol, sample) {
      switch (protocol) {
        case 'cogvlm2':
          return `${sample.question}${settings.cogvlm2.postPrompt}`;
        case 'lmms-eval':
        case 'lmms-eval@2024-05': {
          const { prePrompt, postPrompt } = settings[protocol];
          return `${prePrompt}${lmmsQuestion(sample.question)}${postPrompt}`;
        }
        case 'vlmevalkit':
        case 'vlmevalkit@2024-05':
          return `${sample.question}${settings[protocol].postPrompt}`;
      }
    },
  };
}

/**
 * The prompts.jsonl check of a question-only benchmark (metric `prompt.<id>`, label `lmms_eval`):
 * the lmms-eval prompt built from the vector's `question`.
 */
export function questionPromptChecks(bench: BenchId, prompts: BenchmarkPrompts<QuestionSample>): VectorChecks {
  const metric = `prompt.${bench}`;
  return {
    [metric]: {
      lmms_eval: (input) => {
        const question = input['question'];
        if (typeof question !== 'string') throw new Error(`${metric} input: question must be a string`);
        return prompts.userPrompt('lmms-eval', { bench, question });
      },
    },
  };
}
