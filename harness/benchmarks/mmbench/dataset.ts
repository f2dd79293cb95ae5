// MMBench v1.0, English (en) and Chinese (cn), dev and test, from lmms-lab/MMBench (configs
// en/cn), VLMEvalKit MMBench_{DEV,TEST}_{EN,CN}.tsv, or the official release TSVs (same columns)
// (scoring.md §11.1). One sample per row: main rows and circular copies (index + k·10⁶) alike.
// Test answers are not public: such samples carry no answer and cannot be scored here.
import type { BenchAdapter, RowContext, SampleParts, SourceFormat } from '../../datasets/adapter.js';
import { integer, optText, text } from '../../datasets/cells.js';
import { RowError } from '../../datasets/errors.js';
import type { SourceRow } from '../../datasets/sources/row.js';
import dataCatalog from './data.json' with { type: 'json' };

/** Option columns VLMEvalKit considers (A…I); MMBench v1.0 uses A…D. */
const OPTION_LETTERS = 'ABCDEFGHI'.split('');

function idOf(row: SourceRow): string {
  return String(integer(row, 'index'));
}

function toSample(row: SourceRow, _format: SourceFormat, ctx: RowContext): SampleParts {
  const index = integer(row, 'index');
  const question = text(row, 'question');
  const hint = optText(row, 'hint');
  const options: Record<string, string | null> = {};
  for (const letter of OPTION_LETTERS) {
    if (row.cells[letter] !== undefined) options[letter] = optText(row, letter);
  }
  if (Object.values(options).every((o) => o === null)) throw new RowError('A', 'the row has no options (columns A, B, … are all empty)');
  const category = optText(row, 'category');
  const l2 = optText(row, 'l2-category') ?? optText(row, 'L2-category');
  const split = optText(row, 'split');
  const references: Record<string, unknown> = { index, question, hint, ...options };
  if (ctx.hasAnswers) {
    const answer = text(row, 'answer');
    if (!/^[A-Z]$/.test(answer) || options[answer] === undefined || options[answer] === null) {
      throw new RowError('answer', `column "answer" must be the letter of one of the row's options, got ${JSON.stringify(answer)}`);
    }
    references['answer'] = answer;
  }
  if (category !== null) references['category'] = category;
  if (l2 !== null) references['l2-category'] = l2;
  if (split !== null) references['split'] = split;
  const categories: Record<string, string> = {};
  if (category !== null) categories['category'] = category;
  if (l2 !== null) categories['l2-category'] = l2;
  const extra: Record<string, unknown> = {};
  if (!ctx.hasAnswers) extra['hasAnswers'] = false;
  for (const key of ['source', 'comment']) {
    const value = optText(row, key);
    if (value !== null) extra[key] = value;
  }
  return {
    id: String(index),
    question,
    images: [...(row.images['image'] ?? [])],
    prompt: { bench: 'mmbench', question, hint, options },
    references,
    categories,
    extra,
  };
}

export const mmbenchAdapter: BenchAdapter = {
  bench: 'mmbench',
  splits: ['dev', 'test'],
  defaultSplit: 'dev',
  configs: ['en', 'cn'],
  defaultConfig: 'en',
  hasAnswers: (split) => split !== 'test',
  hf: {
    repo: dataCatalog.hf.repo,
    siblingConfigs: ['en', 'cn', 'cc'],
    hfConfig: (config) => config ?? 'en',
    hfSplit: (split) => split,
    required: ['index', 'question', 'A', 'B', 'image'],
    answerColumns: ['answer'],
    optional: ['answer', 'hint', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'category', 'L2-category', 'l2-category', 'split', 'source', 'comment'],
    imageColumns: ['image'],
  },
  tsv: {
    names: (split, config) => [`MMBench_${split.toUpperCase()}_${(config ?? 'en').toUpperCase()}`],
    required: ['question', 'A', 'B'],
    answerColumns: ['answer'],
  },
  official: {
    kind: 'tsv',
    describe: 'the official release TSVs (mmbench_dev_20230712.tsv, mmbench_dev_en_20231003.tsv, mmbench_dev_cn_20231003.tsv, mmbench_test_…), which have VLMEvalKit\'s columns',
    patterns: (split, config) =>
      (config ?? 'en') === 'cn'
        ? [new RegExp(`^mmbench_${split}_cn_[0-9]{8}\\.tsv$`, 'i')]
        : [new RegExp(`^mmbench_${split}_en_[0-9]{8}\\.tsv$`, 'i'), new RegExp(`^mmbench_${split}_[0-9]{8}\\.tsv$`, 'i')],
  },
  toSample,
  idOf: (row) => idOf(row),
};
