// openDataset: finding a local copy's files, clear errors for what is missing, explicit parquet
// files (the HF-cache path), offset/limit, bad cells as sample failures, splits without answers,
// content hashes.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/errors.js';
import { DataError } from '../../harness/datasets/errors.js';
import { SampleHasher, hashFiles } from '../../harness/datasets/hash.js';
import { canonicalJson } from '../../harness/util/canonical-json.js';
import { assertScorable, hfIdentity, openDataset, openParquetDataset, resolveSplit } from '../../harness/datasets/open.js';
import { isSampleFailure, type Sample, type SampleOrFailure } from '../../harness/datasets/types.js';
import { pngImage, pyList, tempDir, writeParquet, writeTsv } from './fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let shards: string[];
const textvqaColumns = [
  { name: 'question_id', kind: 'int64' },
  { name: 'question', kind: 'string' },
  { name: 'answers', kind: 'strings' },
  { name: 'image', kind: 'image' },
] as const;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
  const img = await pngImage(1);
  const rows = Array.from({ length: 7 }, (_, i) => ({ question_id: 100 + i, question: `question ${i}?`, answers: ['a', 'b'], image: img }));
  shards = [join(root, 'snap', 'data', 'validation-00000-of-00002.parquet'), join(root, 'snap', 'data', 'validation-00001-of-00002.parquet')];
  await writeParquet(shards[0], textvqaColumns, rows.slice(0, 4), 3);
  await writeParquet(shards[1], textvqaColumns, rows.slice(4), 3);
  // A train shard in the same snapshot is not part of the validation split.
  await writeParquet(join(root, 'snap', 'data', 'train-00000-of-00001.parquet'), textvqaColumns, rows.slice(0, 1));
});
afterAll(async () => cleanup());

