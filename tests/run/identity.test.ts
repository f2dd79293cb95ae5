// Run identity (issue 9, item 1): run.json records what really answered (the served model, every
// endpoint's listing, the responses' model field, the onnx model directory's id and content hash);
// a resume against another served model or model directory is refused with the differences; a
// random-weight model (`cogeval serve` of the tiny model) is labelled everywhere and compared with
// no reported score.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { capture, serversStoppedAfterEach } from '../support/cli-capture.js';
import { startServe, type RunningServe } from '../../harness/cli/serve.js';
import { main } from '../../harness/cli/main.js';
import { buildReport } from '../../harness/report/build.js';
import { modelDirContentHash } from '../../harness/run/identity.js';
import { readModelDir } from '../../harness/engine/onnx/model-dir.js';
import type { RunManifest } from '../../harness/run/run-format.js';

const TINY = resolve('tests/fixtures/tiny-model');
const servers = serversStoppedAfterEach();

function manifestOf(runDir: string): RunManifest {
  return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunManifest;
}

const EVAL = ['eval', '--data', 'demo', '--bench', 'docvqa', '--limit', '3', '--retries', '0', '--concurrency', '2'];

describe('run identity (openai engine)', () => {
  it('records the served model, the endpoints and the responses; a resume against another served model is refused', async () => {
    const a = await startFakeOpenAIServer({ models: ['model-a'] });
    servers.push(a);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ident-'));
    const c1 = capture();
    expect(await main([...EVAL, '--endpoint', a.url, '--runs-dir', runsDir, '--run-id', 'r'], c1.io), c1.err.join('\n')).toBe(0);
    const runDir = join(runsDir, 'r');
    const m = manifestOf(runDir);
    expect(m.config.identity).toEqual({ model: 'model-a', randomWeights: false, contentHash: null });
    expect(m.config.model.servedModel).toBe('model-a');
    expect(m.identity?.endpoints).toEqual([{ host: new URL(a.url).host, models: ['model-a'] }]);
    expect(m.identity?.responseModels).toEqual({ 'model-a': 3 });
    expect(m.sessions.map((x) => x.endpoints)).toEqual([[new URL(a.url).host]]);
    const before = readFileSync(join(runDir, 'predictions.jsonl'), 'utf8');

    // The same command against a server that serves another model: refused, nothing mixed in.
    const b = await startFakeOpenAIServer({ models: ['model-b'] });
    servers.push(b);
    const c2 = capture();
    expect(await main([...EVAL, '--endpoint', b.url, '--runs-dir', runsDir, '--run-id', 'r'], c2.io)).toBe(2);
    expect(c2.err.join('\n')).toMatch(/was made with another configuration; refusing to mix predictions/);
    expect(c2.err.join('\n')).toMatch(/identity\.model: "model-a" → "model-b"/);
    expect(b.log).toHaveLength(0);
    expect(readFileSync(join(runDir, 'predictions.jsonl'), 'utf8')).toBe(before);
  }, 60_000);

  it('refuses a --served-model the server does not list, naming the flag, before creating a run', async () => {
    const a = await startFakeOpenAIServer({ models: ['model-a'] });
    servers.push(a);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ident-'));
    const c = capture();
    expect(await main([...EVAL, '--endpoint', a.url, '--served-model', 'nope', '--runs-dir', runsDir], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/does not serve "nope" \(its \/v1\/models lists: model-a\); check --served-model/);
    expect(existsSync(join(runsDir, 'chat-docvqa-cogvlm2-limit3'))).toBe(false);
  });
});

describe('run identity (onnx model directory)', () => {
  it('hashes the graphs and the tokenizer: one changed byte changes the hash', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'cogeval-model-'));
    cpSync(TINY, copy, { recursive: true });
    const h1 = await modelDirContentHash(readModelDir(copy));
    expect(h1).toMatch(/^[0-9a-f]{16}$/);
    expect(await modelDirContentHash(readModelDir(TINY))).toBe(h1);
    const graph = join(copy, 'vision.onnx');
    const bytes = readFileSync(graph);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(graph, bytes);
    expect(await modelDirContentHash(readModelDir(copy))).not.toBe(h1);
    rmSync(copy, { recursive: true, force: true });
  });

  it('records model_id, random_weights and the hash; a resume with another model directory is refused', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'cogeval-model-'));
    cpSync(TINY, copy, { recursive: true });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ident-'));
    const args = ['eval', '--engine', 'onnx', '--model-dir', copy, '--data', 'demo', '--bench', 'docvqa', '--limit', '1', '--runs-dir', runsDir, '--run-id', 'o'];
    const c1 = capture();
    expect(await main(args, c1.io), c1.err.join('\n')).toBe(0);
    const m = manifestOf(join(runsDir, 'o'));
    expect(m.config.identity).toEqual({ model: 'cogvlm2-tiny-random', randomWeights: true, contentHash: await modelDirContentHash(readModelDir(TINY)) });
    expect(m.config.model.name).toBe('random-weights-cogvlm2-tiny-random');
    expect(m.identity?.modelDir).toBe(copy);

    const config = JSON.parse(readFileSync(join(copy, 'config.json'), 'utf8')) as { cogeval_onnx: { model_id: string } };
    config.cogeval_onnx.model_id = 'another-model';
    writeFileSync(join(copy, 'config.json'), JSON.stringify(config));
    const c2 = capture();
    expect(await main(args, c2.io)).toBe(2);
    expect(c2.err.join('\n')).toMatch(/identity\.model: "cogvlm2-tiny-random" → "another-model"/);
    rmSync(copy, { recursive: true, force: true });
  }, 120_000);
});

