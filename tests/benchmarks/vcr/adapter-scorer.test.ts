// VCR adapter on real files (an HF-layout parquet written with tools/demo/hf-parquet-writer.ts,
// a VLMEvalKit TSV), and the scorer end to end with the spaCy port: prompts, records, aggregate.
import { join } from 'node:path';
import { writeFile, mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openParquetSource } from '../../../harness/datasets/sources/hf-parquet.js';
import { openTsvSource } from '../../../harness/datasets/sources/vlmevalkit-tsv.js';
import type { SourceRow, RowFailure } from '../../../harness/datasets/sources/row.js';
import { RecordError } from '../../../harness/metrics/scorer.js';
import { makeVcrAdapter, vcrHfRepo, vcrTsvName } from '../../../harness/benchmarks/vcr/adapter.js';
import { VCR_INSTRUCTION, vcrPrompts, vcrReferenceText } from '../../../harness/benchmarks/vcr/prompts.js';
import { bootstrapRatioInterval, makeVcrScorer } from '../../../harness/benchmarks/vcr/scorer.js';
import { benchScore } from '../../../harness/metrics/aggregate.js';
import { hfParquet } from '../../../tools/demo/hf-parquet-writer.js';
import { pngImage, tempDir, writeTsv } from '../../datasets/fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('cogeval-vcr-'));
});
afterAll(async () => cleanup());

