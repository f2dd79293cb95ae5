// One writer per run directory (issue 9, item 3): two evals started at once on the same run — one
// is refused (exit 2, naming the holder) and nothing is predicted twice; merge and rescore are
// refused on a run in use; a lock left by a dead process on this host is taken over.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { capture, serversStoppedAfterEach } from '../support/cli-capture.js';
import { main } from '../../harness/cli/main.js';
import { acquireRunLock, LOCK_FILE, RunLockedError } from '../../harness/run/lock.js';
import type { RunManifest, PredictionLine } from '../../harness/run/run-format.js';

const servers = serversStoppedAfterEach();

/** The pid of a process that has exited (so certainly not alive now). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('run directory lock', () => {
  it('refuses the second of two evals started at once; nothing is duplicated', async () => {
    // Latency keeps the first eval inside its run while the second starts.
    const s = await startFakeOpenAIServer({ latencyMs: 150 });
    servers.push(s);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-lock-'));
    const args = ['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '4', '--concurrency', '2', '--runs-dir', runsDir, '--run-id', 'same'];
    const a = capture();
    const b = capture();
    const codes = await Promise.all([main(args, a.io), main(args, b.io)]);
    expect([...codes].sort()).toEqual([0, 2]);
    const refused = codes[0] === 2 ? a : b;
    expect(refused.err.join('\n')).toMatch(new RegExp(`run .*same is in use by \`cogeval eval\` \\(pid ${process.pid} on ${hostname()}, since .*\\); wait for it to finish`));
    const lines = readFileSync(join(runsDir, 'same', 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.id)).size).toBe(4);
    expect(s.log).toHaveLength(4);
    const m = JSON.parse(readFileSync(join(runsDir, 'same', 'run.json'), 'utf8')) as RunManifest;
    expect(m.sessions).toHaveLength(1);
    expect(m.sessions[0].endedAt).toBeDefined();
    // Released at the end: the same command again resumes (nothing left to request).
    const c = capture();
    expect(await main(args, c.io), c.err.join('\n')).toBe(0);
    expect(c.err.join('\n')).toMatch(/4 sample\(s\) already predicted/);
    expect(existsSync(join(runsDir, 'same', LOCK_FILE))).toBe(false);
  }, 60_000);

  it('two eval processes started at once: one refused (exit 2, naming the other pid), nothing duplicated', async () => {
    const s = await startFakeOpenAIServer({ latencyMs: 300 });
    servers.push(s);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-lock-'));
    const bin = resolve('bin', 'cogeval.js');
    expect(existsSync(resolve('dist', 'harness', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    const args = [bin, 'eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '4', '--concurrency', '1', '--runs-dir', runsDir, '--run-id', 'p'];
    const start = (): Promise<{ code: number | null; pid: number; stderr: string }> =>
      new Promise((res) => {
        const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code) => res({ code, pid: child.pid ?? -1, stderr }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(loser.stderr).toMatch(new RegExp(`is in use by \`cogeval eval\` \\(pid ${winner.pid} on ${hostname()}, since `));
    const lines = readFileSync(join(runsDir, 'p', 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PredictionLine);
    expect(lines.map((l) => l.id).sort()).toEqual([...new Set(lines.map((l) => l.id))].sort());
    expect(lines).toHaveLength(4);
    expect(s.log).toHaveLength(4);
  }, 60_000);

  it('refuses rescore and merge on a run in use, with exit 2 naming the holder', async () => {
    const s = await startFakeOpenAIServer();
    servers.push(s);
    const runsDir = mkdtempSync(join(tmpdir(), 'cogeval-lock-'));
    const c = capture();
    expect(await main(['eval', '--endpoint', s.url, '--data', 'demo', '--bench', 'docvqa', '--limit', '2', '--runs-dir', runsDir, '--run-id', 'r'], c.io)).toBe(0);
    const run = join(runsDir, 'r');
    const held = acquireRunLock(run, 'eval');
    try {
      const r = capture();
      expect(await main(['rescore', run], r.io)).toBe(2);
      expect(r.err.join('\n')).toMatch(/is in use by `cogeval eval` \(pid \d+ on /);
      const out = join(runsDir, 'merged');
      const heldOut = acquireRunLock(out, 'merge');
      const m = capture();
      expect(await main(['merge', run, '--out', out], m.io)).toBe(2);
      expect(m.err.join('\n')).toMatch(/merged is in use by `cogeval merge`/);
      heldOut.release();
      expect(existsSync(out)).toBe(false); // the lock made the folder and took it away again
    } finally {
      held.release();
    }
    const again = capture();
    expect(await main(['rescore', run], again.io), again.err.join('\n')).toBe(0);
  }, 60_000);

  it('takes over a lock left by a dead process on this host, and only once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-lock-'));
    const stale = { pid: deadPid(), host: hostname(), command: 'eval', startedAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = acquireRunLock(dir, 'eval');
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(process.pid);
    expect(existsSync(join(dir, `${LOCK_FILE}.takeover`))).toBe(false);
    // Now live (this process): a second taker is refused.
    expect(() => acquireRunLock(dir, 'rescore')).toThrow(RunLockedError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('never takes over a lock of another host (it cannot tell whether that process lives) and says how to clear it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-lock-'));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'other-host', command: 'eval', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(() => acquireRunLock(dir, 'eval')).toThrow(/in use by `cogeval eval` \(pid \d+ on other-host, since 2026-01-01T00:00:00.000Z\); wait for it to finish, or, if that process is gone, delete .*\.cogeval\.lock/);
  });
});
