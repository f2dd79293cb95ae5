// The benchmark → scorer registry and profile resolution (unknown names list the valid ones).
import { ConfigError } from '../errors.js';
import type { BenchScorer } from './scorer.js';
import { BENCH_IDS, type BenchId, type JudgeMode, type ProfileId } from './types.js';
import { textvqaScorer } from './textvqa.js';
import { docvqaScorer } from './docvqa.js';
import { chartqaScorer } from './chartqa.js';
import { ocrbenchScorer } from './ocrbench.js';
import { mmmuScorer } from './mmmu.js';
import { mmvetScorer } from './mmvet.js';
import { mmbenchScorer } from './mmbench.js';

/**
 * Each scorer's Item type is private to its module; the registry only ever hands a scorer the
 * items its own parseRecord produced, so erasing the type to unknown here is safe.
 */
export const SCORERS: Record<BenchId, BenchScorer<unknown>> = {
  textvqa: textvqaScorer as BenchScorer<unknown>,
  docvqa: docvqaScorer as BenchScorer<unknown>,
  chartqa: chartqaScorer as BenchScorer<unknown>,
  ocrbench: ocrbenchScorer as BenchScorer<unknown>,
  mmmu: mmmuScorer as BenchScorer<unknown>,
  mmvet: mmvetScorer as BenchScorer<unknown>,
  mmbench: mmbenchScorer as BenchScorer<unknown>,
};

export function resolveBench(name: string): BenchId {
  const id = name.trim().toLowerCase().replace(/[-_ ]/g, '');
  if ((BENCH_IDS as readonly string[]).includes(id)) return id as BenchId;
  throw new ConfigError(`unknown benchmark "${name}"; valid benchmarks: ${BENCH_IDS.join(', ')}`);
}

export function resolveProfile(bench: BenchId, name: string | undefined): ProfileId {
  const scorer = SCORERS[bench];
  if (name === undefined || name === '' || name === 'default') return scorer.defaultProfile;
  if ((scorer.profiles as readonly string[]).includes(name)) return name as ProfileId;
  throw new ConfigError(
    `unknown profile "${name}" for ${bench}; valid profiles: ${scorer.profiles.join(', ')} (default ${scorer.defaultProfile})`,
  );
}

export function resolveJudgeMode(name: string | undefined): JudgeMode {
  if (name === undefined || name === 'exact-matching' || name === 'none') return 'exact-matching';
  if (name === 'llm') return 'llm';
  throw new ConfigError(`unknown judge mode "${name}"; valid modes: exact-matching, llm`);
}
