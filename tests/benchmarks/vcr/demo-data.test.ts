// The committed VCR demo files (data/demo/vcr_easy, vcr_hard) read back through the VCR adapter
// into scorable samples (tests/data-cli/demo.test.ts checks they are what tools/demo/make-demo-data.ts writes).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeVcrAdapter } from '../../../harness/benchmarks/vcr/adapter.js';
import { makeVcrScorer } from '../../../harness/benchmarks/vcr/scorer.js';
import { openParquetSource } from '../../../harness/datasets/sources/hf-parquet.js';

const DEMO = join(fileURLToPath(new URL('../../../data/demo', import.meta.url)));

describe('VCR demo data', () => {
  it.each([
    ['vcr_easy', 'easy'],
    ['vcr_hard', 'hard'],
  ] as const)('%s reads back through the adapter; a perfect restoration scores 100 under every profile', async (bench, difficulty) => {
    const adapter = makeVcrAdapter(bench, difficulty);
    const file = join(DEMO, bench, 'data', 'test-00000-of-00001.parquet');
    const source = await openParquetSource({ files: [file], required: adapter.hf.required, optional: adapter.hf.optional, imageColumns: adapter.hf.imageColumns });
    const samples = [];
    for await (const r of source.rows(0)) {
      if ('failed' in r) throw new Error('row failed');
      samples.push(adapter.toSample(r, 'hf', { split: 'test', config: undefined, hasAnswers: true }, r.row));
    }
    expect(samples).toHaveLength(7);
    const scorer = makeVcrScorer(bench);
    // The caption itself restores every masked phrase exactly.
    const items = samples.map((s) => scorer.parseRecord({ ...s.references, id: s.id, prediction: String(s.extra['caption']) }));
    for (const profile of scorer.profiles) {
      const agg = scorer.aggregate(scorer.scoreItems(items, profile, { judgeMode: 'exact-matching' }), profile);
      expect(agg.value).toBe(1);
    }
    const png = await samples[0].images[0].bytes();
    expect(Buffer.from(png.subarray(1, 4)).toString('latin1')).toBe('PNG');
  });
});
