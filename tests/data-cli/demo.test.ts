// The bundled demo set: it is exactly what tools/demo generates, stays under 2 MB, `--data demo`
// resolves to it, every row becomes a Sample through the benchmark adapters, and the references
// hold what the items need (circular copies rotate consistently, MMMU has a two-image item, …).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { makeDemoData } from '../../tools/demo/make-demo-data.js';
import { demoRoot, locateBenchData, openBenchDataset } from '../../harness/datasets/catalog.js';
import { type BenchId } from '../../harness/metrics/types.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { isSampleFailure, type Sample } from '../../harness/datasets/types.js';
import { DataMissingError } from '../../harness/datasets/hub/errors.js';
import { main } from '../../harness/cli/main.js';
import { captureIo, plain, tempDir } from './fixtures.js';

const ctx = { env: {}, cwd: process.cwd() };

async function samplesOf(bench: BenchId): Promise<Sample[]> {
  const ds = await openBenchDataset(bench, { data: 'demo' }, ctx, { imagePolicy: 'all' });
  const out: Sample[] = [];
  for await (const s of ds.samples()) {
    if (isSampleFailure(s)) throw new Error(`${bench} demo row ${s.index}: ${s.reason}`);
    out.push(s);
  }
  return out;
}

describe('the committed demo set', () => {
  it('is byte for byte what tools/demo/make-demo-data generates, and under 2 MB', async () => {
    const out = await tempDir('demo');
    const manifest = await makeDemoData(out);
    const committed = JSON.parse(await readFile(join(demoRoot(), 'manifest.json'), 'utf8')) as typeof manifest;
    expect(committed).toEqual(manifest);
    expect(Object.keys(manifest.files)).toHaveLength(BENCH_IDS.length);
    for (const rel of Object.keys(manifest.files)) {
      const fresh = await readFile(join(out, rel));
      const mine = await readFile(join(demoRoot(), rel));
      expect(mine.equals(fresh), `${rel} differs from a fresh generation; run: npm run build && node dist/tools/demo/make-demo-data.js`).toBe(true);
    }
    let total = 0;
    for (const rel of [...Object.keys(manifest.files), 'manifest.json', 'README.md']) total += (await stat(join(demoRoot(), rel))).size;
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it('--data demo resolves to data/demo for every benchmark, with a content revision', async () => {
    for (const bench of BENCH_IDS) {
      const hit = await locateBenchData(bench, { data: 'demo' }, ctx);
      expect(hit.kind).toBe('parquet');
      expect(hit.source).toBe('demo');
      expect(hit.revision).toMatch(/^sha256:[0-9a-f]{16}$/);
      expect(hit.kind === 'parquet' && hit.files.every((f) => f.startsWith(join(demoRoot(), bench)))).toBe(true);
    }
  });

  it('a missing demo folder is a clear error saying how to regenerate it', async () => {
    const empty = await tempDir('nodemo');
    const err = await locateBenchData('chartqa', { data: 'demo' }, { ...ctx, demoDir: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    expect((err as Error).message).toContain('node dist/tools/demo/make-demo-data.js');
  });

  it('every row becomes a Sample through the adapters, with decodable PNG images', async () => {
    const counts: Record<string, number> = {};
    for (const bench of BENCH_IDS) {
      const samples = await samplesOf(bench);
      counts[bench] = samples.length;
      for (const s of samples) {
        expect(s.images.length).toBeGreaterThan(0);
        const meta = await sharp(await s.images[0].bytes()).metadata();
        expect(meta.format).toBe('png');
        expect(meta.width).toBeGreaterThanOrEqual(300);
      }
    }
    expect(counts).toEqual({ textvqa: 8, docvqa: 8, chartqa: 8, ocrbench: 10, mmmu: 8, mmvet: 8, mmbench: 11, vcr_easy: 7, vcr_hard: 7 });
  });

  it('covers what the scorers need: circular copies, a two-image MMMU item, open and list golds, HME, capabilities', async () => {
    const mmbench = await samplesOf('mmbench');
    const groups = new Map<number, Sample[]>();
    for (const s of mmbench) {
      const idx = Number(s.id) % 1_000_000;
      groups.set(idx, [...(groups.get(idx) ?? []), s]);
    }
    expect([...groups.values()].map((g) => g.length)).toEqual([4, 2, 3, 1, 1]);
    for (const g of groups.values()) {
      // Every copy's answer letter points at the same option text.
      const texts = g.map((s) => {
        const r = s.references as { answer: string } & Record<string, string>;
        const p = s.prompt as { options: Record<string, string | null> };
        return p.options[r.answer];
      });
      expect(new Set(texts).size).toBe(1);
    }
    const mmmu = await samplesOf('mmmu');
    expect(mmmu.filter((s) => s.images.length === 2)).toHaveLength(1);
    expect(mmmu.filter((s) => (s.prompt as { questionType: string }).questionType === 'open')).toHaveLength(3);
    const ocr = await samplesOf('ocrbench');
    const categories = new Set(ocr.map((s) => String(s.categories['category'])));
    expect(categories.has('Handwritten Mathematical Expression Recognition')).toBe(true);
    expect(categories.size).toBe(9);
    const mmvet = await samplesOf('mmvet');
    const caps = new Set(mmvet.flatMap((s) => s.categories['capability'] as string[]));
    expect([...caps].sort()).toEqual(['gen', 'know', 'math', 'ocr', 'rec', 'spat']);
  });

  it('`cogeval data ls --data demo` lists the nine demo datasets with their sample counts', async () => {
    const c = captureIo();
    expect(await main(['data', 'ls', '--data', 'demo'], c.io)).toBe(0);
    const text = plain(c.out);
    for (const [bench, n] of [['textvqa', 8], ['ocrbench', 10], ['mmbench', 11], ['vcr_hard', 7]] as const) expect(text).toMatch(new RegExp(`${bench}\\s+demo\\s+present\\s+sha256:[0-9a-f]{16} \\(content\\)\\s+${n}\\s`));
  });
});
