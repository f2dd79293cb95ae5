// `cogeval import` / `export-predictions` and the wrong-file refusals: files in each source's
// real schema (VLMEvalKit xlsx/csv sheets, MMBench upload sheets, lmms-eval samples logs and
// results, the MMMU authors' output.json and eval-only layout, MM-Vet's evaluator files) written
// here, imported through the CLI, and the resulting run directories scored, exported and gated.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { main } from '../../harness/cli/main.js';
import { MMBENCH_SHEET_HEADER, MMBENCH_SHEET_ROWS, type SheetCell } from '../support/mmbench-sheet.js';
import { openBenchDataset } from '../../harness/datasets/catalog.js';
import { isSampleFailure } from '../../harness/datasets/types.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'cogeval-import-'));
type Cell = SheetCell;
async function writeSheet(file: string, header: string[], rows: Cell[][]): Promise<void> {
  await writeXlsxFile([header, ...rows]).toFile(file);
}
const readRun = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const readScores = (dir: string) => JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8'));

describe('import: VLMEvalKit sheets', () => {
  it('imports an MMBench prediction sheet (numeric ids, NaN cells, circular copies) into a run that score, rescore, export, baseline and gate accept', async () => {
    const dir = tmp();
    const sheet = join(dir, 'llava_MMBench_DEV_EN.xlsx');
    await writeSheet(sheet, MMBENCH_SHEET_HEADER, MMBENCH_SHEET_ROWS);
    const out = join(dir, 'runs', 'llava-mmbench');
    const r = await run(['import', sheet, '--bench', 'mmbench', '--model-name', 'llava-1.5', '--out', out]);
    expect(r.err).toMatch(/imported 6 row\(s\) from VLMEvalKit sheet llava_MMBench_DEV_EN\.xlsx/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/mmbench\s+vlmevalkit\s+50\.0/);
    const manifest = readRun(out);
    expect(manifest.imported.source).toBe('vlmevalkit');
    expect(manifest.imported.files[0]).toMatchObject({ name: 'llava_MMBench_DEV_EN.xlsx', sha256: createHash('sha256').update(readFileSync(sheet)).digest('hex') });
    expect(readScores(out).benches.mmbench.primary).toMatchObject({ display: '50.0', n: 2 });

    const rescored = await run(['rescore', out, '--profile', 'mmbench=lmms-eval']);
    expect(rescored.code).toBe(0);
    expect(rescored.out).toMatch(/mmbench\s+lmms-eval/);

    const exported = join(dir, 'mmb.jsonl');
    expect((await run(['export-predictions', out, '--bench', 'mmbench', '--out', exported])).code).toBe(0);
    const lines = readFileSync(exported, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[4]).toMatchObject({ index: 2, A: 'yes', B: 'no', answer: 'A', prediction: 'A', hint: 'Look closely' });
    const scored = await run(['score', '--bench', 'mmbench', '--predictions', exported, '--profile', 'all']);
    expect(scored.code).toBe(0);
    expect(scored.out).toMatch(/vlmevalkit \*\s+50\.0/);

    const baseline = join(dir, 'baseline.json');
    expect((await run(['baseline', 'save', out, '--out', baseline])).code).toBe(0);
    expect((await run(['gate', '--run', out, '--baseline', baseline])).code).toBe(0);
  });

  it('reads the VLMEvalKit CSV layout and its printed _acc.csv beside cogeval\'s score', async () => {
    const dir = tmp();
    const csv = [MMBENCH_SHEET_HEADER.join(','), ...MMBENCH_SHEET_ROWS.map((r) => r.map((c) => (c === null ? '' : JSON.stringify(String(c)))).join(','))].join('\n') + '\n';
    writeFileSync(join(dir, 'm_MMBench_DEV_EN.csv'), csv);
    writeFileSync(join(dir, 'm_MMBench_DEV_EN_acc.csv'), 'split,Overall,attribute,logic\ndev,0.5,1.0,0.0\n');
    const out = join(dir, 'run');
    const r = await run(['import', dir, '--bench', 'mmbench', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/mmbench: the source printed 50\.0 \(m_MMBench_DEV_EN_acc\.csv Overall \(dev\)\); cogeval under vlmevalkit: 50\.0 \(Δ \+0\.0\)/);
    expect(readRun(out).imported.printed[0]).toMatchObject({ profile: 'vlmevalkit', value: 50 });

    // The report names the source of the imported row and puts the printed score beside cogeval's.
    const reports = join(dir, 'reports');
    const rep = await run(['report', out, '--out', reports, '--thumbnail-budget', '0']);
    expect(rep.code).toBe(0);
    expect(rep.out).toMatch(/imported from VLMEvalKit sheet m_MMBench_DEV_EN\.csv/);
    const html = readFileSync(join(reports, 'leaderboard.html'), 'utf8');
    expect(html).toContain('imported from VLMEvalKit sheet m_MMBench_DEV_EN.csv');
    expect(html).toMatch(/<td class="prim"[^>]*>50\.0(<span class="ci">[^<]*<\/span>)?<span class="ci printed" title="m_MMBench_DEV_EN_acc\.csv Overall \(dev\)">source printed 50\.0<\/span>/);
    const md = readFileSync(join(reports, 'leaderboard.md'), 'utf8');
    expect(md).toContain('| run | MMBench | vlmevalkit | 50.0 | 50.0 | m\\_MMBench\\_DEV\\_EN\\_acc.csv Overall \\(dev\\) |');
  });

  it('reads a VLMEvalKit MM-Vet judge sheet (.tsv, NaN prediction, grades in "score") and its printed _score.csv', async () => {
    const dir = tmp();
    const tsv = [
      ['index', 'question', 'answer', 'category', 'prediction', 'log', 'score'],
      ['0', 'What animal?', 'cat', 'rec', 'a cat', 'Succeed', '1.0'],
      ['1', 'How many?', '12', 'ocr,math', '', 'Succeed', '0.0'],
      ['2', 'Colour?', 'red<OR>crimson', 'rec', '"red, I think"', 'Succeed', '0.5'],
    ]
      .map((r) => r.join('\t'))
      .join('\n');
    writeFileSync(join(dir, 'm_MMVet_gpt-4-turbo.tsv'), tsv + '\n');
    writeFileSync(join(dir, 'm_MMVet_gpt-4-turbo_score.csv'), 'Category,tot,acc\nrec,2,75.0\nocr,1,0.0\nOverall,3,50.0\n');
    const out = join(dir, 'run');
    const r = await run(['import', dir, '--bench', 'mmvet', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 prediction cell\(s\) are empty\/NaN/);
    expect(r.err).toMatch(/3 MM-Vet grade\(s\) from VLMEvalKit's judge sheet/);
    const lines = readFileSync(join(out, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.prediction])).toEqual([['0', 'a cat'], ['1', ''], ['2', 'red, I think']]);
    expect(r.out).toMatch(/mmvet: the source printed 50\.0 \(m_MMVet_gpt-4-turbo_score\.csv Overall acc\); cogeval under vlmevalkit: 50\.0/);
  });

  it('reads a VLMEvalKit output folder: prediction sheet rows, grades from the judge sheet beside it, other benchmarks left out', async () => {
    const dir = tmp();
    const header = ['index', 'question', 'answer', 'category', 'prediction'];
    const rows: Cell[][] = [
      [0, 'What animal?', 'cat', 'rec', 'a cat'],
      [1, 'How many?', '12', 'ocr,math', 'eleven'],
    ];
    await writeSheet(join(dir, 'm_MMVet.xlsx'), header, rows);
    await writeSheet(join(dir, 'm_MMVet_gpt-4-turbo.xlsx'), [...header, 'log', 'score'], rows.map((r, i) => [...r, 'Succeed', [1, 0.2][i]]));
    await writeSheet(join(dir, 'm_MMBench_DEV_EN.xlsx'), MMBENCH_SHEET_HEADER, MMBENCH_SHEET_ROWS);
    const out = join(dir, 'run');
    const r = await run(['import', dir, '--bench', 'mmvet', '--from', 'vlmevalkit', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/imported 2 row\(s\) from VLMEvalKit sheet m_MMVet\.xlsx into/);
    expect(r.err).toMatch(/not read \(named for another benchmark\): m_MMBench_DEV_EN\.xlsx/);
    expect(r.err).toMatch(/m_MMVet_gpt-4-turbo\.xlsx: VLMEvalKit judge sheet/);
    const s = readScores(out).benches.mmvet;
    expect(s.profiles.find((p: { profile: string }) => p.profile === 'vlmevalkit')).toMatchObject({ display: '60.0', n: 2 });
  });

  it('joins an upload sheet without answers with the dataset by id and reports every unmatched id', async () => {
    const ctx = { env: process.env, cwd: process.cwd() };
    const demo = await openBenchDataset('mmbench', { data: 'demo' }, ctx);
    const samples = [];
    for await (const s of demo.samples()) if (!isSampleFailure(s)) samples.push(s);
    expect(samples.length).toBeGreaterThan(1);
    const dir = tmp();
    const sheet = join(dir, 'upload.xlsx');
    // The LLaVA upload layout: index, question, options, prediction — no answer column.
    const rows: Cell[][] = samples.map((s) => [Number(s.id), s.question, String(s.references['A']), String(s.references['B']), String(s.references['answer'])]);
    rows.push([999, 'not in the dataset', 'x', 'y', 'A']);
    rows.push([998, 'not in the dataset either', 'x', 'y', 'A']);
    await writeSheet(sheet, ['index', 'question', 'A', 'B', 'prediction'], rows);
    const out = join(dir, 'run');
    const refused = await run(['import', sheet, '--bench', 'mmbench', '--from', 'llava', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/carry no ground truth .*--data/);
    const unmatched = await run(['import', sheet, '--bench', 'mmbench', '--from', 'llava', '--data', 'demo', '--out', out]);
    expect(unmatched.code).toBe(2);
    expect(unmatched.err).toMatch(/upload\.xlsx row \d+: id "999" is not in/);
    expect(unmatched.err).toMatch(/id "998" is not in/);
    const ok = await run(['import', sheet, '--bench', 'mmbench', '--from', 'llava', '--data', 'demo', '--skip-invalid', '--out', out]);
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/2 id\(s\) not in it: 999, 998/);
    expect(readRun(out).imported.joined.unmatched).toEqual(['999', '998']);
    expect(readRun(out).imported.label).toMatch(/^MMBench upload sheet upload\.xlsx/);
    // Every prediction is its own answer letter: every complete circular group is right.
    expect(readScores(out).benches.mmbench.primary.value).toBe(100);
  });

  it('names the file, row and field of a malformed row', async () => {
    const dir = tmp();
    const sheet = join(dir, 'bad_MMBench_DEV_EN.xlsx');
    await writeSheet(sheet, MMBENCH_SHEET_HEADER, [MMBENCH_SHEET_ROWS[0], [5, 'q', null, 'a', 'b', null, null, 'C', 'x', 'y', 'dev', 'A']]);
    const r = await run(['import', sheet, '--bench', 'mmbench', '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad_MMBench_DEV_EN\.xlsx row 3: column "answer": .*"C"/);
  });
});

describe('import: lmms-eval logs', () => {
  it('reads samples_*.jsonl (doc, resps, filtered_resps) and shows the score lmms-eval printed', async () => {
    const dir = tmp();
    const docs = [
      { id: 'validation_Art_1', question: 'Q1 <image 1>', options: "['cat', 'dog', 'bird', 'fish']", answer: 'B', question_type: 'multiple-choice' },
      { id: 'validation_Art_2', question: 'Q2', options: "['up', 'down']", answer: 'A', question_type: 'multiple-choice' },
      { id: 'validation_Math_3', question: 'Q3', options: '[]', answer: '12', question_type: 'open' },
      { id: 'validation_Math_4', question: 'Q4', options: '[]', answer: '7', question_type: 'open' },
    ];
    const resps = ['(B) dog', 'B', 'The answer is 12', 'eight'];
    const lines = docs.map((doc, i) => JSON.stringify({ doc_id: i, doc, target: doc.answer, arguments: [], resps: [[resps[i]]], filtered_resps: [resps[i].trim()], doc_hash: 'x', mmmu_acc: { id: doc.id } }));
    writeFileSync(join(dir, 'cogvlm2_samples_mmmu_val.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'results_2024-06-01.json'), JSON.stringify({ results: { mmmu_val: { alias: 'mmmu_val', 'mmmu_acc,none': 0.25, 'mmmu_acc_stderr,none': 'N/A' } } }));
    const out = join(dir, 'run');
    const r = await run(['import', dir, '--bench', 'mmmu', '--model-name', 'x', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/lmms-eval samples log cogvlm2_samples_mmmu_val\.jsonl/);
    // official: (B) dog → B right, "B" → B wrong (gold A), open 12 right, eight wrong = 50.0;
    // lmms-eval scores every open answer wrong: 25.0, as lmms-eval printed.
    expect(readScores(out).benches.mmmu.primary.display).toBe('50.0');
    expect(r.out).toMatch(/mmmu: the source printed 25\.0 \(results_2024-06-01\.json mmmu_val "mmmu_acc,none"\); cogeval under lmms-eval: 25\.0/);
  });

  it('names line and field of a sample without a model output', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'samples_mmmu.jsonl'), JSON.stringify({ doc_id: 0, doc: { id: 'validation_Art_1' }, target: 'A' }) + '\n');
    const r = await run(['import', join(dir, 'samples_mmmu.jsonl'), '--bench', 'mmmu', '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/samples_mmmu\.jsonl:1: field "resps"/);
  });
});

describe('import: the MMMU authors\' layouts', () => {
  const entry = (id: string, answer: string, response: string, n = 4) => ({
    id,
    question_type: 'multiple-choice',
    answer,
    all_choices: ['A', 'B', 'C', 'D'].slice(0, n),
    index2ans: Object.fromEntries(['A', 'B', 'C', 'D'].slice(0, n).map((l) => [l, `option ${l}`])),
    response,
  });

  it('reads per-subject output.json (short-answer open questions too) and gets the same score for shuffled files', async () => {
    const accounting = [entry('validation_Accounting_1', 'A', 'xx'), entry('validation_Accounting_2', 'C', '(C)'), entry('validation_Accounting_3', 'B', 'yy')];
    const art = [entry('validation_Art_1', 'D', 'zz'), { id: 'validation_Art_2', question_type: 'short-answer', answer: '42', response: 'It is 42.' }];
    const write = (root: string, acc: unknown[], a: unknown[]) => {
      mkdirSync(join(root, 'Accounting'), { recursive: true });
      mkdirSync(join(root, 'Art'), { recursive: true });
      writeFileSync(join(root, 'Accounting', 'output.json'), JSON.stringify(acc));
      writeFileSync(join(root, 'Art', 'output.json'), JSON.stringify(a));
    };
    const d1 = tmp();
    write(join(d1, 'model'), accounting, art);
    const d2 = tmp();
    write(join(d2, 'model'), [...accounting].reverse(), [...art].reverse());
    const s1 = await run(['import', join(d1, 'model'), '--bench', 'mmmu', '--from', 'mmmu', '--out', join(d1, 'run')]);
    const s2 = await run(['import', join(d2, 'model'), '--bench', 'mmmu', '--from', 'mmmu', '--out', join(d2, 'run')]);
    expect(s1.code).toBe(0);
    expect(s2.code).toBe(0);
    const samples = (d: string) => Object.fromEntries(readFileSync(join(d, 'run', 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((s) => [s.id, s.detail.letter ?? null]));
    expect(samples(d2)).toEqual(samples(d1));
    expect(readScores(join(d1, 'run')).benches.mmmu.primary.display).toBe(readScores(join(d2, 'run')).benches.mmmu.primary.display);
    expect(readScores(join(d1, 'run')).benches.mmmu.primary.counts.random_fallback).toBe(3);
    // The authors' result.json files: (1/3·3 + 1/2·2) / 5 items = 40.0, printed beside official.
    const d3 = tmp();
    write(join(d3, 'model'), accounting, art);
    writeFileSync(join(d3, 'model', 'Accounting', 'result.json'), JSON.stringify({ acc: 1 / 3, num_example: 3 }));
    writeFileSync(join(d3, 'model', 'Art', 'result.json'), JSON.stringify({ acc: 0.5, num_example: 2 }));
    const s3 = await run(['import', join(d3, 'model'), '--bench', 'mmmu', '--from', 'mmmu', '--out', join(d3, 'run')]);
    expect(s3.out).toMatch(/mmmu: the source printed 40\.0 \(result\.json files \(5 items\)\); cogeval under official: /);
  });

  it('compares eval-only letters directly (no options) and reads answer_dict_val.json', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'total_val_output.json'), JSON.stringify({ validation_Art_1: 'D', validation_Art_2: 'B', validation_Math_3: '0.5' }));
    writeFileSync(
      join(dir, 'answer_dict_val.json'),
      JSON.stringify({
        validation_Art_1: { question_type: 'multiple-choice', ground_truth: 'D' },
        validation_Art_2: { question_type: 'multiple-choice', ground_truth: 'A' },
        validation_Math_3: { question_type: 'open', ground_truth: ['0.5', '1/2'] },
      }),
    );
    const out = join(dir, 'run');
    const r = await run(['import', join(dir, 'total_val_output.json'), join(dir, 'answer_dict_val.json'), '--bench', 'mmmu', '--from', 'mmmu', '--out', out]);
    expect(r.code).toBe(0);
    const s = readScores(out).benches.mmmu;
    expect(s.primary).toMatchObject({ display: '66.7', n: 3 });
    // VLMEvalKit reads answers against option texts (absent here) and has no list golds: nothing applies.
    expect(s.profiles.find((p: { profile: string }) => p.profile === 'vlmevalkit').counts.not_applicable).toBe(3);
  });

  it('names file, entry and field when options are missing', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'Art'));
    const bad = { ...entry('validation_Art_1', 'A', 'A'), index2ans: undefined };
    writeFileSync(join(dir, 'Art', 'output.json'), JSON.stringify([entry('validation_Art_2', 'A', 'A'), bad]));
    const r = await run(['import', dir, '--bench', 'mmmu', '--from', 'mmmu', '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Art\/output\.json\[1\]: field "index2ans"/);
  });
});

describe('import: MM-Vet evaluator files', () => {
  it('reads outputs + a grade cache with several runs + mm-vet.json; official reports the mean of the unrounded runs and the spread', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ v1_0: 'a cat', v1_1: '12', v1_2: 'red' }));
    writeFileSync(
      join(dir, 'mm-vet.json'),
      JSON.stringify({
        v1_0: { imagename: 'v1_0.png', question: 'What animal?', answer: 'cat', capability: ['rec'] },
        v1_1: { imagename: 'v1_1.png', question: 'How many?', answer: '12', capability: ['ocr'] },
        v1_2: { imagename: 'v1_2.png', question: 'Colour?', answer: 'red<OR>crimson', capability: ['rec', 'ocr'] },
      }),
    );
    const grade = (scores: number[]) => ({ model: scores.map(() => 'gpt-4-0613'), content: scores.map(String), score: scores });
    writeFileSync(join(dir, 'm_gpt-4-0613-grade-2runs.json'), JSON.stringify({ v1_0: grade([1, 0.5]), v1_1: grade([0.2, 0.3]), v1_2: grade([0.1, 0.4]) }));
    writeFileSync(join(dir, 'm_gpt-4-0613-cap-score-2runs.csv'), ',rec,ocr,total,std,runs\nm,50.0,25.0,41.7,1.7,"[43.3, 40.0]"\n');
    const out = join(dir, 'run');
    const r = await run(['import', dir, '--bench', 'mmvet', '--from', 'mmvet', '--out', out]);
    expect(r.code).toBe(0);
    const primary = readScores(out).benches.mmvet.primary;
    expect(primary.display).toBe('41.7');
    expect(primary.runs.values).toHaveLength(2);
    expect(primary.runs.std).toBeCloseTo(5 / 3, 9);
    expect(primary.byCategory.capability.rec.value).toBeCloseTo(50, 9);
    expect(r.out).toMatch(/mmvet: the source printed 41\.7 \(m_gpt-4-0613-cap-score-2runs\.csv total\); cogeval under official: 41\.7 \(Δ \+0\.0\)/);
    expect(r.out).toContain('mmvet official: 2 grading runs 43.3, 40.0; score = mean of the unrounded runs; std 1.7');
  });
});

describe('refusals: a file of the wrong kind, in one line, exit 2', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.from('14000000080000000000data.bin', 'latin1')]);

  it('score names an image, a zip and a spreadsheet for what they are', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'preds.jsonl'), png);
    writeFileSync(join(dir, 'preds.zip'), zip);
    await writeSheet(join(dir, 'preds.xlsx'), ['index', 'prediction'], [[1, 'A']]);
    for (const [file, what] of [
      ['preds.jsonl', 'a PNG image'],
      ['preds.zip', 'a zip archive'],
      ['preds.xlsx', 'an Excel \\(\\.xlsx\\) spreadsheet'],
    ]) {
      const r = await run(['score', '--bench', 'mmbench', '--predictions', join(dir, file)]);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(new RegExp(`${file} is ${what}, not a JSON Lines predictions file`));
    }
  });

  it('score refuses a JSON array (an authors\' output.json) as not JSON Lines', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'output.json'), JSON.stringify([{ id: 'validation_Art_1', response: 'A' }], null, 2));
    const r = await run(['score', '--bench', 'mmmu', '--predictions', join(dir, 'output.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/output\.json holds one JSON array, not JSON Lines/);
  });

  it('import names an image given as a result file, and a sheet given to the JSON reader', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'shot.png'), png);
    const r = await run(['import', join(dir, 'shot.png'), '--bench', 'mmbench', '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/shot\.png is a PNG image, not a result file cogeval can import/);
    await writeSheet(join(dir, 'output.json'), ['a'], [[1]]);
    const s = await run(['import', join(dir, 'output.json'), '--bench', 'mmmu', '--from', 'mmmu', '--out', join(dir, 'run2')]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/output\.json is an Excel \(\.xlsx\) spreadsheet, not a JSON file/);
  });
});
