// The MM-Vet benchmark module (free-form answers graded by an LLM judge): everything cogeval knows
// about it, in one object.
import { goldText, ITEM_UNITS, questionOnlyPrompts, questionPromptChecks } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { mmvetAdapter } from './dataset.js';
import { isMmvetCapScoreFile } from './import-files.js';
import { mmvetJudge } from './judge.js';
import settings from './prompts.json' with { type: 'json' };
import { mmvetScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const mmvetPrompts = questionOnlyPrompts('mmvet', settings, 'as-is');

/** How `cogeval import` names the files of the benchmark's own evaluator. */
const AUTHORS_OUTPUT = 'MM-Vet evaluator files';

export const mmvet: BenchmarkModule<'mmvet', QuestionSample> = {
  id: 'mmvet',
  title: 'MM-Vet',
  reportedKey: 'mmvet',
  hiddenAnswers: null,
  dataset: mmvetAdapter,
  dataCatalog,
  scorer: mmvetScorer as BenchScorer<unknown>,
  prompts: mmvetPrompts,
  judge: mmvetJudge,
  units: ITEM_UNITS,
  referenceText: (refs) => ({ gold: goldText(refs, 'answer'), options: '' }),
  importing: {
    lmmsEvalPrinted: { metric: 'gpt_eval_score', percent: true },
    vlmevalkitJudgeSheet: true,
    vlmevalkitIdColumn: false,
    authorsOutput: {
      source: 'mmvet',
      title: AUTHORS_OUTPUT,
      ownsSheetFile: isMmvetCapScoreFile,
      read: async (files) => (await import('./import.js')).readMmvet(files, AUTHORS_OUTPUT),
    },
  },
  vectorChecks: { ...vectorChecks, ...questionPromptChecks('mmvet', mmvetPrompts) },
};
