// The checks verify-scorers runs against tests/fixtures/vectors/vcr_scoring.jsonl: difflib.ratio,
// vcr.blank and vcr.aggregate, one label per VCR profile; tokens come from each vector's own token table.
import type { VectorChecks, VectorInput } from '../../verify/markers.js';
import { blankMeans, scoreSample, type Tokenize, type VcrProfile } from './score.js';
import { sequenceMatcherRatio } from './sequence-matcher.js';

const LABELS: Record<string, VcrProfile> = { lmms_eval: 'lmms-eval', vlmevalkit: 'vlmevalkit', official: 'official' };

function str(input: VectorInput, key: string): string {
  const v = input[key];
  if (typeof v !== 'string') throw new Error(`vcr vector: "${key}" must be a string`);
  return v;
}

/** The vector's token table as a tokenizer; a text missing from it is an error, never a guess. */
function tableTokenizer(input: VectorInput): Tokenize {
  const table = input['tokens'];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new Error('vcr vector: "tokens" must be an object');
  return (text) => {
    const toks = (table as Record<string, unknown>)[text];
    if (!Array.isArray(toks) || !toks.every((t): t is string => typeof t === 'string')) {
      throw new Error(`vcr vector: no token list for ${JSON.stringify(text)}`);
    }
    return toks;
  };
}

function blank(input: VectorInput, profile: VcrProfile): Record<string, unknown> {
  const [b] = scoreSample(str(input, 'prediction'), [str(input, 'crossed_text')], profile, tableTokenizer(input));
  return { exact_match: b.exactMatch, jaccard: b.jaccard, max_sim_val: b.maxSimVal, max_sim_string: b.maxSimString };
}

function aggregate(input: VectorInput, profile: VcrProfile): Record<string, unknown> {
  const samples = input['samples'];
  if (!Array.isArray(samples)) throw new Error('vcr vector: "samples" must be a list');
  const tokenize = tableTokenizer(input);
  const scored = samples.map((s: unknown) => {
    const rec = s as Record<string, unknown>;
    const crossed = rec['crossed_text'];
    if (typeof rec['prediction'] !== 'string' || !Array.isArray(crossed)) throw new Error('vcr vector: bad sample');
    return scoreSample(rec['prediction'], crossed as string[], profile, tokenize);
  });
  const t = blankMeans(scored);
  return { exact_match: t.exactMatch, jaccard: t.jaccard, blanks: t.blanks };
}

export const vectorChecks: VectorChecks = {
  'difflib.ratio': { python: (input) => sequenceMatcherRatio(str(input, 'a'), str(input, 'b')) },
  'vcr.blank': Object.fromEntries(Object.entries(LABELS).map(([label, p]) => [label, (input: VectorInput) => blank(input, p)])),
  'vcr.aggregate': Object.fromEntries(Object.entries(LABELS).map(([label, p]) => [label, (input: VectorInput) => aggregate(input, p)])),
};
