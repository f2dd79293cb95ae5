// TextVQA (validation, 5,000 questions × 10 answers) from lmms-lab/textvqa, VLMEvalKit
// TextVQA_VAL.tsv, or the official TextVQA_0.5.1_val.json + train_images/ (scoring.md §5.1).
import { dirname, join } from 'node:path';
import type { BenchAdapter, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, optText, stringList, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import { findNamed } from '../../datasets/find.js';
import { jsonEntries, readJsonFile, type OfficialPart } from '../../datasets/sources/official.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

const OFFICIAL_JSON = 'TextVQA_0.5.1_val.json';

function idOf(row: SourceRow, format: SourceFormat): string {
  return idText(row, format === 'vlmevalkit' ? 'index' : 'question_id');
}

function toSample(row: SourceRow, format: SourceFormat): SampleParts {
  const id = idOf(row, format);
  const question = text(row, 'question');
  // The TSV's `answer` cell is the Python list literal of the ten answers.
  const answers = format === 'vlmevalkit' ? stringList(row, 'answer') : stringList(row, 'answers');
  if (answers.length === 0) throw new RowError(format === 'vlmevalkit' ? 'answer' : 'answers', 'the answer list is empty');
  const imageId = format === 'vlmevalkit' ? null : optText(row, 'image_id');
  return {
    id,
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'textvqa', question },
    references: { answers },
    categories: {},
    extra: imageId === null ? {} : { image_id: imageId },
  };
}

async function loadOfficial(files: readonly string[]): Promise<OfficialPart[]> {
  const parts: OfficialPart[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const entries = jsonEntries(await readJsonFile(file), file, 'data').map(({ entry, at }) => {
      const imageId = entry['image_id'];
      const image =
        typeof imageId === 'string' && imageId !== ''
          ? [join(dir, 'train_images', `${imageId}.jpg`), join(dir, 'train_val_images', 'train_images', `${imageId}.jpg`), join(dir, 'images', `${imageId}.jpg`)]
          : null;
      return { cells: entry, at, image };
    });
    parts.push({ file, entries });
  }
  return parts;
}

export const textvqaAdapter: BenchAdapter = {
  bench: 'textvqa',
  splits: ['validation'],
  defaultSplit: 'validation',
  hasAnswers: () => true,
  hf: {
    repo: dataCatalog.hf.repo,
    hfConfig: () => undefined,
    hfSplit: (split) => split,
    required: ['question_id', 'question', 'answers', 'image'],
    optional: ['image_id'],
    imageColumns: ['image'],
  },
  tsv: { names: () => ['TextVQA_VAL'], required: ['question', 'answer'] },
  official: {
    kind: 'json',
    describe: `${OFFICIAL_JSON} with the images in train_images/<image_id>.jpg (or train_val_images/train_images/)`,
    async find(dir) {
      const files = await findNamed(dir, [OFFICIAL_JSON]);
      return files.length > 0 ? files.slice(0, 1) : undefined;
    },
    load: (files) => loadOfficial(files),
  },
  toSample: (row, format) => toSample(row, format),
  idOf,
};
