// The OCRBench benchmark module (1,000 OCR items, reported as points out of 1000): everything
// cogeval knows about it, in one object.
import { goldText, ITEM_UNITS, NO_JUDGE, questionOnlyPrompts, questionPromptChecks } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { ocrbenchAdapter } from './dataset.js';
import settings from './prompts.json' with { type: 'json' };
import { ocrbenchScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const ocrbenchPrompts = questionOnlyPrompts('ocrbench', settings, 'strip');

export const ocrbench: BenchmarkModule<'ocrbench', QuestionSample> = {
  id: 'ocrbench',
  title: 'OCRBench',
  reportedKey: 'ocrbench',
  hiddenAnswers: null,
  dataset: ocrbenchAdapter,
  dataCatalog,
  scorer: ocrbenchScorer as BenchScorer<unknown>,
  prompts: ocrbenchPrompts,
  judge: NO_JUDGE,
  units: ITEM_UNITS,
  referenceText: (refs) => ({ gold: refs['answer'] !== undefined ? goldText(refs, 'answer') : goldText(refs, 'answers'), options: '' }),
  importing: {
    lmmsEvalPrinted: { metric: 'ocrbench_accuracy', percent: false },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: false,
    authorsOutput: null,
  },
  vectorChecks: { ...vectorChecks, ...questionPromptChecks('ocrbench', ocrbenchPrompts) },
};
