// The row sources on their own: the pandas-compatible TSV splitter (records split across reads,
// quotes, CRLF, blank lines), the VLMEvalKit TSV source (NA cells, field counts, image refs), the
// parquet source (offset across row groups and shards, image bytes it owns) and bad files.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../harness/datasets/errors.js';
import { openParquetSource } from '../../harness/datasets/sources/hf-parquet.js';
import { isRowFailure, type RowFailure, type RowSource, type SourceRow } from '../../harness/datasets/sources/row.js';
import { tsvFields, tsvRecords } from '../../harness/datasets/sources/tsv-records.js';
import { openTsvSource } from '../../harness/datasets/sources/vlmevalkit-tsv.js';
import { pngImage, tempDir, writeParquet, writeTsv } from './fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

async function rowsOf(source: RowSource, offset = 0): Promise<(SourceRow | RowFailure)[]> {
  const out: (SourceRow | RowFailure)[] = [];
  for await (const r of source.rows(offset)) out.push(r);
  return out;
}

describe('tsvRecords / tsvFields', () => {
  // Quoted fields with tabs, newlines and doubled quotes; a literal quote inside an unquoted
  // field; CRLF endings; a blank line; no final newline.
  const text =
    'index\tquestion\thint\r\n' +
    '1\t"say ""hi""\tnow"\t"two\nlines"\r\n' +
    '\n' +
    '2\tplain 5" screen\t\n' +
    '3\t"a"b\tlast';
  let file: string;
  beforeAll(async () => {
    file = join(root, 'tricky.tsv');
    await writeFile(file, text);
  });

  it('splits records and fields as pandas does, whatever the read size', async () => {
    const expected = [
      { line: 1, fields: ['index', 'question', 'hint'] },
      { line: 2, fields: ['1', 'say "hi"\tnow', 'two\nlines'] },
      { line: 5, fields: ['2', 'plain 5" screen', ''] },
      { line: 6, fields: ['3', 'ab', 'last'] },
    ];
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const got: { line: number; fields: string[] }[] = [];
      for await (const r of tsvRecords(file, { chunkSize })) got.push({ line: r.line, fields: tsvFields(r.bytes) });
      expect({ chunkSize, got }).toEqual({ chunkSize, got: expected });
    }
  });

  it('gives byte ranges that re-read the same record', async () => {
    const buffer = Buffer.from(text);
    for await (const r of tsvRecords(file, { chunkSize: 3 })) {
      const slice = buffer.subarray(r.start, r.start + r.length).toString().replace(/\r$/, '');
      expect(slice).toBe(r.bytes.toString());
    }
  });

  it('refuses a quoted field that never closes (a truncated file), naming file and line', async () => {
    const cut = join(root, 'cut.tsv');
    await writeFile(cut, 'index\tquestion\n1\tok\n2\t"never closed\nmore');
    const read = async () => {
      for await (const r of tsvRecords(cut)) void r;
    };
    await expect(read()).rejects.toThrow(DataError);
    await expect(read()).rejects.toThrow(/cut\.tsv line 3: a quoted field is never closed/);
  });
});

describe('openTsvSource', () => {
  it('reads NA cells, pads short records, fails over-long ones and goes on', async () => {
    const img = (await pngImage(1)).toString('base64');
    const file = join(root, 'na.tsv');
    await writeFile(
      file,
      'index\tquestion\tA\tB\tC\timage\n' +
        `0\tq0\tNone\tnan\tNaN\t${img}\n` +
        `1\tq1\tx\ty\tz\t${img}\textra\n` +
        `2\tq2\t\tN/A\n` + // short: C and image padded with NaN → no image → skipped (skip_noimg)
        `3\tq3\tnull\t-\t \t${img}\n`,
    );
    const source = await openTsvSource({ file, required: ['question'] });
    expect(await source.count()).toBe(3);
    const rows = await rowsOf(source);
    expect(rows).toHaveLength(3);
    const [r0, r1, r3] = rows;
    expect(isRowFailure(r0)).toBe(false);
    expect((r0 as SourceRow).cells).toEqual({ index: '0', question: 'q0', A: null, B: null, C: null });
    expect(isRowFailure(r1)).toBe(true);
    expect((r1 as RowFailure).reason).toMatch(/na\.tsv line 3: 7 fields where the header has 6/);
    expect((r1 as RowFailure).id).toBe('1');
    expect((r3 as SourceRow).cells).toMatchObject({ A: null, B: '-', C: ' ' });
    expect((r3 as SourceRow).where).toBe(`${file} line 5`);
  });

  it('filters by a column, applies offsets after filtering, and resolves image-by-index cells', async () => {
    const a = await pngImage(2);
    const b = await pngImage(3);
    const file = join(root, 'filter.tsv');
    await writeTsv(file, ['index', 'question', 'split', 'image'], [
      { index: 10, question: 'dev', split: 'dev', image: a },
      { index: 11, question: 'v1', split: 'validation', image: '12' }, // forward reference
      { index: 12, question: 'v2', split: 'validation', image: b },
      { index: 13, question: 'v3', split: 'validation', image: '10' }, // backward reference, to a filtered-out row
      { index: 14, question: 'v4', split: 'validation', image: '99' }, // dangling reference
    ]);
    const source = await openTsvSource({ file, required: ['question'], filter: { column: 'split', value: 'validation' } });
    expect(await source.count()).toBe(4);
    const rows = (await rowsOf(source)) as SourceRow[];
    expect(rows.map((r) => r.cells['question'])).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(Buffer.from(await rows[0].images['image'][0].bytes())).toEqual(b);
    expect(Buffer.from(await rows[2].images['image'][0].bytes())).toEqual(a);
    await expect(rows[3].images['image'][0].bytes()).rejects.toThrow(/refers to row index 99, but no row with that index holds an image/);
    const later = (await rowsOf(source, 2)) as SourceRow[];
    expect(later.map((r) => r.cells['question'])).toEqual(['v3', 'v4']);
  });

  it('names the file and the missing column', async () => {
    const file = join(root, 'nocol.tsv');
    await writeTsv(file, ['index', 'image', 'question'], [{ index: 0, image: await pngImage(1), question: 'q' }]);
    await expect(openTsvSource({ file, required: ['question', 'answer'] })).rejects.toThrow(/nocol\.tsv: column "answer" is missing from the header \(columns present: index, image, question\)/);
    await expect(openTsvSource({ file: join(root, 'absent.tsv'), required: [] })).rejects.toThrow(/absent\.tsv: TSV file not found/);
  });
});

