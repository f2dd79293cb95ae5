// The scoring stage of a run: rebuilds each benchmark's prediction records from predictions.jsonl
// (plus cached judge replies), scores them under the default and every other profile, and writes
// scores.json and samples.jsonl. Failed samples are counted, never scored.
import { existsSync, renameSync } from 'node:fs';
import { benchScore, type BenchScore } from '../metrics/aggregate.js';
import { SCORERS, resolveProfile } from '../metrics/registry.js';
import { RecordError } from '../metrics/scorer.js';
import { benchmark } from '../benchmarks/registry.js';
import type { BenchId, ItemResult, JudgeMode, ProfileId } from '../metrics/types.js';
import { JsonlAppender, latestPredictions } from './store.js';
import { SCORES_FORMAT_VERSION, predictionLines, readManifest, runPath, type PredictionLine, type RunManifest, type RunScores } from './run-format.js';
import { tempPathFor, writeJsonAtomic } from '../util/atomic-write.js';
import { JudgeCache, judgeTasks, resolveFromCache } from './judge.js';


/** The judge model a benchmark's score relies on under a profile (its module's judge; e.g. MM-Vet always, MMBench in llm mode). */
export function judgeModelFor(bench: BenchId, profile: ProfileId, judgeMode: JudgeMode, override?: string): string | null {
  return benchmark(bench).judge.modelFor(profile, judgeMode, override);
}

/** Why a benchmark's records cannot be scored (a test split has no answers), or undefined. */
function firstRecordProblem(bench: BenchId, records: readonly Record<string, unknown>[]): string | undefined {
  for (const rec of records) {
    try {
      SCORERS[bench].parseRecord(rec);
    } catch (err) {
      if (err instanceof RecordError) {
        return `sample ${String(rec['id'])}: field "${err.field}": ${err.message} — a split without public answers (DocVQA/MMBench test) is scored by its evaluation server; submit predictions.jsonl there`;
      }
      throw err;
    }
  }
  return undefined;
}

export interface ScoreRunOptions {
  judgeMode?: JudgeMode;
  /** Profile per benchmark (default: the benchmark's default profile). */
  profiles?: Partial<Record<BenchId, string>>;
  seed?: number;
  /** Judge model override (e.g. a local judge); default: each profile's reference judge. */
  judgeModel?: string;
  /** MM-Vet grading runs (eval --judge-runs); recorded in run.json; default: what run.json records, else 1. */
  judgeRuns?: number;
}

function selectedCount(manifest: RunManifest, bench: BenchId): number {
  const n = manifest.config.datasets[bench]?.count ?? 0;
  const limited = manifest.config.limit === null ? n : Math.min(n, manifest.config.limit);
  const shard = manifest.config.shard;
  if (!shard) return limited;
  // Recorded by the runner once it streamed the benchmark (MMBench shards by circular group).
  const recorded = manifest.shardSelected?.[bench];
  if (recorded !== undefined) return recorded;
  const r = shard.index - 1;
  return r >= limited ? 0 : Math.floor((limited - 1 - r) / shard.count) + 1;
}

/** The prediction records of one benchmark (in dataset order), ready for the scorer. */
export function benchRecords(lines: Iterable<PredictionLine>, bench: BenchId): Record<string, unknown>[] {
  const mine = [...lines].filter((l) => l.bench === bench).sort((a, b) => a.index - b.index);
  return mine.map((l) => ({ id: l.id, ...l.references, prediction: l.prediction }));
}

function scoreUnder(
  bench: BenchId,
  records: readonly Record<string, unknown>[],
  profile: ProfileId,
  judgeMode: JudgeMode,
  judge: JudgeCache,
  seed: number | undefined,
  judgeModel: string | undefined,
  judgeRuns = 1,
): { score: BenchScore; results: ItemResult[]; judgeFailures: number; judged: number } {
  const scorer = SCORERS[bench];
  const units = benchmark(bench).units;
  // Cached judge replies for this profile's prompts; a judge that failed is never a score of 0.
  const outputs = new Map<string, string[]>();
  // Several grading runs (MM-Vet --judge-runs): each run's replies, complete runs only.
  const runOutputs = new Map<string, (string[] | undefined)[]>();
  const failedIds = new Set<string>();
  for (const task of judgeTasks(bench, records, profile, judgeMode, judgeModel, judgeRuns)) {
    const resolved = resolveFromCache(task, judge);
    if (resolved.failed) failedIds.add(task.id);
    else if (resolved.outputs && judgeRuns > 1) {
      const runs = runOutputs.get(task.id) ?? new Array<string[] | undefined>(judgeRuns).fill(undefined);
      runs[task.run ?? 0] = resolved.outputs;
      runOutputs.set(task.id, runs);
    } else if (resolved.outputs) outputs.set(task.id, resolved.outputs);
  }
  for (const [id, runs] of runOutputs) if (runs.every((r) => r !== undefined)) outputs.set(id, []);
  const items = records.map((rec) => {
    // Judge tasks are keyed as the benchmark's scoring units say (the record id; MMBench: the row index).
    const key = units.judgeKey(rec);
    const replies = outputs.get(key);
    if (replies && judgeRuns > 1) return scorer.parseRecord({ ...rec, judge_runs: runOutputs.get(key) });
    return scorer.parseRecord(replies ? { ...rec, judge_outputs: replies } : rec);
  });
  const failedUnits = new Set([...failedIds].map((id) => units.unitOf(id)));
  const results = scorer.scoreItems(items, profile, { judgeMode, seed }).map((r) =>
    failedUnits.has(r.id) ? { ...r, value: null, status: 'judge_failed' as const, detail: { ...r.detail, judge: 'a judge call failed after its retries' } } : r,
  );
  return { score: benchScore(scorer, results, profile, judgeMode), results, judgeFailures: failedIds.size, judged: outputs.size + failedIds.size };
}