async function collect(it: AsyncIterable<SampleOrFailure>): Promise<SampleOrFailure[]> {
  const out: SampleOrFailure[] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe('finding files', () => {
  it('finds the split shards under a snapshot folder, in order', async () => {
    const ds = await openDataset({ bench: 'TextVQA', source: 'hf', dataDir: join(root, 'snap'), split: 'val' });
    expect(ds.files).toEqual(shards);
    expect(await ds.count()).toBe(7);
    expect(ds.description).toMatch(/^lmms-lab\/textvqa split validation \(2 parquet files: validation-00000-of-00002\.parquet, validation-00001-of-00002\.parquet\)/);
    expect(ds.revision).toBe(await hashFiles(shards));
    expect(await ds.contentHash()).toBe(ds.revision);
  });

  it('says what is missing and which layouts are accepted', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty, { recursive: true });
    for (const source of ['hf', 'vlmevalkit', 'official'] as const) {
      const err = await openDataset({ bench: 'docvqa', source, dataDir: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      const message = (err as DataError).message;
      expect(message).toContain(`no DocVQA validation data for source "${source}" under ${empty}`);
      expect(message).toContain('lmms-lab/DocVQA config DocVQA parquet shards named validation-*.parquet');
      expect(message).toContain('DocVQA_VAL.tsv');
      expect(message).toContain('val_v1.0_withQT.json');
    }
    await expect(openDataset({ bench: 'textvqa', source: 'hf', dataDir: join(root, 'nowhere') })).rejects.toThrow(/nowhere: the data directory does not exist/);
    await expect(openDataset({ bench: 'textvqa', source: 'hf' })).rejects.toThrow(ConfigError);
  });

  it('checks splits, configs, sources and file types', async () => {
    expect(resolveSplit('mmmu', 'VAL')).toBe('validation');
    expect(() => resolveSplit('mmmu', 'train')).toThrow(/MMMU has no split "train"; valid splits: validation, dev/);
    await expect(openDataset({ bench: 'mmbench', source: 'hf', dataDir: root, config: 'fr' })).rejects.toThrow(/no config "fr"; valid configs: en, cn/);
    await expect(openDataset({ bench: 'textvqa', source: 'hf', dataDir: root, config: 'en' })).rejects.toThrow(/TextVQA has no configs/);
    await expect(openDataset({ bench: 'textvqa', source: 'web' as 'hf', dataDir: root })).rejects.toThrow(/unknown data source "web"; valid sources: hf, vlmevalkit, official, demo/);
    await expect(openDataset({ bench: 'textvqa', source: 'vlmevalkit', files: shards })).rejects.toThrow(/expects \.tsv files/);
  });

  it('gives the HF identity of each benchmark split', () => {
    expect(hfIdentity('docvqa', 'test')).toEqual({ repo: 'lmms-lab/DocVQA', alsoRepos: [], config: 'DocVQA', split: 'test' });
    expect(hfIdentity('mmbench', 'dev', 'cn')).toMatchObject({ repo: 'lmms-lab/MMBench', config: 'cn', split: 'dev' });
    expect(hfIdentity('mmmu')).toEqual({ repo: 'lmms-lab/MMMU', alsoRepos: ['MMMU/MMMU'], config: undefined, split: 'validation' });
    expect(hfIdentity('ocrbench')).toMatchObject({ repo: 'echo840/OCRBench', split: 'test' });
  });
});

describe('explicit parquet files (the HF cache path)', () => {
  it('records the pinned commit and repository, and streams with offset and limit', async () => {
    const commit = 'a'.repeat(40);
    const ds = await openParquetDataset({ bench: 'textvqa', files: shards, repo: 'lmms-lab-encoder/textvqa', revision: commit });
    expect(ds.revision).toBe(commit);
    expect(ds.description).toMatch(/^lmms-lab-encoder\/textvqa split validation/);
    const all = (await collect(ds.samples())) as Sample[];
    expect(all.map((s) => s.id)).toEqual(['100', '101', '102', '103', '104', '105', '106']);
    const page = (await collect(ds.samples({ offset: 2, limit: 3 }))) as Sample[];
    expect(page.map((s) => [s.index, s.id])).toEqual([
      [2, '102'],
      [3, '103'],
      [4, '104'],
    ]);
    expect(ds.stats()).toMatchObject({ items: 3, samples: 3, failures: 0 });
    expect(await collect(ds.samples({ offset: 7 }))).toEqual([]);
    expect(await collect(ds.samples({ limit: 0 }))).toEqual([]);
  });

  it('refuses files that lack a column the split needs, naming file and column', async () => {
    const noAnswers = join(root, 'noanswers', 'validation-00000-of-00001.parquet');
    await writeParquet(noAnswers, textvqaColumns.filter((c) => c.name !== 'answers'), [{ question_id: 1, question: 'q', image: await pngImage(1) }]);
    await expect(openParquetDataset({ bench: 'textvqa', files: [noAnswers] })).rejects.toThrow(/validation-00000-of-00001\.parquet: column "answers" is missing/);
  });
});

describe('bad cells', () => {
  it('fail their sample, naming file, line and column; the stream goes on', async () => {
    const img = await pngImage(2);
    const file = join(root, 'bad', 'TextVQA_VAL.tsv');
    await writeTsv(file, ['index', 'image', 'question', 'answer'], [
      { index: 1, image: img, question: 'ok?', answer: pyList(['x']) },
      { index: 2, image: img, question: 'bad answer?', answer: 'just text' },
      { index: 3, image: img, question: null, answer: pyList(['y']) },
      { index: 4, image: img, question: 'fine?', answer: pyList(['z']) },
    ]);
    const ds = await openDataset({ bench: 'textvqa', source: 'vlmevalkit', files: [file] });
    const items = await collect(ds.samples());
    expect(items.map((s) => (isSampleFailure(s) ? `failed ${s.id}` : s.id))).toEqual(['1', 'failed 2', 'failed 3', '4']);
    const [, two, three] = items;
    expect(isSampleFailure(two) && two.reason).toBe(`${file} line 3: column "answer" must be a list of strings, got the text "just text"`);
    expect(isSampleFailure(three) && three.reason).toBe(`${file} line 4: column "question" is empty (a value is required)`);
    expect(ds.stats()).toEqual({ items: 4, samples: 2, failures: 2, multiImageItems: 0, droppedImages: 0 });
  });

  it('an MMBench answer letter that is not an option fails the row', async () => {
    const file = join(root, 'bad', 'MMBench_DEV_EN.tsv');
    await writeTsv(file, ['index', 'question', 'A', 'B', 'answer', 'image'], [{ index: 5, question: 'q', A: 'x', B: 'y', answer: 'C', image: await pngImage(3) }]);
    const [item] = await collect((await openDataset({ bench: 'mmbench', source: 'vlmevalkit', files: [file] })).samples());
    expect(isSampleFailure(item) && item.reason).toMatch(/line 2: column "answer" must be the letter of one of the row's options, got "C"/);
    expect(item.id).toBe('5');
  });
});

describe('splits without public answers', () => {
  it('cannot be scored, and say where they are scored', async () => {
    const dir = join(root, 'docvqa-test');
    const columns = [
      { name: 'questionId', kind: 'string' },
      { name: 'question', kind: 'string' },
      { name: 'image', kind: 'image' },
    ] as const;
    await writeParquet(join(dir, 'DocVQA', 'test-00000-of-00001.parquet'), columns, [{ questionId: '1', question: 'q', image: await pngImage(4) }]);
    const ds = await openDataset({ bench: 'docvqa', source: 'hf', dataDir: dir, split: 'test' });
    expect(() => assertScorable(ds)).toThrow(/the test split has no public answers, so it cannot be scored locally; .*RRC server/);
    // The validation split of the same benchmark needs its answers column.
    await expect(openDataset({ bench: 'docvqa', source: 'hf', dataDir: dir })).rejects.toThrow(/no validation-\*\.parquet shard found/);
  });
});

describe('hashes', () => {
  it('hash file bytes, and sample ids + references independent of key order', async () => {
    const h1 = await hashFiles(shards);
    expect(h1).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await hashFiles(shards)).toBe(h1);
    expect(await hashFiles([shards[1], shards[0]])).not.toBe(h1);
    const a = new SampleHasher();
    a.update({ id: '1', references: { answers: ['x'], question_types: ['t'] } });
    const b = new SampleHasher();
    b.update({ id: '1', references: { question_types: ['t'], answers: ['x'] } });
    expect(a.digest()).toBe(b.digest());
    b.update({ id: '2', references: {} });
    expect(b.digest()).not.toBe(a.digest());
    expect(b.count).toBe(2);
    expect(canonicalJson({ b: 1n, a: [null, undefined, 'x'] })).toBe('{"a":[null,null,"x"],"b":"1"}');
  });
});
