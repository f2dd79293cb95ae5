// Honest exit codes and summaries (issue 9, item 5): every bad input of `cogeval eval` with its exit
// code and one-line message, pre-flight before any run directory exists, exit 1 when every sample
// failed with the reasons counted, file-system problems without a stack trace, and Ctrl-C telling
// what happens to the requests in flight.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { capture, serversStoppedAfterEach } from '../support/cli-capture.js';
import { main } from '../../harness/cli/main.js';

const servers = serversStoppedAfterEach();

async function server(opts: Parameters<typeof startFakeOpenAIServer>[0] = {}): Promise<FakeOpenAIServer> {
  const s = await startFakeOpenAIServer(opts);
  servers.push(s);
  return s;
}

const BASE = ['eval', '--data', 'demo', '--bench', 'docvqa', '--limit', '2'];
/** BASE with another --limit. */
const withLimit = (n: number): string[] => [...BASE.slice(0, -1), String(n)];

/** Runs eval in-process; the message is the stderr text. */
async function evalWith(args: string[]): Promise<{ code: number; err: string; out: string }> {
  const c = capture();
  const code = await main(args, c.io);
  return { code, err: c.err.join('\n'), out: c.out.join('\n') };
}

function oneLineError(err: string): void {
  expect(err.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
}

describe('eval: bad input is refused with exit 2 and a message naming the flag, before any run directory', () => {
  const cases: [string, string[], RegExp][] = [
    ['--limit 0', ['--limit', '0'], /--limit takes a whole number of samples ≥ 1, got 0/],
    ['--limit -3', ['--limit', '-3'], /--limit takes a whole number of samples ≥ 1, got -3/],
    ['--limit 1.5', ['--limit', '1.5'], /--limit takes a whole number of samples ≥ 1, got 1\.5/],
    ['--limit abc', ['--limit', 'abc'], /--limit takes a whole number of samples ≥ 1, got NaN/],
    ['--retries -1', ['--retries', '-1'], /--retries takes a whole number ≥ 0, got -1/],
    ['--judge llm without an endpoint', ['--judge', 'llm'], /--judge llm needs --judge-endpoint URL/],
    ['--api-key-env naming an unset variable', ['--api-key-env', 'COGEVAL_TEST_UNSET_KEY'], /--api-key-env COGEVAL_TEST_UNSET_KEY: the environment variable COGEVAL_TEST_UNSET_KEY is not set/],
    ['--judge-key-env naming an unset variable', ['--judge-endpoint', 'http://127.0.0.1:9/v1', '--judge-key-env', 'COGEVAL_TEST_UNSET_J'], /--judge-key-env COGEVAL_TEST_UNSET_J: the environment variable COGEVAL_TEST_UNSET_J is not set/],
  ];
  for (const [name, extra, message] of cases) {
    it(name, async () => {
      const s = await server();
      const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
      // Only one --limit (yargs makes an array of two).
      const base = extra[0] === '--limit' ? BASE.slice(0, -2) : BASE;
      const r = await evalWith([...base, ...extra, '--endpoint', s.url, '--runs-dir', runsDir]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      oneLineError(r.err);
      expect(readdirSync(runsDir)).toEqual([]);
      expect(s.log).toHaveLength(0);
    });
  }

  it('a benchmark the protocol predates (VCR under the dated protocols) is refused, never given a made-up prompt', async () => {
    const s = await server();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
    const r = await evalWith(['eval', '--data', 'demo', '--bench', 'docvqa,vcr_easy', '--protocol', 'lmms-eval@2024-05', '--limit', '1', '--endpoint', s.url, '--runs-dir', runsDir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: VCR_EASY (vcr_easy) cannot run under protocol lmms-eval@2024-05: VCR reached lmms-eval in 2024-06, after this revision; use --protocol lmms-eval');
    oneLineError(r.err);
    expect(readdirSync(runsDir)).toEqual([]);
    expect(s.log).toHaveLength(0);
  });

  it('--bench all under a dated protocol leaves VCR out and says so', async () => {
    const s = await server();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-all-'));
    const r = await evalWith(['eval', '--data', 'demo', '--bench', 'all', '--protocol', 'vlmevalkit@2024-05', '--limit', '1', '--no-report', '--endpoint', s.url, '--runs-dir', runsDir]);
    expect(r.err).toContain('--bench all under protocol vlmevalkit@2024-05: vcr_easy, vcr_hard left out');
    expect(r.code).toBe(0);
    const [runId] = readdirSync(runsDir);
    const run = JSON.parse(readFileSync(join(runsDir, runId, 'run.json'), 'utf8')) as { config: { benches: string[] } };
    expect(run.config.benches).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmvet', 'mmbench']);
  });

  it('an unreachable endpoint fails the pre-flight: exit 2, no run directory left behind', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
    const r = await evalWith([...BASE, '--endpoint', 'http://127.0.0.1:9/v1', '--retries', '0', '--runs-dir', runsDir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot list the served models at http:\/\/127\.0\.0\.1:9\/v1\/models \(.*ECONNREFUSED 127\.0\.0\.1:9.*\); check --endpoint/);
    oneLineError(r.err);
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('an unreachable judge fails the pre-flight: exit 2, no run directory, no model request', async () => {
    const s = await server();
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
    const r = await evalWith([...BASE, '--endpoint', s.url, '--judge-endpoint', 'http://127.0.0.1:9/v1', '--runs-dir', runsDir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the judge is not reachable: .*ECONNREFUSED 127\.0\.0\.1:9.*check --judge-endpoint/);
    expect(readdirSync(runsDir)).toEqual([]);
    expect(s.log).toHaveLength(0);
  });

  it('a judge API without a model list (404) passes the pre-flight; one refusing the key (401) does not', async () => {
    const s = await server();
    for (const [status, code] of [
      [404, 0],
      [401, 2],
    ] as const) {
      const judge = createServer((req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: status === 401 ? 'bad key' : 'no such route' } }));
      });
      await new Promise<void>((res) => judge.listen(0, '127.0.0.1', res));
      const port = (judge.address() as AddressInfo).port;
      const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
      const r = await evalWith([...BASE, '--endpoint', s.url, '--judge-endpoint', `http://127.0.0.1:${port}/v1`, '--runs-dir', runsDir]);
      judge.close();
      expect(r.code, r.err).toBe(code);
      if (code === 2) {
        expect(r.err).toMatch(/the judge is not reachable: .*answered HTTP 401.*check --judge-endpoint/);
        expect(readdirSync(runsDir)).toEqual([]);
      }
    }
  });

  it('a server that lists several models asks for --served-model', async () => {
    const s = await server({ models: ['a', 'b'] });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-bad-'));
    const r = await evalWith([...BASE, '--endpoint', s.url, '--runs-dir', runsDir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the server lists several models \(a, b\); pick one with --served-model/);
    expect(readdirSync(runsDir)).toEqual([]);
  });
});

describe('eval: file-system problems are one line, exit 2', () => {
  it('--runs-dir is a file', async () => {
    const s = await server();
    const file = join(mkdtempSync(join(tmpdir(), 'cogeval-fs-')), 'runs');
    writeFileSync(file, 'x');
    const r = await evalWith([...BASE, '--endpoint', s.url, '--runs-dir', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--runs-dir .*runs is a file, not a directory/);
    oneLineError(r.err);
  });

  it('--runs-dir where nothing may be written (a read-only file system)', async () => {
    const s = await server();
    // /sys refuses new folders even to root (EPERM/EROFS); a chmod'ed folder would not stop root.
    const r = await evalWith([...BASE, '--endpoint', s.url, '--runs-dir', '/sys/cogeval-test-runs']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: cannot create the folder \/sys\/cogeval-test-runs.*: (operation not permitted|the file system is read-only|permission denied|no such file or directory.*) \(E[A-Z]+\)$/m);
    oneLineError(r.err);
    expect(s.log).toHaveLength(0);
  });

  it('--out is a file', async () => {
    const s = await server();
    const root = mkdtempSync(join(tmpdir(), 'cogeval-fs-'));
    writeFileSync(join(root, 'report'), 'x');
    const r = await evalWith([...BASE, '--endpoint', s.url, '--runs-dir', join(root, 'runs'), '--report', '--out', join(root, 'report')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out .*report is a file; pass a folder for the report/);
    oneLineError(r.err);
    expect(existsSync(join(root, 'runs'))).toBe(false);
  });

  it('score --json into a folder that does not exist', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cogeval-fs-'));
    const preds = join(root, 'p.jsonl');
    writeFileSync(preds, JSON.stringify({ id: 1, prediction: 'a', answers: ['a'] }) + '\n');
    const r = capture();
    const code = await main(['score', '--bench', 'docvqa', '--predictions', preds, '--json', join(root, 'missing', 'x.json')], r.io);
    expect(code).toBe(2);
    expect(r.err.join('\n')).toMatch(/^error: cannot open .*missing\/x\.json: no such file or directory \(create the folder first\) \(ENOENT\)$/m);
    oneLineError(r.err.join('\n'));
  });

  it('report --out is a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cogeval-fs-'));
    mkdirSync(join(root, 'runs'));
    writeFileSync(join(root, 'out'), 'x');
    const r = capture();
    const code = await main(['report', '--runs-dir', join(root, 'runs'), '--out', join(root, 'out')], r.io);
    expect(code).toBe(2);
    oneLineError(r.err.join('\n'));
  });
});

describe('eval: failures are counted and explained', () => {
  it('every sample failed: exit 1, the reasons with counts', async () => {
    const s = await server({ schedule: () => 'http500' });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-fail-'));
    const r = await evalWith([...withLimit(3), '--endpoint', s.url, '--retries', '0', '--runs-dir', runsDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/3 of 3 sample\(s\) failed this session/);
    expect(r.err).toMatch(/^ {2}3 × 127\.0\.0\.1:\d+: HTTP 500: injected internal error$/m);
    expect(r.err).toMatch(/every sample of this session failed \(3\)/);
  });

  it('a server gone after the pre-flight: exit 1, `N × ECONNREFUSED host:port`', async () => {
    // Answers /v1/models, then stops listening: every chat request is refused.
    const srv = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'gone-model', object: 'model' }] }), () => {
        srv.close();
        srv.closeAllConnections();
      });
    });
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const port = (srv.address() as AddressInfo).port;
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-fail-'));
    const r = await evalWith([...withLimit(4), '--endpoint', `http://127.0.0.1:${port}/v1`, '--retries', '1', '--runs-dir', runsDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^ {2}4 × ECONNREFUSED 127\\.0\\.0\\.1:${port}$`, 'm'));
  });

  it('judge failures are counted with their reasons', async () => {
    const model = await server();
    const judge = await server({ schedule: () => 'http503' });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-fail-'));
    const r = await evalWith(['eval', '--data', 'demo', '--bench', 'mmvet', '--limit', '2', '--endpoint', model.url, '--judge-endpoint', judge.url, '--runs-dir', runsDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^mmvet judge: 2 failure\(s\) \(excluded from the score, counted\):$/m);
    expect(r.err).toMatch(/^ {2}2 × http: 127\.0\.0\.1:\d+: HTTP 503: /m);
  }, 60_000);

  it('some samples failed: exit 0, the reasons with counts', async () => {
    let n = 0;
    const s = await server({ schedule: () => (++n === 1 ? 'http400' : undefined) });
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-fail-'));
    const r = await evalWith([...BASE, '--endpoint', s.url, '--retries', '0', '--concurrency', '1', '--runs-dir', runsDir]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 of 2 sample\(s\) failed this session/);
    expect(r.err).toMatch(/^ {2}1 × 127\.0\.0\.1:\d+: HTTP 400: injected bad request/m);
    expect(r.out).toMatch(/^run: /m);
  });
});

describe('eval: Ctrl-C', () => {
  it('says what happens to the requests in flight, keeps what finished, and exits 130', async () => {
    const s = await server({ latencyMs: 1500 });
    const cwd = mkdtempSync(join(tmpdir(), 'cogeval-int-'));
    const bin = resolve('bin', 'cogeval.js');
    expect(existsSync(resolve('dist', 'harness', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    const child = spawn(process.execPath, [bin, ...withLimit(6), '--concurrency', '2', '--endpoint', s.url], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once requests are at the server.
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (s.log.length >= 2) {
          clearInterval(t);
          res();
        }
      }, 20);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: no new requests are sent; the requests in flight are cancelled and recorded as failed/);
    const runDir = join(cwd, 'runs', 'chat-docvqa-cogvlm2-limit6');
    const lines = readFileSync(join(runDir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { error?: { kind: string } });
    // The two in flight were cancelled and recorded as failed (retried on the next run).
    expect(lines.filter((l) => l.error?.kind === 'aborted').length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
