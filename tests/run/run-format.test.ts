// The run format (harness/run/run-format.ts, issue 13 item 2): a run file in a version this cogeval
// does not know is refused by every command with exit 2 naming the file and the versions; the
// header read never opens predictions.jsonl; a run written before the identity fields (and before
// throughput kept its sessions) is migrated in memory and reads, reports, gates and rescores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { RUN_FORMAT_VERSION, SCORES_FORMAT_VERSION, jsonlRows, readRun, type JsonlEnd } from '../../harness/run/run-format.js';
import { readJsonlRepairing } from '../../harness/run/store.js';
import { fingerprint, type RunConfig } from '../../harness/run/config.js';
import { VERSION } from '../../harness/version.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { capture } from '../support/cli-capture.js';

const RUN_ID = 'chat-docvqa+chartqa-cogvlm2-limit3';
let server: FakeOpenAIServer;
let root: string;
let runsDir: string;
let original: string;

type Json = Record<string, unknown>;
const readJsonFile = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const writeJsonFile = (path: string, value: unknown): void => writeFileSync(path, JSON.stringify(value, null, 2) + '\n');

/** A copy of the real run under a new name, changed by `edit`. */
function copyRun(name: string, edit: (dir: string) => void): string {
  const dir = join(root, 'copies', name);
  cpSync(original, dir, { recursive: true });
  edit(dir);
  return dir;
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

beforeAll(async () => {
  server = await startFakeOpenAIServer({ models: ['served-x'] });
  root = mkdtempSync(join(tmpdir(), 'cogeval-format-'));
  runsDir = join(root, 'runs');
  mkdirSync(join(root, 'copies'));
  const r = await cli(['eval', '--endpoint', server.url, '--data', 'demo', '--bench', 'docvqa,chartqa', '--limit', '3', '--runs-dir', runsDir]);
  expect(r.code, r.err).toBe(0);
  original = join(runsDir, RUN_ID);
}, 120_000);

afterAll(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a run file in an unknown version', () => {
  it('run.json formatVersion 99 is refused by every reader with exit 2, naming the file and what this cogeval reads', async () => {
    const dir = copyRun('newer-manifest', (d) => writeJsonFile(join(d, 'run.json'), { ...readJsonFile(join(d, 'run.json')), formatVersion: 99 }));
    const file = join(dir, 'run.json');
    const expected = `${file}: formatVersion 99 was written by a newer cogeval; this cogeval (${VERSION}) reads run.json formatVersion ${RUN_FORMAT_VERSION} — upgrade cogeval to read this run`;
    expect(() => readRun(dir)).toThrow(expected);
    for (const argv of [
      ['rescore', dir],
      ['report', dir, '--out', join(root, 'site-newer')],
      ['gate', '--run', dir, '--baseline', original],
      ['gate', '--run', original, '--baseline', dir],
      ['baseline', 'save', dir, '--out', join(root, 'b.json')],
      ['export-predictions', dir, '--bench', 'docvqa'],
      ['merge', dir, original, '--out', join(root, 'merged-newer')],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toContain(expected);
    }
    // Resuming it is refused too, before anything is written.
    const before = readFileSync(join(dir, 'predictions.jsonl'));
    const resume = await cli(['eval', '--endpoint', server.url, '--data', 'demo', '--bench', 'docvqa,chartqa', '--limit', '3', '--runs-dir', join(root, 'copies'), '--run-id', 'newer-manifest']);
    expect(resume.code).toBe(2);
    expect(resume.err).toContain(expected);
    expect(readFileSync(join(dir, 'predictions.jsonl')).equals(before)).toBe(true);
    // runs ls lists it with why it cannot be read.
    const ls = await cli(['runs', 'ls', '--runs-dir', join(root, 'copies'), '--json']);
    expect(ls.code).toBe(0);
    const listed = (JSON.parse(ls.out) as { id: string; note: string }[]).find((r) => r.id === 'newer-manifest');
    expect(listed?.note).toContain(expected);
  });

  it('scores.json formatVersion 99 is refused by the gate, baseline and report, naming scores.json', async () => {
    const dir = copyRun('newer-scores', (d) => writeJsonFile(join(d, 'scores.json'), { ...readJsonFile(join(d, 'scores.json')), formatVersion: 99 }));
    const expected = `${join(dir, 'scores.json')}: formatVersion 99 was written by a newer cogeval; this cogeval (${VERSION}) reads scores.json formatVersion ${SCORES_FORMAT_VERSION}`;
    for (const argv of [['gate', '--run', dir, '--baseline', original], ['baseline', 'save', dir, '--out', join(root, 'b2.json')], ['report', dir, '--out', join(root, 'site-scores')]]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toContain(expected);
    }
    // Rescoring rewrites scores.json in this cogeval's version: the run reads again.
    expect((await cli(['rescore', dir])).code).toBe(0);
    expect(readJsonFile(join(dir, 'scores.json'))['formatVersion']).toBe(SCORES_FORMAT_VERSION);
  });

  it('a formatVersion that is not a version, or none, is refused', () => {
    const text = copyRun('text-version', (d) => writeJsonFile(join(d, 'run.json'), { ...readJsonFile(join(d, 'run.json')), formatVersion: 'one' }));
    expect(() => readRun(text)).toThrow(`${join(text, 'run.json')}: formatVersion "one" is not a version; this cogeval (${VERSION}) reads run.json formatVersion 1`);
    const none = copyRun('no-version', (d) => {
      const m = readJsonFile(join(d, 'run.json'));
      delete m['formatVersion'];
      writeJsonFile(join(d, 'run.json'), m);
    });
    expect(() => readRun(none)).toThrow(`${join(none, 'run.json')}: no "formatVersion"`);
  });
});

describe('the header read', () => {
  it('never opens predictions.jsonl; the per-sample read streams it', async () => {
    // predictions.jsonl replaced by a folder: any attempt to open it for reading fails (EISDIR).
    const dir = copyRun('no-predictions', (d) => {
      rmSync(join(d, 'predictions.jsonl'));
      mkdirSync(join(d, 'predictions.jsonl'));
    });
    const header = readRun(dir);
    expect(header.manifest.id).toBe(RUN_ID);
    expect(Object.keys(header.scores?.benches ?? {})).toEqual(['docvqa', 'chartqa']);
    expect(header.throughput?.sessions).toHaveLength(1);
    expect('predictions' in header).toBe(false);
    // Report and gate read headers (and samples.jsonl) only: they work without predictions.
    expect((await cli(['report', dir, '--out', join(root, 'site-header')])).code).toBe(0);
    expect((await cli(['gate', '--run', dir, '--baseline', original])).code).toBe(0);
    // The per-sample read opens the file only when iterated.
    const withSamples = readRun(dir, { samples: true });
    expect(() => [...withSamples.predictions]).toThrow(/EISDIR/);
    const full = readRun(original, { samples: true });
    const lines = [...full.predictions];
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.bench).sort()).toEqual(['chartqa', 'chartqa', 'chartqa', 'docvqa', 'docvqa', 'docvqa']);
    expect([...full.predictions]).toHaveLength(6); // streamed again on every pass
  });

  it('a damaged predictions line in the middle is exit 2 naming file, line and field', async () => {
    const dir = copyRun('bad-line', (d) => {
      const lines = readFileSync(join(d, 'predictions.jsonl'), 'utf8').split('\n');
      lines[1] = JSON.stringify({ ...(JSON.parse(lines[1]) as Json), references: 'none' });
      writeFileSync(join(d, 'predictions.jsonl'), lines.join('\n'));
    });
    const r = await cli(['rescore', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'predictions.jsonl')}:2: field "references": expected an object`);
  });
});

describe('samples.jsonl', () => {
  it('is checked line by line: the gate refuses a damaged line (exit 2, file:line: field), the report lists it and goes on', async () => {
    const dir = copyRun('bad-sample', (d) => {
      const lines = readFileSync(join(d, 'samples.jsonl'), 'utf8').split('\n');
      lines[2] = JSON.stringify({ ...(JSON.parse(lines[2]) as Json), value: 7 });
      writeFileSync(join(d, 'samples.jsonl'), lines.join('\n'));
    });
    const where = `${join(dir, 'samples.jsonl')}:3: field "value": expected a number in [0, 1] or null`;
    const gate = await cli(['gate', '--run', dir, '--baseline', original]);
    expect(gate.code).toBe(2);
    expect(gate.err).toContain(where);
    const report = await cli(['report', dir, '--out', join(root, 'site-bad-sample')]);
    expect(report.code).toBe(0);
    expect(report.err).toContain(where);
  });
});

describe('a run written before the identity fields', () => {
  it('is migrated in memory: it reads, lists, reports, gates and rescores to the same scores', async () => {
    const dir = copyRun('old', (d) => {
      // What an earlier cogeval wrote: no identity, no per-session endpoints, no judgeModel or
      // noPredictions in scores.json, and throughput.json as one session without `sessions`.
      const m = readJsonFile(join(d, 'run.json'));
      delete m['identity'];
      delete (m['config'] as Json)['identity'];
      m['fingerprint'] = fingerprint(m['config'] as unknown as RunConfig);
      for (const s of m['sessions'] as Json[]) delete s['endpoints'];
      writeJsonFile(join(d, 'run.json'), m);
      const s = readJsonFile(join(d, 'scores.json'));
      for (const b of Object.values(s['benches'] as Record<string, Json>)) delete b['judgeModel'];
      writeJsonFile(join(d, 'scores.json'), s);
      const t = readJsonFile(join(d, 'throughput.json'));
      delete t['sessions'];
      writeJsonFile(join(d, 'throughput.json'), t);
    });
    const oldRunJson = readFileSync(join(dir, 'run.json'));
    const run = readRun(dir);
    expect(run.manifest.identity).toBeUndefined();
    expect(run.manifest.config.identity).toBeUndefined();
    expect(run.scores?.benches.docvqa?.judgeModel).toBeNull();
    expect(run.throughput?.sessions).toHaveLength(1);
    expect(run.throughput?.sessions[0]).toMatchObject({ requests: run.throughput?.requests, completed: run.throughput?.completed });
    expect(run.problems).toEqual([]);

    const ls = await cli(['runs', 'ls', '--runs-dir', join(root, 'copies'), '--json']);
    const listed = (JSON.parse(ls.out) as { dir: string; model: string; predicted: number }[]).find((r) => r.dir === dir);
    expect(listed).toMatchObject({ model: 'chat (served-x)', predicted: 6 });
    expect((await cli(['report', dir, '--out', join(root, 'site-old')])).code).toBe(0);
    const gate = await cli(['gate', '--run', dir, '--baseline', original]);
    expect(gate.code, gate.err).toBe(0);
    // Readers never rewrite the file.
    expect(readFileSync(join(dir, 'run.json')).equals(oldRunJson)).toBe(true);

    const rescored = await cli(['rescore', dir]);
    expect(rescored.code, rescored.err).toBe(0);
    const a = readJsonFile(join(original, 'scores.json'));
    const b = readJsonFile(join(dir, 'scores.json'));
    expect(b['benches']).toEqual(a['benches']);
    // Resuming it is refused like any configuration change (README: "A run written by an earlier cogeval").
    const resume = await cli(['eval', '--endpoint', server.url, '--data', 'demo', '--bench', 'docvqa,chartqa', '--limit', '3', '--runs-dir', join(root, 'copies'), '--run-id', 'old']);
    expect(resume.code).toBe(2);
    expect(resume.err).toMatch(/identity: absent → /);
  });
});

describe('the streamed JSON Lines reader', () => {
  /** Every row, and what the scan found after the last one. */
  function scan(text: string | Buffer): { rows: unknown[]; end: JsonlEnd } {
    const file = join(root, `scan-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(file, text);
    const rows: unknown[] = [];
    const it = jsonlRows(file);
    let r = it.next();
    for (; !r.done; r = it.next()) rows.push(r.value.row);
    return { rows, end: r.value };
  }

  it('keeps lines that span its 1 MiB reads whole, multi-byte characters included', () => {
    const big = 'é'.repeat(700_000); // 1.4 MB of UTF-8: every read boundary falls inside a line
    const text = `${JSON.stringify({ a: big })}\n${JSON.stringify({ b: '日本' + big })}\n{"c":3}\n`;
    const { rows, end } = scan(text);
    expect(rows).toEqual([{ a: big }, { b: '日本' + big }, { c: 3 }]);
    expect(end).toEqual({ tornBytes: 0, intactBytes: Buffer.byteLength(text) });
  });

  it('skips a torn last line (no newline, or not JSON) and says where the intact part ends', () => {
    expect(scan('{"a":1}\n{"b":').end).toEqual({ tornBytes: 5, intactBytes: 8 });
    expect(scan('{"a":1}\n{"b":2\n').end).toEqual({ tornBytes: 7, intactBytes: 8 });
    expect(scan('{"a":1}\n\n{"b":2}\n').rows).toEqual([{ a: 1 }, { b: 2 }]);
    expect(scan('').end).toEqual({ tornBytes: 0, intactBytes: 0 });
  });

  it('refuses a damaged line in the middle, naming file and line', () => {
    expect(() => scan('{"a":1}\nnot json\n{"b":2}\n')).toThrow(/scan-.*\.jsonl:2: not valid JSON/);
    // A bad last complete line followed by a torn piece is damage too (as before the streamed reader).
    expect(() => scan('{"a":1}\nnot json\n{"b":')).toThrow(/:2: not valid JSON/);
  });

  it('repairs a torn line for resume and leaves an intact file alone', () => {
    const file = join(root, 'repair.jsonl');
    writeFileSync(file, '{"a":1}\n{"b":');
    expect(readJsonlRepairing(file, true)).toEqual({ rows: [{ a: 1 }], tornBytes: 5 });
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(readJsonlRepairing(file, true)).toEqual({ rows: [{ a: 1 }], tornBytes: 0 });
  });
});
