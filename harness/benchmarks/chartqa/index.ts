// The ChartQA benchmark module (relaxed accuracy over charts): everything cogeval knows about it,
// in one object.
import { goldText, ITEM_UNITS, NO_JUDGE, questionOnlyPrompts, questionPromptChecks } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { chartqaAdapter } from './dataset.js';
import settings from './prompts.json' with { type: 'json' };
import { chartqaScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const chartqaPrompts = questionOnlyPrompts('chartqa', settings, 'as-is');

export const chartqa: BenchmarkModule<'chartqa', QuestionSample> = {
  id: 'chartqa',
  title: 'ChartQA',
  reportedKey: 'chartqa',
  hiddenAnswers: null,
  dataset: chartqaAdapter,
  dataCatalog,
  scorer: chartqaScorer as BenchScorer<unknown>,
  prompts: chartqaPrompts,
  judge: NO_JUDGE,
  units: ITEM_UNITS,
  referenceText: (refs) => ({ gold: goldText(refs, 'answer'), options: '' }),
  importing: {
    lmmsEvalPrinted: { metric: 'relaxed_overall', percent: false },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: false,
    authorsOutput: null,
  },
  vectorChecks: { ...vectorChecks, ...questionPromptChecks('chartqa', chartqaPrompts) },
};
