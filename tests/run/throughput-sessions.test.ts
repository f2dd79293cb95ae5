// Nothing measured is lost (issue 9, item 8): throughput.json keeps every session (the work, the
// retries, the resumed parts); re-running a finished eval adds an empty session without replacing
// the measurement, and the report shows the throughput of the sessions that did the work.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { main } from '../../harness/cli/main.js';
import { buildReport } from '../../harness/report/build.js';
import type { ThroughputFile } from '../../harness/run/run-format.js';

const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()?.stop();
});

const quiet = { out: () => {}, err: () => {} };

function throughputOf(runDir: string): ThroughputFile {
  return JSON.parse(readFileSync(join(runDir, 'throughput.json'), 'utf8')) as ThroughputFile;
}

describe('throughput.json sessions', () => {
  it('keeps the session that did the work when a finished eval is re-run, and combines resumed parts', async () => {
    // The first session: 2 of 5 samples fail (HTTP 400, not retried); the second retries them.
    let failuresLeft = 2;
    const s = await startFakeOpenAIServer({ latencyMs: 20, schedule: () => (failuresLeft-- > 0 ? 'http400' : undefined) });
    servers.push(s);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-tp-'));
    const args = ['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '5', '--concurrency', '1', '--retries', '0', '--runs-dir', runsDir, '--run-id', 't'];
    const runDir = join(runsDir, 't');
    expect(await main(args, quiet)).toBe(0);
    const first = throughputOf(runDir);
    expect(first.sessions).toHaveLength(1);
    expect(first.sessions[0]).toMatchObject({ requests: 5, completed: 3, errors: 2 });

    expect(await main(args, quiet)).toBe(0); // retries the 2 failures
    const second = throughputOf(runDir);
    expect(second.sessions).toHaveLength(2);
    expect(second.sessions[1]).toMatchObject({ requests: 2, completed: 2, errors: 0 });
    expect(second).toMatchObject({ requests: 7, completed: 5, errors: 2 });
    expect(second.wallSeconds).toBeCloseTo(second.sessions[0].wallSeconds + second.sessions[1].wallSeconds, 9);
    expect(second.latencyMs?.n).toBe(5); // every successful sample's latency, from predictions.jsonl

    expect(await main(args, quiet)).toBe(0); // finished: nothing to request
    const third = throughputOf(runDir);
    expect(third.sessions).toHaveLength(3);
    expect(third.sessions[2]).toMatchObject({ requests: 0, completed: 0 });
    // The measurement is that of the sessions that did work, not the empty one.
    expect(third).toMatchObject({ requests: 7, completed: 5, wallSeconds: second.wallSeconds, samplesPerSecond: second.samplesPerSecond });
    expect(third.samplesPerSecond).toBeGreaterThan(0);

    const report = await buildReport({ runDirs: [runDir], outDir: join(runsDir, 'report'), thumbnailBudgetBytes: 0 });
    expect(report.board.runs[0].throughput).toMatchObject({ completed: 5, requests: 7 });
    const html = readFileSync(report.files.html, 'utf8').replace(/<[^>]+>/g, ' ');
    expect(html).toMatch(/2 session\(s\) with requests/);
  }, 60_000);
});
