// The TextVQA benchmark module (VQA accuracy against ten human answers): everything cogeval
// knows about it, in one object.
import { goldText, ITEM_UNITS, NO_JUDGE, questionOnlyPrompts, questionPromptChecks } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { textvqaAdapter } from './dataset.js';
import settings from './prompts.json' with { type: 'json' };
import { textvqaScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const textvqaPrompts = questionOnlyPrompts('textvqa', settings, 'capitalize');

export const textvqa: BenchmarkModule<'textvqa', QuestionSample> = {
  id: 'textvqa',
  title: 'TextVQA',
  reportedKey: 'textvqa',
  hiddenAnswers: null,
  dataset: textvqaAdapter,
  dataCatalog,
  scorer: textvqaScorer as BenchScorer<unknown>,
  prompts: textvqaPrompts,
  judge: NO_JUDGE,
  units: ITEM_UNITS,
  referenceText: (refs) => ({ gold: goldText(refs, 'answers'), options: '' }),
  importing: {
    lmmsEvalPrinted: { metric: 'exact_match', percent: false },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: false,
    authorsOutput: null,
  },
  vectorChecks: { ...vectorChecks, ...questionPromptChecks('textvqa', textvqaPrompts) },
};
