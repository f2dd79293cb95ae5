// `cogeval report` through the real CLI entry point: files written, the terminal table, notes for
// damaged runs, and exit code 2 with a clear message for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { makeReportRuns, tempDir, type ReportRuns } from './fixtures.js';

let fx: ReportRuns;
let root: string;
beforeAll(async () => {
  fx = await makeReportRuns();
  root = tempDir('cogeval-report-cli-');
});
afterAll(() => {
  if (fx) rmSync(fx.runsDir, { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
});

function capture(): { out: string[]; err: string[]; io: { out: (l: string) => void; err: (l: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

describe('cogeval report', () => {
  it('reports every run of --runs-dir into --out and prints the table', async () => {
    const c = capture();
    const out = join(root, 'all');
    expect(await main(['report', '--runs-dir', fx.runsDir, '--out', out, '--thumbnail-budget', '0'], c.io)).toBe(0);
    for (const f of ['leaderboard.html', 'leaderboard.csv', 'leaderboard.md']) expect(existsSync(join(out, f))).toBe(true);
    expect(c.out[0]).toMatch(/^model\s+TextVQA/);
    expect(c.out.some((l) => l.includes('chat-textvqa-good'))).toBe(true);
    expect(c.err.join('\n')).toContain(`wrote ${join(out, 'leaderboard.html')}`);
    expect(c.err.join('\n')).toContain('thumbnails are turned off');
    expect(readFileSync(join(out, 'leaderboard.csv'), 'utf8').split('\n').filter((l) => l.startsWith('run,'))).toHaveLength(5);
  });

  it('reports only the runs named, with thumbnails from the bundled demo set', async () => {
    const c = capture();
    const out = join(root, 'one');
    expect(await main(['report', fx.dirs.demo, '--out', out], c.io)).toBe(0);
    const md = readFileSync(join(out, 'leaderboard.md'), 'utf8');
    expect(md).toContain('| run chat-demo (chat, cogvlm2) |');
    expect(md).not.toContain('chat-textvqa-good');
    expect(c.err.join('\n')).toMatch(/69 thumbnail\(s\)/);
  });

  it('keeps going past a damaged run and a damaged line, and says where they are', async () => {
    const runs = join(root, 'damaged-runs');
    mkdirSync(runs);
    cpSync(fx.dirs.good, join(runs, 'good'), { recursive: true });
    cpSync(fx.dirs.poor, join(runs, 'broken'), { recursive: true });
    writeFileSync(join(runs, 'broken', 'run.json'), '[]');
    const samples = join(runs, 'good', 'samples.jsonl');
    writeFileSync(samples, readFileSync(samples, 'utf8').replace(/\n/, '\n{"bench":"nope"}\n'));
    const c = capture();
    expect(await main(['report', '--runs-dir', runs, '--out', join(root, 'damaged'), '--thumbnail-budget', '0'], c.io)).toBe(0);
    const err = c.err.join('\n');
    expect(err).toContain(`skipped ${join(runs, 'broken')}: ${join(runs, 'broken', 'run.json')}: the file: expected an object; is this a cogeval run directory?`);
    expect(err).toContain(`${samples}:2: field "bench"`);
    expect(readFileSync(join(root, 'damaged', 'leaderboard.html'), 'utf8')).toContain('Skipped <code>');
  });

  it('exits 2 with a clear message for no runs, a missing folder or a bad option', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    let c = capture();
    expect(await main(['report', '--runs-dir', empty, '--out', join(root, 'x')], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain(`no runs in ${empty}`);
    c = capture();
    expect(await main(['report', '--runs-dir', join(root, 'nope')], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('no such folder');
    c = capture();
    expect(await main(['report', empty], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('not a run directory');
    c = capture();
    expect(await main(['report', fx.dirs.good, '--thumbnail-budget', '-1'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('--thumbnail-budget takes a size in MB');
  });
});
