// Judges against a real loopback server: MM-Vet grading with retries and cached replies, a judge
// that keeps failing (judge_failed, excluded, never 0), and the MMBench fallback.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import { JudgeCache, judgeTasks, runJudgeTasks } from '../../harness/run/judge.js';
import { scoreRun } from '../../harness/run/score-run.js';
import { JsonlAppender } from '../../harness/run/store.js';
import { writeJsonAtomic } from '../../harness/util/atomic-write.js';
import type { BenchId } from '../../harness/metrics/types.js';
import { runPath, type PredictionLine, type RunManifest } from '../../harness/run/run-format.js';

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

/** A run directory with the given prediction lines (as a finished eval leaves it). */
function fakeRun(bench: BenchId, lines: Omit<PredictionLine, 'bench' | 'promptHash' | 'at'>[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cogeval-judge-run-'));
  const manifest = {
    formatVersion: 1,
    id: 'judge-test',
    fingerprint: 'x',
    config: { benches: [bench], datasets: { [bench]: { source: 'hf', description: 'test', revision: 'r', count: lines.length } }, limit: null, shard: null, model: { name: 'chat' }, protocol: 'cogvlm2' },
    multiImageItems: {},
    sessions: [],
  } as unknown as RunManifest;
  writeJsonAtomic(runPath(dir, 'manifest'), manifest);
  const out = new JsonlAppender(runPath(dir, 'predictions'));
  for (const l of lines) out.append({ ...l, bench, promptHash: 'h', at: 0 });
  out.close();
  return dir;
}

function judgeEngine(s: FakeOpenAIServer, model: string) {
  return createOpenAIEngine({ endpoints: s.url, model, concurrency: 4, timeoutMs: 20_000 /* per request; sized for a loaded 2-core machine */, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }, { env: {} });
}

describe('MM-Vet judging', () => {
  const items = [
    { id: 'v1_0', index: 0, prediction: 'x = -1', references: { id: 'v1_0', question: 'What is x? (half)', answer: '-1<AND>-5', capability: 'math,ocr' } },
    { id: 'v1_1', index: 1, prediction: 'blue', references: { id: 'v1_1', question: 'Which colour? (chatty)', answer: 'blue', capability: 'rec' } },
    { id: 'v1_2', index: 2, prediction: 'cat', references: { id: 'v1_2', question: 'Which animal? (broken)', answer: 'cat', capability: 'rec' } },
  ];

  it('grades through the official schedule, caches replies, and never turns a failed judge into 0', async () => {
    const s = await startFakeOpenAIServer({
      models: ['gpt-4-0613'],
      answer: (key) => {
        if (key.includes('Which colour? (chatty)')) return key.endsWith('(digit): ') ? '1.0' : 'Correctness: high';
        return '0.5';
      },
      schedule: (ctx) => (ctx.key.includes('Which animal? (broken)') ? 'http500' : undefined),
    });
    servers.push(s);
    const dir = fakeRun('mmvet', items);
    const records = items.map((l) => ({ ...l.references, prediction: l.prediction }));
    const tasks = judgeTasks('mmvet', records, 'official', 'exact-matching');
    expect(tasks).toHaveLength(3);
    const cache = JudgeCache.load(runPath(dir, 'judge'));
    const engine = judgeEngine(s, 'gpt-4-0613');
    const r = await runJudgeTasks('mmvet', 'official', tasks, cache, runPath(dir, 'judge'), engine, 4);
    await engine.close();
    // 1 call for the "0.5" item, 2 for the chatty one (retry with the digit suffix), 1 failed call.
    expect(r).toMatchObject({ calls: 4, cached: 0, failures: 1 });
    expect(r.failureReasons).toEqual([expect.stringMatching(/^http: 127\.0\.0\.1:\d+: HTTP 500: injected internal error/)]);
    const bodies = s.log.filter((l) => l.key.includes('Which colour?'));
    expect(bodies.map((b) => b.body.temperature)).toEqual([0, 0]);
    expect(bodies.map((b) => b.body.max_tokens)).toEqual([3, 3]);
    const scores = scoreRun(dir).benches.mmvet;
    expect(scores?.primary.display).toBe('75.0');
    expect(scores?.primary.n).toBe(2);
    expect(scores?.primary.counts.judge_failed).toBe(1);
    expect(scores?.judgeFailures).toBe(1);
    expect(scores?.judgeModel).toBe('gpt-4-0613');
    // Rescoring uses the cache; judging again calls only the failed item again (still failing).
    const before = s.log.length;
    scoreRun(dir);
    expect(s.log.length).toBe(before);
    const engine2 = judgeEngine(s, 'gpt-4-0613');
    const r2 = await runJudgeTasks('mmvet', 'official', judgeTasks('mmvet', records, 'official', 'exact-matching'), JudgeCache.load(runPath(dir, 'judge')), runPath(dir, 'judge'), engine2, 4);
    await engine2.close();
    expect(r2).toMatchObject({ calls: 1, cached: 2, failures: 1 });
  });

  it('grades every item N times with --judge-runs: separate cached calls per run, mean of the runs and their spread', async () => {
    const calls = new Map<string, number>();
    // Each prompt's n-th call gets the n-th grade: the first item 1.0 then 0.0, the second 0.5 twice.
    const s = await startFakeOpenAIServer({
      models: ['gpt-4-0613'],
      answer: (key) => {
        const n = calls.get(key) ?? 0;
        calls.set(key, n + 1);
        return key.includes('What is x?') ? ['1.0', '0.0'][n] ?? '0.0' : '0.5';
      },
    });
    servers.push(s);
    const two = items.slice(0, 2);
    const dir = fakeRun('mmvet', two);
    const records = two.map((l) => ({ ...l.references, prediction: l.prediction }));
    const tasks = judgeTasks('mmvet', records, 'official', 'exact-matching', undefined, 2);
    expect(tasks.map((t) => [t.id, t.run ?? 0])).toEqual([['v1_0', 0], ['v1_0', 1], ['v1_1', 0], ['v1_1', 1]]);
    const engine = judgeEngine(s, 'gpt-4-0613');
    // One call at a time: runs are graded in task order, so run 0 gets each prompt's first reply.
    const r = await runJudgeTasks('mmvet', 'official', tasks, JudgeCache.load(runPath(dir, 'judge')), runPath(dir, 'judge'), engine, 1);
    await engine.close();
    expect(r).toEqual({ calls: 4, cached: 0, failures: 0, failureReasons: [] });
    const scored = scoreRun(dir, { judgeRuns: 2 }).benches.mmvet;
    // Run totals (1.0 + 0.5) / 2 = 75 and (0.0 + 0.5) / 2 = 25: mean 50.0, numpy std 25.
    expect(scored?.primary.display).toBe('50.0');
    expect(scored?.primary.runs?.values).toEqual([75, 25]);
    expect(scored?.primary.runs?.std).toBeCloseTo(25, 9);
    // run.json remembers the runs: a plain rescore reads the same cache, no new calls.
    const before = s.log.length;
    expect(scoreRun(dir).benches.mmvet?.primary.runs?.values).toEqual([75, 25]);
    expect(s.log.length).toBe(before);
    // With one run the first run's replies alone count (the cache keys of run 0 are unchanged).
    expect(scoreRun(dir, { judgeRuns: 1 }).benches.mmvet?.primary.display).toBe('75.0');
  });

  it('counts items without judge replies as needing a judge, excluded from the score', () => {
    const dir = fakeRun('mmvet', items);
    const scores = scoreRun(dir).benches.mmvet;
    expect(scores?.primary.counts.needs_judge).toBe(3);
    expect(scores?.primary.n).toBe(0);
  });
});

describe('MMBench judge fallback', () => {
  it('asks the judge only for rows the heuristics cannot read and scores the group with its letter', async () => {
    const base = { question: 'Which animal barks', A: 'cat', B: 'dog', C: 'bird', D: 'fish', category: 'animals' };
    const lines = [
      { id: '5', index: 0, prediction: 'B', references: { ...base, index: 5, answer: 'B' } },
      { id: '1000005', index: 1, prediction: 'I think it is the one that barks', references: { ...base, index: 1000005, answer: 'A', A: 'dog', B: 'cat' } },
    ];
    const s = await startFakeOpenAIServer({ models: ['judge'], answer: () => 'A' });
    servers.push(s);
    const dir = fakeRun('mmbench', lines);
    const records = lines.map((l) => ({ ...l.references, id: l.id, prediction: l.prediction }));
    const tasks = judgeTasks('mmbench', records, 'vlmevalkit', 'llm', 'judge');
    expect(tasks.map((t) => t.id)).toEqual(['1000005']);
    const engine = judgeEngine(s, 'judge');
    await runJudgeTasks('mmbench', 'vlmevalkit', tasks, JudgeCache.load(runPath(dir, 'judge')), runPath(dir, 'judge'), engine, 2);
    await engine.close();
    expect(s.log).toHaveLength(1);
    expect(s.log[0].key).toContain('Answer: I think it is the one that barks');
    const withJudge = scoreRun(dir, { judgeMode: 'llm', judgeModel: 'judge' }).benches.mmbench;
    expect(withJudge?.primary.display).toBe('100.0');
    expect(withJudge?.judgeModel).toBe('judge');
    const without = scoreRun(dir, { judgeMode: 'exact-matching' }).benches.mmbench;
    expect(without?.primary.display).toBe('0.0');
    expect(without?.primary.counts.needs_judge).toBe(1);
    expect(without?.judgeModel).toBeNull();
  });
});
