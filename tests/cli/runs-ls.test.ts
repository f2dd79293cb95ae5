// Where to look next (issue 9, item 9): eval ends with its run path and the exact report command
// (or writes the report with --report); the embedded default writes its report beside its run
// (under --runs-dir's parent, or --out); `cogeval runs ls` lists the runs.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { capture, serversStoppedAfterEach } from '../support/cli-capture.js';
import { main } from '../../harness/cli/main.js';

const servers = serversStoppedAfterEach();

describe('eval: where to look next', () => {
  it('ends with the run path and the report command, which works as printed', async () => {
    const s = await startFakeOpenAIServer();
    servers.push(s);
    const root = mkdtempSync(join(tmpdir(), 'cogeval-next-'));
    const runsDir = join(root, 'runs');
    const c = capture();
    expect(await main(['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '2', '--runs-dir', runsDir], c.io)).toBe(0);
    const runDir = join(runsDir, 'chat-docvqa-cogvlm2-limit2');
    const reportDir = join(root, 'reports', 'chat-docvqa-cogvlm2-limit2');
    expect(c.out.slice(-2)).toEqual([`run: ${runDir}`, `report: npx cogeval report ${runDir} --out ${reportDir}`]);
    // The printed command, run as printed.
    const argv = c.out[c.out.length - 1].replace(/^report: npx cogeval /, '').split(' ');
    expect(await main(argv, capture().io)).toBe(0);
    expect(existsSync(join(reportDir, 'leaderboard.html'))).toBe(true);
  });

  it('--report writes the report to --out', async () => {
    const s = await startFakeOpenAIServer();
    servers.push(s);
    const root = mkdtempSync(join(tmpdir(), 'cogeval-next-'));
    const c = capture();
    expect(await main(['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '1', '--runs-dir', join(root, 'r'), '--report', '--out', join(root, 'site')], c.io)).toBe(0);
    expect(existsSync(join(root, 'site', 'leaderboard.html'))).toBe(true);
    expect(c.err.join('\n')).toMatch(/report: .*site\/leaderboard\.html/);
  });

  it('the embedded default writes its report beside its run, not into ./reports', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cogeval-next-'));
    const c = capture();
    const code = await main(['eval', '--bench', 'docvqa', '--limit', '1', '--runs-dir', join(root, 'work', 'runs')], c.io);
    expect(code, c.err.join('\n')).toBe(0);
    const id = 'demo-tiny-cogvlm2-docvqa-cogvlm2-limit1';
    expect(existsSync(join(root, 'work', 'reports', id, 'leaderboard.html'))).toBe(true);
    expect(existsSync(join('reports', id))).toBe(false);
  }, 120_000);
});

describe('cogeval runs ls', () => {
  it('lists id, model as served, benches, n, failed and created', async () => {
    let first = true;
    const s = await startFakeOpenAIServer({ models: ['served-x'], schedule: () => (first ? ((first = false), 'http400') : undefined) });
    servers.push(s);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-ls-'));
    expect(await main(['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa,chartqa', '--limit', '2', '--concurrency', '1', '--retries', '0', '--runs-dir', runsDir], capture().io)).toBe(0);
    const c = capture();
    expect(await main(['runs', 'ls', '--runs-dir', runsDir], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^id\s+model \(served as\)\s+benches\s+n\s+failed\s+created/);
    expect(c.out[1]).toMatch(/^chat-docvqa\+chartqa-cogvlm2-limit2\s+chat \(served-x\)\s+docvqa,chartqa\s+3\s+1\s+20\d\d-\d\d-\d\dT/);
    expect(c.out).toHaveLength(2);
    const j = capture();
    expect(await main(['runs', 'ls', '--runs-dir', runsDir, '--json'], j.io)).toBe(0);
    expect(JSON.parse(j.out.join('\n'))).toEqual([expect.objectContaining({ id: 'chat-docvqa+chartqa-cogvlm2-limit2', predicted: 3, failed: 1, benches: ['docvqa', 'chartqa'] })]);
  });

  it('a missing runs folder is exit 2', async () => {
    const c = capture();
    expect(await main(['runs', 'ls', '--runs-dir', join(tmpdir(), 'no-such-cogeval-runs')], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--runs-dir .*no-such-cogeval-runs does not exist/);
  });
});
