// Crash safety end to end: `cogeval eval` as a child process is killed with SIGKILL mid-run, the
// same command is run again, and the predictions are complete, unique and score the same as an
// uninterrupted run. Uses the bundled demo set and a real loopback server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { latestPredictions, readJsonlRepairing } from '../../harness/run/store.js';
import { tempRunsDir } from './helpers.js';
import type { PredictionLine } from '../../harness/run/run-format.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/cogeval.js');
const KEY = 'sk-kill-test-7c1e0b55';

let server: FakeOpenAIServer;
beforeAll(async () => {
  // Deterministic answers derived from the prompt: some right, most wrong, always the same.
  server = await startFakeOpenAIServer({ latencyMs: 60, answer: (k) => (k.length % 3 === 0 ? 'A' : k.split('\n')[0].slice(0, 12)), requireApiKey: KEY });
});
afterAll(async () => {
  await server.stop();
});

function args(runsDir: string): string[] {
  return [BIN, 'eval', '--model', 'chat', '--bench', 'all', '--data', 'demo', '--endpoint', server.url, '--concurrency', '2', '--runs-dir', runsDir, '--retries', '2'];
}

function lines(file: string): PredictionLine[] {
  return readJsonlRepairing<PredictionLine>(file, false).rows;
}

const env = { ...process.env, COGEVAL_API_KEY: KEY, CI: 'true' };

/** Runs the CLI without blocking this process (the fake server lives in it). */
function runChild(argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('kill -9 and resume', () => {
  it('loses nothing and duplicates nothing', async () => {
    const runsDir = tempRunsDir();
    const predictions = join(runsDir, 'chat-all-cogvlm2', 'predictions.jsonl');
    const child = spawn(process.execPath, args(runsDir), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Kill once about ten predictions are on disk.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(predictions) && readFileSync(predictions, 'utf8').split('\n').length > 10) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`child exited (${code}) before it could be killed: ${stderr}`));
      });
    });
    await new Promise((r) => child.once('close', r));
    const partial = latestPredictions(lines(predictions)).done.size;
    expect(partial).toBeGreaterThanOrEqual(10);

    const again = await runChild(args(runsDir));
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming chat-all-cogvlm2');
    const all = lines(predictions);
    const { done, duplicates } = latestPredictions(all);
    expect(duplicates).toBe(0);
    const total = JSON.parse(readFileSync(join(runsDir, 'chat-all-cogvlm2', 'run.json'), 'utf8')) as { config: { datasets: Record<string, { count: number }> } };
    const expected = Object.values(total.config.datasets).reduce((s, d) => s + d.count, 0);
    expect(done.size).toBe(expected);
    expect(all.filter((l) => !l.error)).toHaveLength(expected);

    // An uninterrupted run of the same command scores identically.
    const cleanDir = tempRunsDir();
    const clean = await runChild(args(cleanDir));
    expect(clean.status, clean.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(runsDir, 'chat-all-cogvlm2', 'scores.json'), 'utf8')) as { benches: Record<string, { primary: { value: number } }> };
    const b = JSON.parse(readFileSync(join(cleanDir, 'chat-all-cogvlm2', 'scores.json'), 'utf8')) as typeof a;
    expect(Object.keys(a.benches).sort()).toEqual(Object.keys(b.benches).sort());
    for (const bench of Object.keys(a.benches)) expect(a.benches[bench].primary.value, bench).toBe(b.benches[bench].primary.value);

    // The API key never reaches the run directory or the output.
    const grep = await new Promise<string>((resolve) => {
      const g = spawn('grep', ['-r', '-l', KEY, runsDir, cleanDir]);
      let out = '';
      g.stdout.on('data', (d: Buffer) => (out += d.toString()));
      g.on('close', () => resolve(out));
    });
    expect(grep).toBe('');
    expect(again.stdout + again.stderr + clean.stdout + clean.stderr).not.toContain(KEY);
  }, 120_000);
});
