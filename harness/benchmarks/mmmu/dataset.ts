// MMMU validation (900 items, 30 subjects) and dev (150) from lmms-lab/MMMU or MMMU/MMMU (one
// config per subject; the authors' release is this parquet data), or VLMEvalKit MMMU_DEV_VAL.tsv
// filtered by its split column (scoring.md §9.1). Items have up to seven images (image_1…image_7);
// the dataset stream keeps the first (cogvlm2.md §7) and counts the others.
import { mmmuSubjectInfo, subjectFromId } from './scorer.js';
import { PyError } from '../../metrics/py.js';
import { parseMmmuOptions } from './options.js';
import type { BenchAdapter, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { idText, optText, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import type { ImageRef } from '../../datasets/types.js';
import dataCatalog from './data.json' with { type: 'json' };

export const MMMU_IMAGE_COLUMNS = ['image_1', 'image_2', 'image_3', 'image_4', 'image_5', 'image_6', 'image_7'] as const;

/** VLMEvalKit's MCQ option columns. */
const TSV_OPTION_LETTERS = 'ABCDEFGHI'.split('');

const QUESTION_TYPES = ['multiple-choice', 'open'];

function idOf(row: SourceRow, format: SourceFormat): string {
  return idText(row, format === 'vlmevalkit' ? 'index' : 'id');
}

function hfOptions(row: SourceRow): string[] {
  const raw = row.cells['options'];
  if (Array.isArray(raw)) {
    if (!raw.every((x): x is string => typeof x === 'string')) throw new RowError('options', 'column "options" must hold strings');
    return raw;
  }
  const literal = text(row, 'options');
  try {
    return parseMmmuOptions(literal);
  } catch (err) {
    if (err instanceof PyError) throw new RowError('options', `column "options": ${err.message}`);
    throw err;
  }
}

function questionType(row: SourceRow, fallback: string | undefined): string {
  const value = optText(row, 'question_type') ?? fallback;
  if (value === undefined) throw new RowError('question_type', 'column "question_type" is empty');
  if (!QUESTION_TYPES.includes(value)) {
    throw new RowError('question_type', `column "question_type" must be multiple-choice or open, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Subject of a TSV row: from its `id` cell (`validation_Art_Theory_12`) or its `category` cell. */
function tsvSubject(row: SourceRow): string {
  const id = optText(row, 'id');
  const fromId = id === null ? undefined : subjectFromId(id);
  if (fromId !== undefined) return mmmuSubjectInfo(fromId)?.subject ?? fromId;
  const category = optText(row, 'category');
  if (category !== null) return mmmuSubjectInfo(category)?.subject ?? category;
  throw new RowError('category', 'neither an "id" like validation_<Subject>_<n> nor a "category" cell names the subject');
}

function toSample(row: SourceRow, format: SourceFormat): SampleParts {
  const id = idOf(row, format);
  const question = text(row, 'question');
  const answer = text(row, 'answer');
  let options: string[];
  let images: ImageRef[];
  let subject: string | undefined;
  const references: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  if (format === 'vlmevalkit') {
    options = [];
    for (const letter of TSV_OPTION_LETTERS) {
      const option = optText(row, letter);
      if (option !== null) options.push(option);
    }
    subject = tsvSubject(row);
    references['subject'] = subject;
    images = [...(row.images['image'] ?? [])];
    const hfId = optText(row, 'id');
    if (hfId !== null) extra['mmmu_id'] = hfId;
  } else {
    options = hfOptions(row);
    subject = subjectFromId(id);
    images = MMMU_IMAGE_COLUMNS.flatMap((column) => row.images[column] ?? []);
    for (const key of ['subfield', 'img_type', 'topic_difficulty']) {
      const value = optText(row, key);
      if (value !== null) extra[key] = value;
    }
  }
  const type = questionType(row, format === 'vlmevalkit' ? (options.length > 0 ? 'multiple-choice' : 'open') : undefined);
  if (type === 'multiple-choice' && options.length === 0) {
    throw new RowError(format === 'vlmevalkit' ? 'A' : 'options', 'a multiple-choice item has no options');
  }
  const info = subject === undefined ? undefined : mmmuSubjectInfo(subject);
  const categories: Record<string, string> = {};
  if (info !== undefined) {
    categories['subject'] = info.subject;
    categories['discipline'] = info.discipline;
  } else if (subject !== undefined) categories['subject'] = subject;
  Object.assign(references, { question_type: type, answer, options });
  return {
    id,
    question,
    images,
    prompt: { bench: 'mmmu', question, questionType: type, options },
    references,
    categories,
    extra,
  };
}

export const mmmuAdapter: BenchAdapter = {
  bench: 'mmmu',
  splits: ['validation', 'dev'],
  defaultSplit: 'validation',
  hasAnswers: () => true,
  hf: {
    repo: dataCatalog.hf.repo,
    alsoRepos: ['MMMU/MMMU'],
    hfConfig: () => undefined,
    hfSplit: (split) => split,
    required: ['id', 'question', 'options', 'answer', 'question_type', 'image_1'],
    optional: [...MMMU_IMAGE_COLUMNS.slice(1), 'subfield', 'img_type', 'topic_difficulty'],
    imageColumns: MMMU_IMAGE_COLUMNS,
  },
  tsv: {
    names: () => ['MMMU_DEV_VAL'],
    required: ['question', 'answer', 'split'],
    filter: (split) => ({ column: 'split', value: split }),
  },
  official: {
    kind: 'parquet',
    describe: 'the authors release MMMU as the HF parquet dataset MMMU/MMMU (<Subject>/<split>-*.parquet), read like the hf source',
  },
  toSample: (row, format) => toSample(row, format),
  idOf,
};
