// The eval runner against a real loopback OpenAI-compatible server: faults, resume, torn lines,
// configuration changes, sharding + merge, judge failures, and keys never reaching disk.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createOpenAIEngine } from '../../harness/engine/openai/engine.js';
import { runEval } from '../../harness/run/runner.js';
import { scoreRun } from '../../harness/run/score-run.js';
import { mergeRuns } from '../../harness/run/merge.js';
import { latestPredictions, readJsonlRepairing } from '../../harness/run/store.js';
import { ConfigError } from '../../harness/errors.js';
import { docvqaDataset, echoQuestion, plan, tempRunsDir } from './helpers.js';
import { runPath, type PredictionLine } from '../../harness/run/run-format.js';

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

async function server(opts: Parameters<typeof startFakeOpenAIServer>[0] = {}): Promise<FakeOpenAIServer> {
  const s = await startFakeOpenAIServer({ answer: echoQuestion, ...opts });
  servers.push(s);
  return s;
}

function engineFor(s: FakeOpenAIServer, env: NodeJS.ProcessEnv = {}) {
  return createOpenAIEngine(
    { endpoints: s.url, model: 'fake-cogvlm2', concurrency: 8, timeoutMs: 20_000 /* per request; loopback answers in ms, but a loaded 2-core machine can stall seconds */, retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 20 } },
    { env },
  );
}

function predictionLines(runDir: string): PredictionLine[] {
  return readJsonlRepairing<PredictionLine>(runPath(runDir, 'predictions'), false).rows;
}