/** Scores a run directory and writes scores.json and samples.jsonl. */
export function scoreRun(runDir: string, opts: ScoreRunOptions = {}): RunScores {
  const manifest = readManifest(runDir);
  const judgeMode: JudgeMode = opts.judgeMode ?? 'exact-matching';
  const judgeRuns = opts.judgeRuns ?? manifest.judgeRuns ?? 1;
  if (opts.judgeRuns !== undefined && opts.judgeRuns !== (manifest.judgeRuns ?? 1)) writeJsonAtomic(runPath(runDir, 'manifest'), { ...manifest, judgeRuns });
  const { done, failed } = latestPredictions(predictionLines(runDir));
  const judge = JudgeCache.load(runPath(runDir, 'judge'));
  const scores: RunScores = { formatVersion: SCORES_FORMAT_VERSION, runId: manifest.id, scoredAt: new Date().toISOString(), judgeMode, benches: {} };
  const samplesFile = runPath(runDir, 'samples');
  const samplesOut = new JsonlAppender(tempPathFor(samplesFile));
  try {
    for (const bench of manifest.config.benches) {
      const records = benchRecords(done.values(), bench);
      const failedLines = [...failed.values()].filter((l) => l.bench === bench);
      const failedByKind: Record<string, number> = {};
      for (const l of failedLines) failedByKind[l.error?.kind ?? 'unknown'] = (failedByKind[l.error?.kind ?? 'unknown'] ?? 0) + 1;
      const selected = selectedCount(manifest, bench);
      if (records.length === 0) {
        // Nothing to score, but the benchmark is part of the run: say why (the gate calls it incomplete).
        if (selected > 0 || failedLines.length > 0) {
          scores.noPredictions = { ...scores.noPredictions, [bench]: { selected, failed: failedLines.length, missing: Math.max(0, selected - failedLines.length), failedByKind } };
        }
        continue;
      }
      const unscorable = firstRecordProblem(bench, records);
      if (unscorable) {
        scores.unscored = { ...scores.unscored, [bench]: unscorable };
        continue;
      }
      const primaryProfile = resolveProfile(bench, opts.profiles?.[bench]);
      const primary = scoreUnder(bench, records, primaryProfile, judgeMode, judge, opts.seed, opts.judgeModel, judgeRuns);
      const profiles = SCORERS[bench].profiles.map((p) => (p === primaryProfile ? primary.score : scoreUnder(bench, records, p, judgeMode, judge, opts.seed, opts.judgeModel, judgeRuns).score));
      scores.benches[bench] = {
        primary: primary.score,
        profiles,
        samples: { selected, predicted: records.length, failed: failedLines.length, missing: Math.max(0, selected - records.length - failedLines.length) },
        failedByKind,
        multiImageItems: manifest.multiImageItems[bench] ?? 0,
        judgeFailures: primary.judgeFailures,
        // Only when a judge was actually consulted for some item of this score.
        judgeModel: primary.judged > 0 ? judgeModelFor(bench, primaryProfile, judgeMode, opts.judgeModel) : null,
      };
      const byId = new Map(records.map((r) => [String(r['id']), r]));
      const lineById = new Map([...done.values()].filter((l) => l.bench === bench).map((l) => [l.id, l]));
      for (const r of primary.results) {
        const line = lineById.get(r.id);
        samplesOut.append({
          bench,
          id: r.id,
          value: r.value,
          status: r.status,
          categories: r.categories,
          detail: r.detail,
          question: line?.question,
          prediction: line?.prediction ?? byId.get(r.id)?.['prediction'],
          references: line?.references,
        });
      }
      for (const l of failedLines) samplesOut.append({ bench, id: l.id, value: null, status: 'failed', error: l.error, question: l.question, references: l.references });
    }
  } finally {
    samplesOut.close();
  }
  writeJsonAtomic(runPath(runDir, 'scores'), scores);
  // Replace samples.jsonl only once it is complete.
  if (existsSync(tempPathFor(samplesFile))) renameSync(tempPathFor(samplesFile), samplesFile);
  return scores;
}
