// DocVQA (single-page; validation 5,349 and test 5,188 questions) from lmms-lab/DocVQA config
// DocVQA, VLMEvalKit DocVQA_VAL/DocVQA_TEST.tsv, or the RRC files val_v1.0(_withQT).json /
// test_v1.0.json + documents/ (scoring.md §6.1). Test answers are not public: not scorable here.
import { basename, dirname, join } from 'node:path';
import type { BenchAdapter, RowContext, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, optStringList, stringList, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import { findNamed } from '../../datasets/find.js';
import { jsonEntries, readJsonFile, type OfficialPart } from '../../datasets/sources/official.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

/** Official file names per split, preferred first (the `_withQT` file adds question_types). */
const OFFICIAL_FILES: Readonly<Record<string, readonly string[]>> = {
  validation: ['val_v1.0_withQT.json', 'val_v1.0.json'],
  test: ['test_v1.0.json'],
};

function idOf(row: SourceRow, format: SourceFormat): string {
  return idText(row, format === 'vlmevalkit' ? 'index' : 'questionId');
}

function toSample(row: SourceRow, format: SourceFormat, ctx: RowContext): SampleParts {
  const id = idOf(row, format);
  const question = text(row, 'question');
  const answerColumn = format === 'vlmevalkit' ? 'answer' : 'answers';
  const references: Record<string, unknown> = {};
  if (ctx.hasAnswers) {
    const answers = stringList(row, answerColumn);
    if (answers.length === 0) throw new RowError(answerColumn, 'the answer list is empty');
    references['answers'] = answers;
  }
  const questionTypes = row.cells['question_types'] === undefined ? null : optStringList(row, 'question_types');
  if (questionTypes !== null) references['question_types'] = questionTypes;
  const extra: Record<string, unknown> = {};
  if (!ctx.hasAnswers) extra['hasAnswers'] = false;
  const docId = row.cells['docId'];
  if (typeof docId === 'string' || typeof docId === 'number') extra['docId'] = docId;
  else if (typeof docId === 'bigint') extra['docId'] = docId.toString();
  return {
    id,
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'docvqa', question },
    references,
    categories: questionTypes !== null && questionTypes.length > 0 ? { question_type: questionTypes } : {},
    extra,
  };
}

async function loadOfficial(files: readonly string[]): Promise<OfficialPart[]> {
  const parts: OfficialPart[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const entries = jsonEntries(await readJsonFile(file), file, 'data').map(({ entry, at }) => {
      const rel = entry['image'];
      let image: string[] | null = null;
      if (typeof rel === 'string' && rel !== '') {
        const name = basename(rel);
        image = [
          join(dir, rel),
          join(dir, '..', rel),
          join(dir, 'spdocvqa_images', name),
          join(dir, '..', 'spdocvqa_images', name),
          join(dir, 'images', name),
        ];
      }
      return { cells: entry, at, image };
    });
    parts.push({ file, entries });
  }
  return parts;
}

export const docvqaAdapter: BenchAdapter = {
  bench: 'docvqa',
  splits: ['validation', 'test'],
  defaultSplit: 'validation',
  hasAnswers: (split) => split !== 'test',
  hf: {
    repo: dataCatalog.hf.repo,
    siblingConfigs: ['DocVQA', 'InfographicVQA'],
    hfConfig: () => 'DocVQA',
    hfSplit: (split) => split,
    required: ['questionId', 'question', 'image'],
    answerColumns: ['answers'],
    optional: ['answers', 'question_types', 'docId'],
    imageColumns: ['image'],
  },
  tsv: {
    names: (split) => [split === 'test' ? 'DocVQA_TEST' : 'DocVQA_VAL'],
    required: ['question'],
    answerColumns: ['answer'],
  },
  official: {
    kind: 'json',
    describe: 'val_v1.0_withQT.json / val_v1.0.json (validation) or test_v1.0.json (test), with the images its "image" field names (documents/… or spdocvqa_images/)',
    async find(dir, split) {
      for (const name of OFFICIAL_FILES[split] ?? []) {
        const files = await findNamed(dir, [name]);
        if (files.length > 0) return files.slice(0, 1);
      }
      return undefined;
    },
    load: (files) => loadOfficial(files),
  },
  toSample,
  idOf,
};
