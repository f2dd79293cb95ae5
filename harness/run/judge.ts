// LLM judges: running each benchmark module's judge tasks (MM-Vet grading, the MMBench fallback).
// Each judged record is a task whose calls follow the profile's prompt and retry rules; every reply
// (or failure) is cached in the run's judge.jsonl, keyed by model, call number, settings and
// prompt, so rescoring is free.
import pLimit from 'p-limit';
import type { Engine } from '../engine/types.js';
import { benchmark } from '../benchmarks/registry.js';
import type { BenchId, JudgeMode, ProfileId } from '../metrics/types.js';
import { JsonlAppender, readJsonlRepairing } from './store.js';
import { sha256Hex } from '../util/hash.js';

/** What one judge call sends. */
export interface JudgeCallSpec {
  prompt: string;
  model: string;
  temperature: number;
  maxTokens: number;
}

/** A judged record: given the replies so far, the next call, or 'done'. */
export interface JudgeTask {
  id: string;
  /** Grading run (0-based) when an item is graded several times (MM-Vet --judge-runs); absent = run 0. */
  run?: number;
  next(replies: readonly string[]): JudgeCallSpec | 'done';
}

export interface JudgeEntry {
  key: string;
  bench: BenchId;
  id: string;
  profile: ProfileId;
  model: string;
  call: number;
  /** Grading run (MM-Vet --judge-runs), when above 0. */
  run?: number;
  temperature: number;
  maxTokens: number;
  reply?: string;
  /** Set when the call failed after the engine's retries. */
  error?: string;
  at: number;
}

/** The cache key of a call; run 0 keeps the key it always had, so existing judge caches stay valid. */
export function judgeKey(spec: JudgeCallSpec, call: number, run = 0): string {
  const runPart = run > 0 ? `\u0000run ${run}` : '';
  return sha256Hex(`${spec.model}\u0000${call}\u0000${spec.temperature}\u0000${spec.maxTokens}\u0000${spec.prompt}${runPart}`);
}

export class JudgeCache {
  private constructor(private readonly entries: Map<string, JudgeEntry>) {}
  static load(path: string): JudgeCache {
    const { rows } = readJsonlRepairing<JudgeEntry>(path, false);
    const map = new Map<string, JudgeEntry>();
    // A later success replaces an earlier failure of the same call (a re-run retried it).
    for (const e of rows) if (!map.has(e.key) || map.get(e.key)?.error) map.set(e.key, e);
    return new JudgeCache(map);
  }
  get(key: string): JudgeEntry | undefined {
    return this.entries.get(key);
  }
  set(entry: JudgeEntry): void {
    this.entries.set(entry.key, entry);
  }
}

/** The judge tasks of one benchmark's records under one profile (empty when it needs no judge). */
export function judgeTasks(
  bench: BenchId,
  records: readonly Record<string, unknown>[],
  profile: ProfileId,
  judgeMode: JudgeMode,
  judgeModel?: string,
  judgeRuns = 1,
): JudgeTask[] {
  return benchmark(bench).judge.tasks(records, profile, judgeMode, judgeModel, judgeRuns);
}

export interface ResolvedJudgement {
  /** The replies in call order when the task is complete; undefined when calls are missing. */
  outputs?: string[];
  /** A call failed after the engine's retries. */
  failed: boolean;
  /** The next call to make (when incomplete). */
  pending?: { spec: JudgeCallSpec; call: number; replies: string[] };
}

/** Walks a task through the cache. */
export function resolveFromCache(task: JudgeTask, cache: JudgeCache): ResolvedJudgement {
  const replies: string[] = [];
  for (;;) {
    const spec = task.next(replies);
    if (spec === 'done') return { outputs: replies, failed: false };
    const entry = cache.get(judgeKey(spec, replies.length, task.run ?? 0));
    if (!entry) return { failed: false, pending: { spec, call: replies.length, replies } };
    if (entry.error !== undefined) return { failed: true, pending: { spec, call: replies.length, replies } };
    replies.push(entry.reply ?? '');
  }
}

export interface JudgeStageResult {
  /** Judge calls made now. */
  calls: number;
  /** Items whose verdict was complete in the cache already (no call made). */
  cached: number;
  /** Items whose judge failed after the engine's retries (excluded from scores, counted). */
  failures: number;
  /** The reason of each failure (`kind: message`), for the end-of-run summary. */
  failureReasons: string[];
}

/**
 * Runs every pending judge call of the tasks (bounded concurrency), appending each reply or
 * failure to the judge cache file. Calls already cached are not repeated.
 */
export async function runJudgeTasks(
  bench: BenchId,
  profile: ProfileId,
  tasks: readonly JudgeTask[],
  cache: JudgeCache,
  cacheFile: string,
  engine: Engine,
  concurrency: number,
): Promise<JudgeStageResult> {
  const out = new JsonlAppender(cacheFile);
  const limit = pLimit(Math.max(1, concurrency));
  const result: JudgeStageResult = { calls: 0, cached: 0, failures: 0, failureReasons: [] };
  try {
    await Promise.all(
      tasks.map((task) =>
        limit(async () => {
          let called = false;
          for (;;) {
            const state = resolveFromCache(task, cache);
            // A call that failed in an earlier session is tried again once; failing now ends the task.
            if (!state.pending || (state.failed && called)) {
              if (state.failed) {
                result.failures++;
                result.failureReasons.push('the judge call failed (recorded in judge.jsonl)');
              } else if (!called) result.cached++;
              return;
            }
            called = true;
            const { spec, call } = state.pending;
            const key = judgeKey(spec, call, task.run ?? 0);
            let entry: JudgeEntry = { key, bench, id: task.id, profile, model: spec.model, call, ...(task.run ? { run: task.run } : {}), temperature: spec.temperature, maxTokens: spec.maxTokens, at: 0 };
            for await (const o of engine.generate([
              { id: key, prompt: spec.prompt, images: [], generation: { maxNewTokens: spec.maxTokens, temperature: spec.temperature, doSample: spec.temperature > 0 } },
            ])) {
              entry = o.error ? { ...entry, error: `${o.error.kind}: ${o.error.message}`, at: Date.now() } : { ...entry, reply: o.text, at: Date.now() };
            }
            result.calls++;
            cache.set(entry);
            out.append(entry);
            if (entry.error !== undefined) {
              result.failures++;
              result.failureReasons.push(entry.error);
              return;
            }
          }
        }),
      ),
    );
  } finally {
    out.close();
  }
  return result;
}