describe('runEval', () => {
  it('predicts every sample exactly once under 20% injected faults and scores them', async () => {
    const s = await server({ faults: { probability: 0.2, kinds: ['http500', 'http503', 'http429', 'reset', 'malformed', 'empty', 'stream-cut'], seed: 11 }, retryHeaders: { 'retry-after-ms': '5' } });
    const engine = engineFor(s);
    const runsDir = tempRunsDir();
    const outcome = await runEval(plan(engine, runsDir, docvqaDataset(120)));
    await engine.close();
    const lines = predictionLines(outcome.runDir);
    expect(lines).toHaveLength(120);
    expect(new Set(lines.map((l) => l.id)).size).toBe(120);
    expect(lines.filter((l) => l.error)).toEqual([]);
    for (const l of lines) expect(l.prediction).toBe(`question number ${l.index}?`);
    expect(s.log.some((r) => r.fault !== undefined)).toBe(true);
    const scores = scoreRun(outcome.runDir);
    expect(scores.benches.docvqa?.primary.display).toBe('100.0');
    expect(scores.benches.docvqa?.samples).toEqual({ selected: 120, predicted: 120, failed: 0, missing: 0 });
  });

  it('resumes an interrupted run without requesting a finished sample again', async () => {
    const s = await server({ latencyMs: 5 });
    const runsDir = tempRunsDir();
    const controller = new AbortController();
    let seen = 0;
    const engine1 = engineFor(s);
    await runEval(
      plan(engine1, runsDir, docvqaDataset(60), {
        signal: controller.signal,
        progress: () => ({ update: () => { if (++seen === 20) controller.abort(); }, stop: () => {} }),
      }),
    );
    await engine1.close();
    const first = predictionLines(join(runsDir, 'chat-docvqa-cogvlm2'));
    const doneFirst = latestPredictions(first).done;
    expect(doneFirst.size).toBeGreaterThanOrEqual(19);
    expect(doneFirst.size).toBeLessThan(60);
    const answeredBefore = new Map(s.answeredByKey());
    const engine2 = engineFor(s);
    const outcome = await runEval(plan(engine2, runsDir, docvqaDataset(60)));
    await engine2.close();
    const { done, duplicates } = latestPredictions(predictionLines(outcome.runDir));
    expect(done.size).toBe(60);
    expect(duplicates).toBe(0);
    // Samples finished in the first session were never sent again.
    for (const line of doneFirst.values()) {
      const key = `question number ${line.index}?\nAnswer the question using a single word or phrase.`;
      expect(s.answeredByKey().get(key)).toBe(answeredBefore.get(key));
    }
    expect(outcome.skippedDone).toBe(doneFirst.size);
  });

  it('drops a torn last line, reports it, and re-requests only that sample', async () => {
    const s = await server();
    const runsDir = tempRunsDir();
    const e1 = engineFor(s);
    const o1 = await runEval(plan(e1, runsDir, docvqaDataset(10)));
    await e1.close();
    const file = runPath(o1.runDir, 'predictions');
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    const lastLine = text.pop() as string;
    const lastId = (JSON.parse(lastLine) as PredictionLine).id;
    writeFileSync(file, text.join('\n') + '\n' + lastLine.slice(0, 25));
    const logs: string[] = [];
    const e2 = engineFor(s);
    const o2 = await runEval(plan(e2, runsDir, docvqaDataset(10), { log: (l) => logs.push(l) }));
    await e2.close();
    expect(logs.join('\n')).toMatch(/dropped a torn last line \(25 bytes\)/);
    expect(o2.requested).toBe(1);
    const lines = predictionLines(o2.runDir);
    expect(lines).toHaveLength(10);
    expect(lines[lines.length - 1].id).toBe(lastId);
  });

  it('refuses to mix a changed configuration into an old run unless --new-run', async () => {
    const s = await server();
    const runsDir = tempRunsDir();
    const e = engineFor(s);
    await runEval(plan(e, runsDir, docvqaDataset(4)));
    await expect(runEval(plan(e, runsDir, docvqaDataset(4), { protocol: 'lmms-eval' , runId: 'chat-docvqa-cogvlm2' }))).rejects.toThrow(ConfigError);
    await expect(runEval(plan(e, runsDir, docvqaDataset(4), { protocol: 'lmms-eval', runId: 'chat-docvqa-cogvlm2' }))).rejects.toThrow(/protocol: "cogvlm2" → "lmms-eval"/);
    const o = await runEval(plan(e, runsDir, docvqaDataset(4), { protocol: 'lmms-eval', runId: 'chat-docvqa-cogvlm2', newRun: true }));
    await e.close();
    expect(o.runDir.endsWith('chat-docvqa-cogvlm2-2')).toBe(true);
    expect(readdirSync(runsDir).sort()).toEqual(['chat-docvqa-cogvlm2', 'chat-docvqa-cogvlm2-2']);
  });

  it('records sample failures without scoring them, and retries them on the next run', async () => {
    const s = await server();
    const runsDir = tempRunsDir();
    const e = engineFor(s);
    const o = await runEval(plan(e, runsDir, docvqaDataset(8, { failAt: [3] })));
    expect(o.failed).toBe(1);
    const scores = scoreRun(o.runDir);
    expect(scores.benches.docvqa?.samples).toEqual({ selected: 8, predicted: 7, failed: 1, missing: 0 });
    expect(scores.benches.docvqa?.primary.n).toBe(7);
    expect(scores.benches.docvqa?.failedByKind).toEqual({ sample: 1 });
    const o2 = await runEval(plan(e, runsDir, docvqaDataset(8)));
    await e.close();
    expect(o2.requested).toBe(1);
    expect(scoreRun(o2.runDir).benches.docvqa?.samples.failed).toBe(0);
  });

  it('fails a sample whose image is truncated, with a reason, and goes on', async () => {
    const s = await server();
    const e = engineFor(s);
    const o = await runEval(plan(e, tempRunsDir(), docvqaDataset(6, { corruptImageAt: [2] })));
    await e.close();
    const bad = predictionLines(o.runDir).filter((l) => l.error);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ id: 'q2', prediction: '', error: { kind: 'image' } });
    expect(bad[0].error?.message).toContain('row 2');
    expect(s.log.some((r) => r.key.startsWith('question number 2?'))).toBe(false);
    expect(scoreRun(o.runDir).benches.docvqa?.samples).toEqual({ selected: 6, predicted: 5, failed: 1, missing: 0 });
  });

  it('splits samples over shards and merges them into the same scores as one run', async () => {
    const s = await server({ answer: (k) => (k.includes('7') ? 'wrong' : echoQuestion(k)) });
    const runsDir = tempRunsDir();
    const e = engineFor(s);
    const whole = await runEval(plan(e, runsDir, docvqaDataset(30)));
    const s1 = await runEval(plan(e, runsDir, docvqaDataset(30), { shard: { index: 1, count: 2 } }));
    const s2 = await runEval(plan(e, runsDir, docvqaDataset(30), { shard: { index: 2, count: 2 } }));
    await e.close();
    expect(predictionLines(s1.runDir).every((l) => l.index % 2 === 0)).toBe(true);
    expect(predictionLines(s2.runDir).every((l) => l.index % 2 === 1)).toBe(true);
    const merged = mergeRuns([s1.runDir, s2.runDir], join(runsDir, 'merged'));
    expect(merged.predictions).toBe(30);
    const a = scoreRun(whole.runDir).benches.docvqa;
    const b = scoreRun(merged.dir).benches.docvqa;
    expect(b?.primary.value).toBe(a?.primary.value);
    expect(b?.primary.ci).toEqual(a?.primary.ci);
    expect(b?.primary.value).toBeLessThan(100);
    expect(() => mergeRuns([s1.runDir, whole.runDir], join(runsDir, 'bad'))).toThrow(/another configuration|not a shard/);
  });

  it('never writes the API key to the run directory', async () => {
    const key = 'sk-test-SECRET-9f3b1c7d';
    const s = await server({ requireApiKey: key });
    const e = engineFor(s, { COGEVAL_API_KEY: key });
    const o = await runEval(plan(e, tempRunsDir(), docvqaDataset(5)));
    await e.close();
    scoreRun(o.runDir);
    expect(s.log.every((r) => r.authorization === `Bearer ${key}`)).toBe(true);
    for (const f of readdirSync(o.runDir)) expect(readFileSync(join(o.runDir, f), 'utf8')).not.toContain(key);
  });
});
