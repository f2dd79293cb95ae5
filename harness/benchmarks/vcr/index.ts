// The two VCR benchmark modules (Visual Caption Restoration, English easy and hard test sets):
// one folder, two BenchmarkModule objects that share the adapter, scorer, prompts and vectors.
import { ITEM_UNITS, NO_JUDGE } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { QuestionSample } from '../../protocols/types.js';
import { makeVcrAdapter, type VcrDifficulty } from './adapter.js';
import easyCatalog from './data-easy.json' with { type: 'json' };
import hardCatalog from './data-hard.json' with { type: 'json' };
import { vcrPrompts, vcrReferenceText } from './prompts.js';
import { makeVcrScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

function vcrModule<B extends 'vcr_easy' | 'vcr_hard'>(id: B, difficulty: VcrDifficulty, dataCatalog: unknown): BenchmarkModule<B, QuestionSample> {
  return {
    id,
    // The column titles of the CogVLM2 table.
    title: difficulty === 'easy' ? 'VCR_EASY' : 'VCR_HARD',
    reportedKey: id,
    hiddenAnswers: null,
    dataset: makeVcrAdapter(id, difficulty),
    dataCatalog,
    dataCatalogFile: `harness/benchmarks/vcr/data-${difficulty}.json`,
    scorer: makeVcrScorer(id) as BenchScorer<unknown>,
    prompts: vcrPrompts(id),
    judge: NO_JUDGE,
    units: ITEM_UNITS,
    referenceText: (refs) => ({ gold: vcrReferenceText(refs), options: '' }),
    importing: {
      // Not read: the metric names lmms-eval's vcr_wiki_en_* results print were not checked here.
      lmmsEvalPrinted: null,
      vlmevalkitJudgeSheet: false,
      vlmevalkitIdColumn: false,
      authorsOutput: null,
    },
    // Both modules score with the same functions; the metric names are defined once (easy).
    vectorChecks: difficulty === 'easy' ? vectorChecks : {},
  };
}

export const vcrEasy = vcrModule('vcr_easy', 'easy', easyCatalog);
export const vcrHard = vcrModule('vcr_hard', 'hard', hardCatalog);
