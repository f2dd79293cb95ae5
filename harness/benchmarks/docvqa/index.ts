// The DocVQA benchmark module (ANLS over document images; the test split is scored by the RRC
// server): everything cogeval knows about it, in one object.
import { goldText, ITEM_UNITS, NO_JUDGE, questionOnlyPrompts, questionPromptChecks } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { docvqaAdapter } from './dataset.js';
import settings from './prompts.json' with { type: 'json' };
import { docvqaScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const docvqaPrompts = questionOnlyPrompts('docvqa', settings, 'as-is');

export const docvqa: BenchmarkModule<'docvqa', QuestionSample> = {
  id: 'docvqa',
  title: 'DocVQA',
  reportedKey: 'docvqa',
  hiddenAnswers: { scoredBy: 'the RRC server (rrc.cvc.uab.es)', useSplit: 'validation' },
  dataset: docvqaAdapter,
  dataCatalog,
  scorer: docvqaScorer as BenchScorer<unknown>,
  prompts: docvqaPrompts,
  judge: NO_JUDGE,
  units: ITEM_UNITS,
  referenceText: (refs) => ({ gold: goldText(refs, 'answers'), options: '' }),
  importing: {
    lmmsEvalPrinted: { metric: 'anls', percent: false },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: false,
    authorsOutput: null,
  },
  vectorChecks: { ...vectorChecks, ...questionPromptChecks('docvqa', docvqaPrompts) },
};