describe('openParquetSource', () => {
  const columns = [
    { name: 'id', kind: 'int64' },
    { name: 'question', kind: 'string' },
    { name: 'image', kind: 'image' },
  ] as const;
  let files: string[];
  let images: Buffer[];
  beforeAll(async () => {
    images = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((i) => pngImage(i)));
    const rows = images.map((image, i) => ({ id: i, question: `q${i}`, image: i === 5 ? null : image }));
    files = [join(root, 'pq', 'test-00000-of-00002.parquet'), join(root, 'pq', 'test-00001-of-00002.parquet')];
    await writeParquet(files[0], columns, rows.slice(0, 5), 2); // row groups 2 + 2 + 1
    await writeParquet(files[1], columns, rows.slice(5), 2);
  });

  it('streams rows across row groups and shards from any offset, images as owned bytes', async () => {
    const source = await openParquetSource({ files, required: ['id', 'question', 'image'], imageColumns: ['image'] });
    expect(await source.count()).toBe(7);
    const all = (await rowsOf(source)) as SourceRow[];
    expect(all.map((r) => r.cells['question'])).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(all.map((r) => r.row)).toEqual([0, 1, 2, 3, 4, 0, 1]);
    expect(all[1].cells['id']).toBe(1n);
    const bytes = await all[3].images['image'][0].bytes();
    expect(Buffer.from(bytes)).toEqual(images[3]);
    // The ref owns its bytes: no view into a decoded page that would keep the page alive.
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    expect(all[5].images['image']).toEqual([]);
    for (const offset of [1, 3, 4, 5, 6, 7]) {
      const rest = (await rowsOf(source, offset)) as SourceRow[];
      expect(rest.map((r) => r.cells['question'])).toEqual(all.slice(offset).map((r) => r.cells['question']));
    }
  });

  it('reads the same rows in small batches through the offset index', async () => {
    const whole = (await rowsOf(await openParquetSource({ files, required: ['id', 'question'], imageColumns: ['image'] }))) as SourceRow[];
    const batched = await openParquetSource({ files, required: ['id', 'question'], imageColumns: ['image'], batchBytes: 1 });
    for (const offset of [0, 3]) {
      const rows = (await rowsOf(batched, offset)) as SourceRow[];
      expect(rows.map((r) => [r.row, r.cells['question']])).toEqual(whole.slice(offset).map((r) => [r.row, r.cells['question']]));
      for (const [i, r] of rows.entries()) {
        const expected = whole[offset + i].images['image'];
        expect(r.images['image'].length).toBe(expected.length);
        if (expected.length > 0) expect(Buffer.from(await r.images['image'][0].bytes())).toEqual(Buffer.from(await expected[0].bytes()));
      }
    }
  });

  it('refuses a missing column, a missing file and a truncated file, naming the file', async () => {
    await expect(openParquetSource({ files, required: ['id', 'answers'], imageColumns: ['image'] })).rejects.toThrow(
      /test-00000-of-00002\.parquet: column "answers" is missing \(columns present: id, question, image\)/,
    );
    const missing = join(root, 'pq', 'nope.parquet');
    await expect(openParquetSource({ files: [missing], required: [], imageColumns: [] })).rejects.toThrow(/nope\.parquet: parquet file not found/);
    const whole = await readFile(files[0]);
    const truncated = join(root, 'pq', 'truncated.parquet');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const err = await openParquetSource({ files: [truncated], required: [], imageColumns: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(/truncated\.parquet: not a readable parquet file .* truncated or corrupt/);
    expect((err as DataError).file).toBe(truncated);
  });

  it('fails the rows of an undecodable row group and goes on with the next', async () => {
    const whole = Buffer.from(await readFile(files[0]));
    // Overwrite the start of the first row group's data (after the 4-byte PAR1 magic).
    whole.fill(0xff, 4, 40);
    const broken = join(root, 'pq', 'broken.parquet');
    await writeFile(broken, whole);
    const source = await openParquetSource({ files: [broken], required: ['id', 'question'], imageColumns: ['image'] });
    const rows = await rowsOf(source);
    expect(rows).toHaveLength(5);
    expect(rows.slice(0, 2).every(isRowFailure)).toBe(true);
    expect((rows[0] as RowFailure).reason).toMatch(/broken\.parquet rows 0–1: cannot be decoded/);
    expect((rows[2] as SourceRow).cells['question']).toBe('q2');
  });
});