describe('a random-weight model served by cogeval serve', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe({ 'model-dir': TINY, port: 0, host: '127.0.0.1', ep: 'cpu', threads: 1, quiet: true }, { out: () => {}, err: () => {} });
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
  });

  it('is labelled in the run id, run.json, the terminal table and every report row, and never compared with 84.2', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ident-'));
    const c = capture();
    const code = await main(['eval', '--endpoint', serve.server.url, '--data', 'demo', '--bench', 'textvqa', '--limit', '1', '--runs-dir', runsDir], c.io);
    expect(code, c.err.join('\n')).toBe(0);
    const out = c.out.join('\n');
    const id = 'random-weights-cogvlm2-tiny-random-textvqa-cogvlm2-limit1';
    expect(out).toMatch(/\*\*\* RANDOM WEIGHTS: cogvlm2-tiny-random has random weights/);
    expect(out).toMatch(/^textvqa \(RANDOM WEIGHTS\) /m);
    expect(out).not.toMatch(/84\.2/);
    expect(out).not.toMatch(/THUDM\/cogvlm2-llama3-chat-19B/);
    const m = manifestOf(join(runsDir, id));
    expect(m.config.identity?.randomWeights).toBe(true);
    expect(m.config.model.hfId).toBe('cogvlm2-tiny-random (RANDOM WEIGHTS)');

    const report = await buildReport({ runDirs: [join(runsDir, id)], outDir: join(runsDir, 'report'), thumbnailBudgetBytes: 0 });
    const run = report.board.runs[0];
    expect(run.reportedRow).toBeUndefined();
    expect(run.cells.textvqa?.reported).toBeUndefined();
    expect(run.model.name).toMatch(/\(RANDOM WEIGHTS\)$/);
    const html = readFileSync(report.files.html, 'utf8');
    const text = html.replace(/<[^>]+>/g, ' ');
    expect(text).toMatch(/random-weights-cogvlm2-tiny-random \(RANDOM WEIGHTS\) \(no README row\)/);
    const md = readFileSync(report.files.md, 'utf8');
    expect(md).toMatch(/RANDOM WEIGHTS/);
    const csvRun = readFileSync(report.files.csv, 'utf8').split('\n').find((l) => l.startsWith('run,'));
    expect(csvRun).toMatch(/RANDOM WEIGHTS/);
  }, 120_000);
});
