// `cogeval score`: real predictions files under one profile and all profiles, and bad input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildParser, main } from '../../harness/cli/main.js';
import { parseScoreArgsFast } from '../../harness/cli/score.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function writeJsonl(name: string, rows: unknown[], raw?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cogeval-score-'));
  const file = join(dir, name);
  writeFileSync(file, raw ?? rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

// ANLS per item: exact 1; "  " vs "a": 0 stripped (lmms-eval), 0.5 unstripped (vlmevalkit), 0 pix2struct;
// "ac" vs "ab": 0.5 for the anchors, 0 for pix2struct; a miss 0.
const docvqaRows = [
  { id: 1, prediction: 'Total', answers: ['total'], question_types: ['form'] },
  { id: 2, prediction: '  ', answers: ['a'], question_types: ['form'] },
  { id: 3, prediction: 'ac', answers: ['ab'], question_types: ['table/list'] },
  { id: 4, prediction: 'zzzz', answers: ['ab'], question_types: ['table/list'] },
];

describe('score', () => {
  it('scores VCR under every profile; literal U+FFFD in predictions is text, invalid bytes are binary', async () => {
    // Three literal replacement characters, as a random-weight model writes them: still JSON Lines.
    const rows = [
      { id: 0, prediction: 'x\uFFFD\uFFFD\uFFFD was completed in 1889 as', crossed_text: ['was completed in 1889 as', 'arch to the World Fair.'] },
      { id: 1, prediction: 'Sorry, of Kiel in 1890', crossed_text: ['of Kiel in 1890'] },
    ];
    const file = writeJsonl('vcr.jsonl', rows);
    const { code, out } = await run(['score', '--bench', 'vcr_easy', '--predictions', file, '--profile', 'all']);
    expect(code).toBe(0);
    // Blanks: 1 of 3 restored under lmms-eval and vlmevalkit ("Sorry" refuses sample 1); 2 of 3 under official.
    expect(out).toMatch(/official \*\s+66\.7\s+50\.0–100\.0/);
    expect(out).toMatch(/lmms-eval\s+33\.3/);
    const bin = writeJsonl('bin.jsonl', []);
    writeFileSync(bin, Buffer.concat([Buffer.from('{"id": 0, "prediction": "'), Buffer.from([0xff, 0xfe, 0xfd, 0xff]), Buffer.from('"}\n')]));
    const refused = await run(['score', '--bench', 'vcr_easy', '--predictions', bin]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is a binary file');
  });

  it('scores DocVQA under the default profile with a breakdown', async () => {
    const file = writeJsonl('docvqa.jsonl', docvqaRows);
    const { code, out } = await run(['score', '--bench', 'docvqa', '--predictions', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/lmms-eval \*\s+37\.5/);
    expect(out).toContain('by question_type');
    expect(out).toMatch(/form\s+50\.0/);
    expect(out).toMatch(/table\/list\s+25\.0/);
  });

  it('prints the scorer-sensitivity table and writes JSON with --profile all', async () => {
    const file = writeJsonl('docvqa.jsonl', docvqaRows);
    const json = join(mkdtempSync(join(tmpdir(), 'cogeval-json-')), 'scores.json');
    const { code, out } = await run(['score', '--bench', 'docvqa', '--predictions', file, '--profile', 'all', '--json', json]);
    expect(code).toBe(0);
    const data = JSON.parse(readFileSync(json, 'utf8')) as { scores: { profile: string; display: string; n: number }[] };
    const byProfile = Object.fromEntries(data.scores.map((s) => [s.profile, s.display]));
    expect(byProfile).toEqual({
      'lmms-eval': '37.5',
      'lmms-eval@2024-05': '37.5',
      vlmevalkit: '50.0',
      'vlmevalkit@2024-05': '50.0',
      pix2struct: '25.0',
    });
    expect(out).toMatch(/pix2struct\s+25\.0/);
  });

  it('puts OCRBench in points of 1000 and category points as hit counts', async () => {
    const rows = [
      { id: 1, prediction: 'The sign says CENTRE.', answer: ['CENTRE'], question_type: 'Regular Text Recognition', dataset: 'IIIT5K' },
      { id: 2, prediction: 'nothing', answer: ['CENTRE'], question_type: 'Regular Text Recognition', dataset: 'IIIT5K' },
      { id: 3, prediction: '$y_{2} = -1$', answer: ['y _ { 2 } = - 1\n'], question_type: 'Handwritten Mathematical Expression Recognition', dataset: 'HME100k' },
    ];
    const json = join(mkdtempSync(join(tmpdir(), 'cogeval-json-')), 'o.json');
    const { code } = await run(['score', '--bench', 'ocrbench', '--predictions', writeJsonl('o.jsonl', rows), '--json', json]);
    expect(code).toBe(0);
    const data = JSON.parse(readFileSync(json, 'utf8')) as {
      scores: { display: string; byCategory: Record<string, Record<string, { value: number; n: number }>> }[];
    };
    expect(data.scores[0].display).toBe('667');
    expect(data.scores[0].byCategory['category']['Regular Text Recognition']).toMatchObject({ value: 1, n: 2 });
  });

  it('scores MMBench per circular group', async () => {
    const base = { question: 'Which animal?', A: 'cat', B: 'dog', C: 'bird', D: 'fish', category: 'animals' };
    const rows = [
      // Group 7: both passes right → 1. Group 8: one pass wrong → 0.
      { ...base, index: 7, answer: 'A', prediction: 'A' },
      { ...base, index: 1000007, answer: 'B', A: 'dog', B: 'cat', prediction: 'B' },
      { ...base, index: 8, answer: 'C', prediction: 'C' },
      { ...base, index: 1000008, answer: 'D', prediction: 'A' },
    ];
    const json = join(mkdtempSync(join(tmpdir(), 'cogeval-json-')), 'm.json');
    const { code } = await run(['score', '--bench', 'mmbench', '--predictions', writeJsonl('m.jsonl', rows), '--json', json]);
    expect(code).toBe(0);
    const data = JSON.parse(readFileSync(json, 'utf8')) as { scores: { display: string; n: number; profile: string }[] };
    expect(data.scores[0]).toMatchObject({ display: '50.0', n: 2, profile: 'vlmevalkit' });
  });

  it('names file and line of every bad line and scores nothing without --skip-invalid', async () => {
    const raw = [
      JSON.stringify(docvqaRows[0]),
      '{"id": 2, "prediction": ',
      JSON.stringify({ id: 3, prediction: 'x' }),
      JSON.stringify(docvqaRows[3]),
    ].join('\n');
    const file = writeJsonl('bad.jsonl', [], raw);
    const strict = await run(['score', '--bench', 'docvqa', '--predictions', file]);
    expect(strict.code).toBe(2);
    expect(strict.err).toContain(`${file}:2: not valid JSON`);
    expect(strict.err).toContain(`${file}:3: field "answers"`);
    expect(strict.out).toBe('');
    const lenient = await run(['score', '--bench', 'docvqa', '--predictions', file, '--skip-invalid']);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('2 items');
    expect(lenient.out).toContain('skipped 2 invalid line(s)');
    expect(lenient.out).toMatch(/lmms-eval \*\s+50\.0/);
  });

  it('rejects duplicate ids, an empty file, an unknown profile and an unknown benchmark with exit 2', async () => {
    const dup = await run(['score', '--bench', 'docvqa', '--predictions', writeJsonl('d.jsonl', [docvqaRows[0], docvqaRows[0]])]);
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('duplicate id "1"');
    const empty = await run(['score', '--bench', 'docvqa', '--predictions', writeJsonl('e.jsonl', [], '')]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('holds no predictions');
    const profile = await run(['score', '--bench', 'chartqa', '--predictions', writeJsonl('c.jsonl', docvqaRows), '--profile', 'official']);
    expect(profile.code).toBe(2);
    expect(profile.err).toContain('unknown profile "official" for chartqa; valid profiles: lmms-eval, lmms-eval@2024-05, vlmevalkit, vlmevalkit@2024-05, pix2struct');
    const bench = await run(['score', '--bench', 'vqav2', '--predictions', 'x.jsonl']);
    expect(bench.code).toBe(2);
    expect(bench.err).toContain('unknown benchmark "vqav2"');
    const missing = await run(['score', '--bench', 'docvqa', '--predictions', '/nonexistent/p.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read predictions file /nonexistent/p.jsonl: ENOENT');
  });

  it('parses plain arguments without yargs and leaves everything else to yargs', () => {
    const base = ['score', '--bench', 'docvqa', '--predictions', 'p.jsonl'];
    expect(parseScoreArgsFast(base)).toEqual({
      bench: 'docvqa',
      predictions: 'p.jsonl',
      profile: undefined,
      'judge-mode': 'exact-matching',
      seed: undefined,
      'skip-invalid': false,
      breakdown: true,
      json: undefined,
    });
    expect(parseScoreArgsFast(['score', '--bench=mmmu', '--predictions=p.jsonl', '--profile', 'all', '--judge-mode', 'llm', '--seed', '7', '--skip-invalid', '--no-breakdown', '--json', 'o.json'])).toEqual({
      bench: 'mmmu',
      predictions: 'p.jsonl',
      profile: 'all',
      'judge-mode': 'llm',
      seed: 7,
      'skip-invalid': true,
      breakdown: false,
      json: 'o.json',
    });
    const left: string[][] = [
      ['score', '--help'],
      ['score', '-h'],
      ['score', '--bench', 'docvqa'],
      [...base, '--bench', 'textvqa'],
      [...base, '--benchh', 'x'],
      [...base, 'extra'],
      [...base, '--seed', 'abc'],
      [...base, '--seed', '1e3'],
      [...base, '--judge-mode', 'gpt'],
      [...base, '--skipInvalid'],
      [...base, '--json'],
      [...base, '--breakdown=false'],
      ['eval', '--bench', 'docvqa'],
    ];
    for (const argv of left) expect(parseScoreArgsFast(argv), argv.join(' ')).toBeUndefined();
  });

  it('prints, writes and exits the same through the fast path as through yargs', async () => {
    const file = writeJsonl('docvqa.jsonl', docvqaRows);
    const bad = writeJsonl('bad.jsonl', [], '{"id":1,"prediction":"a","answers":["a"]}\nnot json\n');
    const dir = mkdtempSync(join(tmpdir(), 'cogeval-score-fast-'));
    const cases: string[][] = [
      ['score', '--bench', 'docvqa', '--predictions', file],
      ['score', '--bench=docvqa', `--predictions=${file}`, '--profile', 'all', '--json', join(dir, 'JSON')],
      ['score', '--bench', 'docvqa', '--predictions', file, '--no-breakdown', '--seed', '3'],
      ['score', '--bench', 'docvqa', '--predictions', bad],
      ['score', '--bench', 'docvqa', '--predictions', bad, '--skip-invalid'],
    ];
    for (const argv of cases) {
      expect(parseScoreArgsFast(argv), argv.join(' ')).toBeDefined();
      const fast = await run(argv);
      const fastJson = argv.includes('all') ? readFileSync(join(dir, 'JSON'), 'utf8') : '';
      const out: string[] = [];
      const err: string[] = [];
      let code = -1;
      const parser = await buildParser(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, (c) => (code = c));
      await parser.parseAsync();
      expect({ code: fast.code, out: fast.out, err: fast.err }, argv.join(' ')).toEqual({ code, out: out.join('\n'), err: err.join('\n') });
      if (fastJson) expect(readFileSync(join(dir, 'JSON'), 'utf8')).toBe(fastJson);
    }
  });

  it('stops quietly when the reader closes the pipe (cogeval score … | head), with its own exit code', async () => {
    const file = writeJsonl('docvqa.jsonl', docvqaRows);
    const child = spawn(process.execPath, [join(ROOT, 'bin/cogeval.js'), 'score', '--bench', 'docvqa', '--predictions', file, '--profile', 'all'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('works through the installed bin with the documented exit codes', () => {
    const file = writeJsonl('docvqa.jsonl', docvqaRows);
    const ok = spawnSync(process.execPath, [join(ROOT, 'bin/cogeval.js'), 'score', '--bench', 'docvqa', '--predictions', file], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('37.5');
    const help = spawnSync(process.execPath, [join(ROOT, 'bin/cogeval.js'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('verify-scorers');
    expect(help.stdout).toContain('score');
    const usage = spawnSync(process.execPath, [join(ROOT, 'bin/cogeval.js'), 'score'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
