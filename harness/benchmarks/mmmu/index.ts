// The MMMU benchmark module (college-level multiple-choice and open questions over 30 subjects):
// everything cogeval knows about it, in one object.
import { asText, goldText, ITEM_UNITS } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { MmmuSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { mmmuAdapter } from './dataset.js';
import { mmmuPrompts } from './prompts.js';
import { mmmuScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

/** How `cogeval import` names the files of the benchmark's own evaluator. */
const AUTHORS_OUTPUT = "MMMU authors' output";

export const mmmu: BenchmarkModule<'mmmu', MmmuSample> = {
  id: 'mmmu',
  title: 'MMMU',
  reportedKey: 'mmmu',
  hiddenAnswers: null,
  dataset: mmmuAdapter,
  dataCatalog,
  scorer: mmmuScorer as BenchScorer<unknown>,
  prompts: mmmuPrompts,
  judge: {
    // The exact-matching heuristics decide every item; only VLMEvalKit's llm mode names a judge,
    // and only when --judge-model gives one (cogeval does not run its MMMU judge calls).
    alwaysNeeded: false,
    tasks: () => [],
    modelFor: (profile, judgeMode, override) => (judgeMode === 'llm' && profile === 'vlmevalkit' ? (override ?? null) : null),
  },
  units: ITEM_UNITS,
  referenceText(refs) {
    const opts = refs['options'];
    const list = Array.isArray(opts) ? opts.map(asText) : typeof opts === 'string' ? [opts] : [];
    const options = list.length === 1 && list[0].startsWith('[') ? list[0] : list.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`).join('   ');
    return { gold: goldText(refs, 'answer'), options };
  },
  importing: {
    lmmsEvalPrinted: { metric: 'mmmu_acc', percent: false },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: true,
    authorsOutput: {
      source: 'mmmu',
      title: AUTHORS_OUTPUT,
      ownsSheetFile: () => false,
      read: async (files) => (await import('./import.js')).readMmmu(files, AUTHORS_OUTPUT),
    },
  },
  vectorChecks,
};
