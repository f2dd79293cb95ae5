// MMBench's judge fallback (judge mode llm): the rows of a circular group whose answers the
// heuristics cannot read are asked of an LLM, under the profile's prompt and retry rules.
import {
  canInfer,
  mcqJudgePrompt,
  mmbenchScorer,
  presentChoices,
  prefetchCircularGroup,
  CIRCULAR_STRIDE,
  JUDGE_ATTEMPTS,
  MMBENCH_JUDGE_MODELS,
  type CanInferProfile,
  type MMBenchProfile,
} from './scorer.js';
import { pyStrip } from '../../metrics/py.js';
import type { JudgeCallSpec, JudgeTask } from '../../run/judge.js';
import type { BenchmarkJudge } from '../types.js';

/** Max tokens of an MMBench judge reply (the references leave it to the API default; a letter is expected). */
export const MMBENCH_JUDGE_MAX_TOKENS = 256;

export const mmbenchJudge: BenchmarkJudge = {
  alwaysNeeded: false,
  modelFor: (profile, judgeMode, override) => (judgeMode === 'llm' ? (override ?? MMBENCH_JUDGE_MODELS[profile as MMBenchProfile]) : null),
  tasks(records, profile, judgeMode, judgeModel): JudgeTask[] {
    if (judgeMode !== 'llm') return [];
    const p = profile as MMBenchProfile & CanInferProfile;
    const model = judgeModel ?? MMBENCH_JUDGE_MODELS[p];
    const strip = p === 'lmms-eval' || p === 'lmms-eval@2024-05';
    const rows = records.map((rec) => ({ rec, item: mmbenchScorer.parseRecord(rec) }));
    const groups = new Map<number, typeof rows>();
    for (const r of rows) {
      const g = r.item.index % CIRCULAR_STRIDE;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    const tasks: JudgeTask[] = [];
    for (const group of groups.values()) {
      const seen = group.map((r) => ({ ...r.item, prediction: strip ? pyStrip(r.item.prediction) : r.item.prediction }));
      const pre = prefetchCircularGroup(seen, p);
      if (pre.verdict !== 'needs_judge') continue;
      seen.forEach((row, i) => {
        if (pre.letters[i]) return;
        const choices = presentChoices(row.options);
        const spec: JudgeCallSpec = { prompt: mcqJudgePrompt(row.question, row.options, row.prediction, p), model, temperature: 0, maxTokens: MMBENCH_JUDGE_MAX_TOKENS };
        tasks.push({
          id: String(row.index),
          next(replies) {
            const last = replies[replies.length - 1];
            if (replies.length >= JUDGE_ATTEMPTS || (last !== undefined && canInfer(last, choices, p))) return 'done';
            return spec;
          },
        });
      });
    }
    return tasks;
  },
};