async function rows(source: { rows(offset: number): AsyncIterable<SourceRow | RowFailure> }): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of source.rows(0)) {
    if ('failed' in r) throw new Error(`row failed: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

const easy = makeVcrAdapter('vcr_easy', 'easy');
const ctx = { split: 'test', config: undefined, hasAnswers: true };

describe('VCR adapter', () => {
  it('names the HF repositories and VLMEvalKit TSVs of each split', () => {
    expect(vcrHfRepo('easy', 'test')).toBe('vcr-org/VCR-wiki-en-easy-test');
    expect(vcrHfRepo('hard', 'test-500')).toBe('vcr-org/VCR-wiki-en-hard-test-500');
    expect(vcrTsvName('easy', 'test')).toBe('VCR_EN_EASY_ALL');
    expect(vcrTsvName('hard', 'test-100')).toBe('VCR_EN_HARD_100');
    expect(makeVcrAdapter('vcr_hard', 'hard').tsv.names('test-500', undefined)).toEqual(['VCR_EN_HARD_500']);
  });

  it('maps HF parquet rows: stacked_image sent, crossed_text as references, question_id as id', async () => {
    const stacked = [await pngImage(1, 60, 40), await pngImage(2, 60, 40)];
    const onlyIt = await pngImage(3, 60, 10);
    const bytes = hfParquet(
      [
        { name: 'question_id', type: 'int64' },
        { name: 'image', type: 'image' },
        { name: 'caption', type: 'string' },
        { name: 'stacked_image', type: 'image' },
        { name: 'only_it_image', type: 'image' },
        { name: 'only_it_image_small', type: 'image' },
        { name: 'crossed_text', type: 'string_list' },
      ],
      [
        {
          question_id: 7n,
          image: { bytes: onlyIt, path: null },
          caption: 'Portrait of Ada Lovelace, who wrote the first published algorithm.',
          stacked_image: { bytes: stacked[0], path: null },
          only_it_image: { bytes: onlyIt, path: null },
          only_it_image_small: { bytes: onlyIt, path: null },
          crossed_text: ['who wrote the first published'],
        },
        {
          question_id: 8n,
          image: null,
          caption: 'The harbour of Kiel in 1890, seen from the north shore.',
          stacked_image: { bytes: stacked[1], path: null },
          only_it_image: null,
          only_it_image_small: null,
          crossed_text: ['of Kiel in 1890,', 'the north shore.'],
        },
      ],
    );
    const file = join(root, 'hf', 'data', 'test-00000-of-00001.parquet');
    await mkdir(join(root, 'hf', 'data'), { recursive: true });
    await writeFile(file, bytes);
    const source = await openParquetSource({ files: [file], required: easy.hf.required, optional: easy.hf.optional, imageColumns: easy.hf.imageColumns });
    const got = (await rows(source)).map((r, i) => easy.toSample(r, 'hf', ctx, i));
    expect(got.map((s) => s.id)).toEqual(['7', '8']);
    expect(got[1].references).toEqual({ crossed_text: ['of Kiel in 1890,', 'the north shore.'] });
    expect(got[0].extra).toEqual({ caption: 'Portrait of Ada Lovelace, who wrote the first published algorithm.' });
    expect(got[0].prompt).toEqual({ bench: 'vcr_easy', question: VCR_INSTRUCTION });
    expect(Buffer.from(await got[0].images[0].bytes()).equals(stacked[0])).toBe(true);
    expect(Buffer.from(await got[1].images[0].bytes()).equals(stacked[1])).toBe(true);
    // The references are a predictions record minus the prediction: the scorer accepts them.
    const scorer = makeVcrScorer('vcr_easy');
    for (const s of got) expect(() => scorer.parseRecord({ ...s.references, id: s.id, prediction: 'x' })).not.toThrow();
  });

  it('rejects a row without masked text, naming the column', async () => {
    const bytes = hfParquet(
      [
        { name: 'caption', type: 'string' },
        { name: 'stacked_image', type: 'image' },
        { name: 'crossed_text', type: 'string_list' },
      ],
      [{ caption: 'x', stacked_image: { bytes: await pngImage(4), path: null }, crossed_text: [] }],
    );
    const file = join(root, 'empty.parquet');
    await writeFile(file, bytes);
    const source = await openParquetSource({ files: [file], required: easy.hf.required, optional: easy.hf.optional, imageColumns: easy.hf.imageColumns });
    const [row] = await rows(source);
    expect(() => easy.toSample(row, 'hf', ctx, 0)).toThrow(/crossed_text/);
    // No question_id column (the full train/validation/test repository): the row index is the id.
    expect(easy.idOf(row, 'hf', 4)).toBe('4');
  });

  it('maps VLMEvalKit TSV rows: answer list literal, image column, question cell', async () => {
    const file = join(root, 'tsv', 'VCR_EN_EASY_100.tsv');
    const img = await pngImage(5, 50, 30);
    await writeTsv(file, ['index', 'image', 'question', 'answer'], [
      { index: '0', image: img, question: VCR_INSTRUCTION, answer: ['who wrote the first', "Lovelace's algorithm"] },
    ]);
    const source = await openTsvSource({ file, required: easy.tsv.required });
    const [row] = await rows(source);
    const s = easy.toSample(row, 'vlmevalkit', ctx, 0);
    expect(s.id).toBe('0');
    expect(s.references.crossed_text).toEqual(['who wrote the first', "Lovelace's algorithm"]);
    expect(Buffer.from(await s.images[0].bytes()).equals(img)).toBe(true);
    expect(vcrPrompts('vcr_easy').userPrompt('vlmevalkit', s.prompt)).toBe(VCR_INSTRUCTION);
  });
});

describe('VCR scorer', () => {
  const scorer = makeVcrScorer('vcr_hard');

  it('parseRecord names a bad crossed_text', () => {
    expect(() => scorer.parseRecord({ id: 1, prediction: 'x', crossed_text: 'who wrote' })).toThrow(RecordError);
    expect(() => scorer.parseRecord({ id: 1, prediction: 'x', crossed_text: [] })).toThrow(/crossed_text/);
    expect(scorer.parseRecord({ id: 1, prediction: 'x', crossed_text: ['a b'] })).toEqual({ id: '1', prediction: 'x', crossedText: ['a b'] });
  });

  it('aggregates over blanks, not over samples (two blanks weigh twice one)', () => {
    const items = [
      { id: 'a', prediction: 'The harbour of Kiel in 1890, seen from the north shore.', crossedText: ['of Kiel in 1890,', 'the north shore.'] },
      { id: 'b', prediction: 'no idea at all', crossedText: ['who wrote the first published'] },
    ];
    const results = scorer.scoreItems(items, 'lmms-eval', { judgeMode: 'exact-matching' });
    expect(results.map((r) => r.value)).toEqual([1, 0]);
    const agg = scorer.aggregate(results, 'lmms-eval');
    // Blank-level mean 2/3, where a per-sample mean would give 1/2.
    expect(agg.value).toBeCloseTo(2 / 3, 12);
    expect(agg.byCategory['metric']['jaccard'].value).toBeCloseTo(2 / 3, 12);
  });

  it('profiles differ on refusals: "sorry" counts for lmms-eval, not for the authors\' CogVLM2 rule', () => {
    const items = [{ id: 'a', prediction: 'Sorry, I think it reads: who wrote the first published', crossedText: ['who wrote the first published'] }];
    expect(scorer.scoreItems(items, 'lmms-eval', { judgeMode: 'exact-matching' })[0].value).toBe(0);
    expect(scorer.scoreItems(items, 'vlmevalkit', { judgeMode: 'exact-matching' })[0].value).toBe(0);
    expect(scorer.scoreItems(items, 'official', { judgeMode: 'exact-matching' })[0].value).toBe(1);
    expect(() => scorer.scoreItems(items, 'pix2struct', { judgeMode: 'exact-matching' })).toThrow(/no profile/);
  });

  it('the interval resamples samples and recomputes the blank-weighted ratio, not a mean of sample means', () => {
    // 30 one-blank samples restored exactly and 30 four-blank samples all wrong: exact match over
    // blanks is 30 / 150 = 20 %, while the mean of the sample means would be 50 %.
    const right = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, prediction: 'who wrote the first published', crossedText: ['who wrote the first published'] }));
    const wrong = Array.from({ length: 30 }, (_, i) => ({ id: `w${i}`, prediction: 'nothing here at all today', crossedText: ['alpha beta', 'gamma delta', 'epsilon zeta', 'eta theta'] }));
    const results = scorer.scoreItems([...right, ...wrong], 'official', { judgeMode: 'exact-matching' });
    const score = benchScore(scorer, results, 'official', 'exact-matching');
    expect(score.value).toBeCloseTo(20, 10);
    expect(score.ci.method).toBe('bootstrap');
    expect(score.ci.lo).toBeLessThan(20);
    expect(score.ci.hi).toBeGreaterThan(20);
    // Far below 50 %: a bootstrap of the sample means would sit around 50 %.
    expect(score.ci.hi).toBeLessThan(35);
    expect(score.byCategory['metric']['exact_match'].ci).toEqual(score.ci);
    expect(score.byCategory['metric']['jaccard'].ci.hi).toBeGreaterThan(score.byCategory['metric']['jaccard'].ci.lo);
    // Seeded: the same inputs give the same interval; a constant ratio has a zero-width interval.
    expect(bootstrapRatioInterval([1, 2, 3], [2, 4, 6])).toEqual({ lo: 0.5, hi: 0.5, method: 'bootstrap' });
    expect(bootstrapRatioInterval([1, 0, 4], [1, 1, 4])).toEqual(bootstrapRatioInterval([1, 0, 4], [1, 1, 4]));
  });

  it('reference text lists the masked phrases in order', () => {
    expect(vcrReferenceText({ crossed_text: ['of Kiel in 1890,', 'the north shore.'] })).toBe('[1] of Kiel in 1890,  [2] the north shore.');
  });
});

describe('VCR benchmark modules', () => {
  it('declare both columns of the table with their prompts, generation and refusals', async () => {
    const { vcrEasy, vcrHard } = await import('../../../harness/benchmarks/vcr/index.js');
    const { buildRequest } = await import('../../../harness/protocols/protocol.js');
    expect([vcrEasy.title, vcrHard.title]).toEqual(['VCR_EASY', 'VCR_HARD']);
    expect([vcrEasy.reportedKey, vcrHard.reportedKey]).toEqual(['vcr_easy', 'vcr_hard']);
    expect(vcrEasy.dataset.hf.repo).toBe('vcr-org/VCR-wiki-en-easy-test');
    expect(vcrHard.dataset.tsv.names('test', undefined)).toEqual(['VCR_EN_HARD_ALL']);
    for (const p of ['cogvlm2', 'lmms-eval', 'vlmevalkit'] as const) expect(vcrEasy.prompts.userPrompt(p, vcrEasy.prompts.dummy)).toBe(VCR_INSTRUCTION);
    const lmms = buildRequest('lmms-eval', vcrHard.prompts.dummy, { variant: 'cogvlm2-llama3-chat-19B' });
    expect(lmms.generation).toEqual({ maxNewTokens: 120, temperature: 0, doSample: false });
    expect(buildRequest('vlmevalkit', vcrHard.prompts.dummy, { variant: 'cogvlm2-llama3-chat-19B' }).generation.doSample).toBe(true);
    // The dated protocols predate VCR in their harnesses: a clear refusal, never a made-up prompt.
    expect(() => buildRequest('lmms-eval@2024-05', vcrEasy.prompts.dummy, { variant: 'cogvlm2-llama3-chat-19B' })).toThrow(/VCR_EASY \(vcr_easy\) cannot run under protocol lmms-eval@2024-05: VCR reached lmms-eval in 2024-06/);
    expect(() => buildRequest('vlmevalkit@2024-05', vcrHard.prompts.dummy, { variant: 'cogvlm2-llama3-chat-19B' })).toThrow(/vcr_hard\) cannot run under protocol vlmevalkit@2024-05/);
    expect(vcrHard.scorer.defaultProfile).toBe('official');
  });
});
