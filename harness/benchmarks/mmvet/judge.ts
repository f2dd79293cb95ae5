// MM-Vet's judge: every item is graded by an LLM under the profile's prompt and retry rules
// (one task per item and grading run).
import { mmvetJudgeModel, mmvetJudgePromptForItem, mmvetScorer, nextJudgeCall } from './scorer.js';
import type { JudgeCallSpec, JudgeTask } from '../../run/judge.js';
import type { BenchmarkJudge } from '../types.js';

export const mmvetJudge: BenchmarkJudge = {
  alwaysNeeded: true,
  modelFor: (profile, _judgeMode, override) => override ?? mmvetJudgeModel(profile),
  tasks(records, profile, _judgeMode, judgeModel, judgeRuns = 1): JudgeTask[] {
    return records.flatMap((rec) => {
      const item = mmvetScorer.parseRecord(rec);
      const base = mmvetJudgePromptForItem(item, profile);
      return Array.from({ length: Math.max(1, judgeRuns) }, (_, run) => ({
        id: item.id,
        ...(run > 0 ? { run } : {}),
        next(replies: readonly string[]): JudgeCallSpec | 'done' {
          const call = nextJudgeCall(profile, replies, judgeModel);
          if (call === 'done') return 'done';
          return { prompt: base + call.promptSuffix, model: call.model, temperature: call.temperature, maxTokens: call.maxTokens };
        },
      }));
    });
  },
};
