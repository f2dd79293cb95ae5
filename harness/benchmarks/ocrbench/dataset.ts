// OCRBench v1 (1,000 items, ten categories) from echo840/OCRBench, VLMEvalKit OCRBench.tsv, or
// the authors' OCRBench.json + OCRBench_Images/ (scoring.md §8.1). The HF data has no id column:
// the id is the row position, as lmms-eval's doc_id.
import { dirname, join } from 'node:path';
import { HME_CATEGORY, HME_DATASET, isOcrBenchCategory } from './scorer.js';
import type { BenchAdapter, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, optText, stringList, text, textOf } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import { findNamed } from '../../datasets/find.js';
import { jsonEntries, readJsonFile, type OfficialPart } from '../../datasets/sources/official.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

/**
 * The `dataset` value given to items of a VLMEvalKit TSV without a source-dataset column. It only
 * matters for the HME rule of the official and lmms-eval profiles, which §8.1 ties to HME100k,
 * the sole source of the HME category; other items get this marker instead of a guessed name.
 */
export const OCRBENCH_DATASET_NOT_IN_TSV = '(not in the VLMEvalKit TSV)';

function idOf(row: SourceRow, format: SourceFormat, index: number): string {
  if (format === 'vlmevalkit') return idText(row, 'index');
  if (format === 'official' && row.cells['id'] !== undefined && row.cells['id'] !== null) return idText(row, 'id');
  return String(index);
}

function toSample(row: SourceRow, format: SourceFormat, index: number): SampleParts {
  const id = idOf(row, format, index);
  const question = text(row, 'question');
  const answerColumn = format === 'official' ? 'answers' : 'answer';
  // A string answer is one answer; a list (or the TSV's list literal) is several.
  const answer = stringList(row, answerColumn, { allowPlain: true });
  if (answer.length === 0) throw new RowError(answerColumn, 'the answer list is empty');
  const categoryColumn = format === 'official' ? 'type' : format === 'vlmevalkit' ? 'category' : 'question_type';
  const category = text(row, categoryColumn);
  if (!isOcrBenchCategory(category)) {
    throw new RowError(categoryColumn, `column "${categoryColumn}" is not an OCRBench category: ${JSON.stringify(category)}`);
  }
  const extra: Record<string, unknown> = {};
  let dataset: string;
  if (format === 'vlmevalkit') {
    const named = optText(row, 'dataset') ?? optText(row, 'dataset_name');
    if (named !== null) dataset = named;
    else {
      dataset = category === HME_CATEGORY ? HME_DATASET : OCRBENCH_DATASET_NOT_IN_TSV;
      extra['datasetDerived'] = true;
    }
  } else {
    dataset = textOf(row, format === 'official' ? ['dataset_name'] : ['dataset']);
  }
  return {
    id,
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'ocrbench', question },
    references: { answer, question_type: category, dataset },
    categories: { category },
    extra,
  };
}

async function loadOfficial(files: readonly string[]): Promise<OfficialPart[]> {
  const parts: OfficialPart[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const entries = jsonEntries(await readJsonFile(file), file).map(({ entry, at }) => {
      const rel = entry['image_path'];
      const image =
        typeof rel === 'string' && rel !== ''
          ? [
              join(dir, 'OCRBench_Images', rel),
              join(dir, '..', 'OCRBench_Images', rel),
              join(dir, '..', '..', 'OCRBench_Images', rel),
              join(dir, rel),
            ]
          : null;
      return { cells: entry, at, image };
    });
    parts.push({ file, entries });
  }
  return parts;
}

export const ocrbenchAdapter: BenchAdapter = {
  bench: 'ocrbench',
  splits: ['test'],
  defaultSplit: 'test',
  hasAnswers: () => true,
  hf: {
    repo: dataCatalog.hf.repo,
    hfConfig: () => undefined,
    hfSplit: (split) => split,
    required: ['dataset', 'question', 'question_type', 'answer', 'image'],
    imageColumns: ['image'],
  },
  tsv: { names: () => ['OCRBench'], required: ['question', 'answer', 'category'] },
  official: {
    kind: 'json',
    describe: 'OCRBench.json ([{dataset_name, id, image_path, question, answers, type}]) with the images under OCRBench_Images/<image_path>',
    async find(dir) {
      const files = await findNamed(dir, ['OCRBench.json'], 3);
      return files.length > 0 ? files.slice(0, 1) : undefined;
    },
    load: (files) => loadOfficial(files),
  },
  toSample: (row, format, _ctx, index) => toSample(row, format, index),
  idOf,
};
