// The MMBench benchmark module (multiple choice, scored by circular groups of rotated options;
// the test split is scored by its submission server): everything cogeval knows about it.
import { asText, goldText } from '../common.js';
import type { BenchmarkModule } from '../types.js';
import type { BenchScorer } from '../../metrics/scorer.js';
import type { MmbenchSample } from '../../protocols/types.js';
import dataCatalog from './data.json' with { type: 'json' };
import { mmbenchAdapter } from './dataset.js';
import { mmbenchJudge } from './judge.js';
import { mmbenchPrompts } from './prompts.js';
import { CIRCULAR_STRIDE, mmbenchScorer } from './scorer.js';
import { vectorChecks } from './vector-checks.js';

export const mmbench: BenchmarkModule<'mmbench', MmbenchSample> = {
  id: 'mmbench',
  title: 'MMBench',
  reportedKey: 'mmbench',
  hiddenAnswers: { scoredBy: 'the MMBench submission server', useSplit: 'dev' },
  dataset: mmbenchAdapter,
  dataCatalog,
  scorer: mmbenchScorer as BenchScorer<unknown>,
  prompts: mmbenchPrompts,
  judge: mmbenchJudge,
  units: {
    // Judge tasks are keyed by the row index; a circular group is the index mod 1,000,000.
    judgeKey: (rec) => String(rec['index'] ?? rec['id']),
    unitOf: (judgeKey) => String(Number(judgeKey) % CIRCULAR_STRIDE),
    // The circular group, read from the sample id (the MMBench index); a row whose id is not an
    // index falls back to its position, as for every other benchmark.
    shardUnit: (sample) => (/^\d+$/.test(sample.id) ? Number(sample.id) % CIRCULAR_STRIDE : sample.index),
  },
  referenceText(refs) {
    const letters = 'ABCDEFGHI'.split('').filter((l) => refs[l] !== undefined && refs[l] !== null && refs[l] !== 'NaN');
    const hint = refs['hint'];
    const options = letters.map((l) => `${l}. ${asText(refs[l])}`).join('   ');
    return { gold: goldText(refs, 'answer'), options: typeof hint === 'string' && hint !== '' && hint !== 'NaN' ? `${options}   (hint: ${hint})` : options };
  },
  importing: {
    lmmsEvalPrinted: { metric: 'gpt_eval_score', percent: true },
    vlmevalkitJudgeSheet: false,
    vlmevalkitIdColumn: false,
    authorsOutput: null,
  },
  vectorChecks,
};
