// The benchmark → scorer map (from the benchmark modules) and profile resolution (unknown names list the valid ones).
import { ConfigError } from '../errors.js';
import { BENCHMARKS, BENCH_IDS, type BenchId } from '../benchmarks/registry.js';
import type { BenchScorer } from './scorer.js';
import type { JudgeMode, ProfileId } from './types.js';

/**
 * Each benchmark module's scorer, by id. Each scorer's Item type is private to its module; only
 * the items its own parseRecord produced are ever handed to it, so erasing the type is safe.
 */
export const SCORERS = Object.fromEntries(BENCHMARKS.map((m) => [m.id, m.scorer])) as Record<BenchId, BenchScorer<unknown>>;

/** A benchmark name as typed, compared without case, spaces, '-' or '_' (MM-Vet, mm_vet → mmvet). */
function benchKey(name: string): string {
  return name.trim().toLowerCase().replace(/[-_ ]/g, '');
}

export function resolveBench(name: string): BenchId {
  // Both sides are normalised, so an id with a separator (e.g. vcr_easy) resolves too.
  const found = BENCH_IDS.find((id) => benchKey(id) === benchKey(name));
  if (found !== undefined) return found;
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
