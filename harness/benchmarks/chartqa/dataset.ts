// ChartQA test (1,250 human + 1,250 augmented) from lmms-lab/ChartQA, VLMEvalKit
// ChartQA_TEST.tsv, or the official test/test_human.json + test_augmented.json + test/png/
// (scoring.md §7.1). The HF data has no id column: the id is the row position, as lmms-eval's doc_id.
import { dirname, join } from 'node:path';
import type { BenchAdapter, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, optText, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import { findNamed } from '../../datasets/find.js';
import { jsonEntries, readJsonFile, type OfficialPart } from '../../datasets/sources/official.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

type Half = 'human' | 'augmented';

const HALF_OF: Readonly<Record<string, Half>> = {
  human: 'human',
  human_test: 'human',
  augmented: 'augmented',
  augmented_test: 'augmented',
};

/** The half a row belongs to, from the first of `columns` that names one (TSVs may lack it). */
function halfOf(row: SourceRow, columns: readonly string[]): { value: string; half: Half } | undefined {
  for (const column of columns) {
    const value = optText(row, column);
    if (value === null) continue;
    const half = HALF_OF[value];
    if (half !== undefined) return { value, half };
    if (column === 'type') throw new RowError(column, `column "type" must be human_test or augmented_test, got ${JSON.stringify(value)}`);
  }
  return undefined;
}

function idOf(row: SourceRow, format: SourceFormat, index: number): string {
  if (format === 'vlmevalkit') return idText(row, 'index');
  if (format === 'official') return idText(row, '_id');
  return String(index);
}

function toSample(row: SourceRow, format: SourceFormat, index: number): SampleParts {
  const id = idOf(row, format, index);
  const question = text(row, format === 'official' ? 'query' : 'question');
  const answer = text(row, format === 'official' ? 'label' : 'answer');
  const half = halfOf(row, format === 'vlmevalkit' ? ['type', 'split', 'category'] : ['type']);
  const references: Record<string, unknown> = { answer };
  if (half !== undefined) references['type'] = half.value;
  const extra: Record<string, unknown> = {};
  const imgname = format === 'official' ? optText(row, 'imgname') : null;
  if (imgname !== null) extra['imgname'] = imgname;
  return {
    id,
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'chartqa', question },
    references,
    categories: half === undefined ? {} : { split: half.half },
    extra,
  };
}

async function loadOfficial(files: readonly string[]): Promise<OfficialPart[]> {
  const parts: OfficialPart[] = [];
  for (const file of files) {
    const half: Half = file.endsWith('test_augmented.json') ? 'augmented' : 'human';
    const dir = dirname(file);
    const entries = jsonEntries(await readJsonFile(file), file).map(({ entry, at }, i) => {
      const imgname = entry['imgname'];
      const image = typeof imgname === 'string' && imgname !== '' ? [join(dir, 'png', imgname), join(dir, imgname)] : null;
      return { cells: { ...entry, type: half, _id: `${half}_${i}` }, at, image };
    });
    parts.push({ file, entries });
  }
  return parts;
}

export const chartqaAdapter: BenchAdapter = {
  bench: 'chartqa',
  splits: ['test'],
  defaultSplit: 'test',
  hasAnswers: () => true,
  hf: {
    repo: dataCatalog.hf.repo,
    hfConfig: () => undefined,
    hfSplit: (split) => split,
    required: ['question', 'answer', 'image'],
    optional: ['type'],
    imageColumns: ['image'],
  },
  tsv: { names: () => ['ChartQA_TEST'], required: ['question', 'answer'] },
  official: {
    kind: 'json',
    describe: 'test/test_human.json and test/test_augmented.json ([{imgname, query, label}]) with the charts in test/png/<imgname>',
    async find(dir) {
      const human = await findNamed(dir, ['test_human.json'], 3);
      const augmented = await findNamed(dir, ['test_augmented.json'], 3);
      if (human.length === 0 || augmented.length === 0) return undefined;
      return [human[0], augmented[0]];
    },
    load: (files) => loadOfficial(files),
  },
  toSample: (row, format, _ctx, index) => toSample(row, format, index),
  idOf,
};
