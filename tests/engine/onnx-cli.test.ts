// The embedded default, spawned as a user runs it: `cogeval eval` with no engine arguments runs
// the bundled tiny model over the demo set (here the first item of each of the nine
// benchmarks), says loudly that the scores mean nothing, and writes a normal run and a report;
// `--concurrency 4` batches the onnx engine and predicts the same texts as `--concurrency 1`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const BIN = join(ROOT, 'bin', 'cogeval.js');
const cwd = mkdtempSync(join(tmpdir(), 'cogeval-demo-'));

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cogeval(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cogeval eval (embedded default)', () => {
  it('runs the demo model over all nine demo benchmarks and writes a run and a report', () => {
    expect(existsSync(join(ROOT, 'dist', 'harness', 'engine', 'onnx', 'worker.js')), 'run `npm run build` first').toBe(true);
    const r = cogeval(['eval', '--limit', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\*\*\* demo model with random weights: these scores mean nothing \*\*\*/);
    expect(r.stderr.match(/these scores mean nothing/g)?.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toMatch(/throughput: 9 samples/);
    for (const bench of ['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmvet', 'mmbench', 'vcr_easy', 'vcr_hard']) expect(r.stdout).toMatch(new RegExp(`^${bench} `, 'm'));

    const runDir = join(cwd, 'runs', 'demo-tiny-cogvlm2-all-cogvlm2-limit1');
    const lines = readFileSync(join(runDir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(9);
    for (const line of lines) {
      expect(line.error).toBeUndefined();
      expect(line.endpoint).toBe('in-process');
      expect(line.outputTokens).toBeLessThanOrEqual(16);
    }
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { engine: Record<string, unknown>; config: { engine: { kind: string; server: string } } };
    expect(manifest.config.engine).toEqual({ kind: 'onnx', server: 'onnx' });
    expect(manifest.engine).toMatchObject({ engine: 'onnx', randomWeights: true, maxNewTokensCap: 16 });
    expect(existsSync(join(cwd, 'reports', 'demo-tiny-cogvlm2-all-cogvlm2-limit1', 'leaderboard.html'))).toBe(true);

    // The same command again resumes: nothing is generated twice.
    const again = cogeval(['eval', '--limit', '1']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/9 sample\(s\) already predicted/);
    expect(readFileSync(join(runDir, 'predictions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(9);
  }, 180_000);

  it('--concurrency 4 batches the onnx engine (recorded in run.json) and predicts what --concurrency 1 predicts', () => {
    const predictions = (concurrency: number): { byId: Map<string, unknown>; engine: Record<string, unknown> } => {
      const dir = mkdtempSync(join(tmpdir(), `cogeval-batch${concurrency}-`));
      try {
        const r = spawnSync(process.execPath, [BIN, 'eval', '--engine', 'onnx', '--bench', 'textvqa,docvqa', '--limit', '4', '--concurrency', String(concurrency)], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' },
          timeout: 150_000,
        });
        expect(r.status, r.stderr).toBe(0);
        const runs = readdirSync(join(dir, 'runs'));
        expect(runs).toHaveLength(1);
        const runDir = join(dir, 'runs', runs[0]);
        const lines = readFileSync(join(runDir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines).toHaveLength(8);
        const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { engine: Record<string, unknown> };
        return { byId: new Map(lines.map((l) => [`${String(l.bench)}/${String(l.id)}`, l.prediction])), engine: manifest.engine };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const one = predictions(1);
    const four = predictions(4);
    expect(one.engine).toMatchObject({ concurrency: 1, maxBatch: 1, kvLocation: 'host' });
    expect(four.engine).toMatchObject({ concurrency: 4, maxBatch: 4, kvLocation: 'host' });
    expect([...four.byId.values()].every((p) => typeof p === 'string')).toBe(true);
    expect(four.byId).toEqual(one.byId);
  }, 300_000);

  it('a model directory that does not exist is a usage error naming it and the export command', () => {
    const r = cogeval(['eval', '--engine', 'onnx', '--model-dir', 'no/such/model', '--data', 'demo', '--bench', 'docvqa']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model directory .*no\/such\/model does not exist; export the model with: cogeval export --hf-dir/);
  });
});
