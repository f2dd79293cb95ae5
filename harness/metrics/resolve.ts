// Name resolution shared by the registry and the fast `score` path (which must not load the
// registry): benchmark-name normalisation, a scorer's profile by name, the judge mode.
import { ConfigError } from '../errors.js';
import type { BenchScorer } from './scorer.js';
import type { JudgeMode, ProfileId } from './types.js';

/** A benchmark name as typed, compared without case, spaces, '-' or '_' (MM-Vet, mm_vet → mmvet). */
function benchKey(name: string): string {
  return name.trim().toLowerCase().replace(/[-_ ]/g, '');
}

/** The id among `ids` a typed benchmark name means (both sides normalised, so vcr_easy resolves too). */
export function benchNamed<B extends string>(ids: readonly B[], name: string): B {
  const found = ids.find((id) => benchKey(id) === benchKey(name));
  if (found !== undefined) return found;
  throw new ConfigError(`unknown benchmark "${name}"; valid benchmarks: ${ids.join(', ')}`);
}

/** "textvqa, docvqa, … or vcr_hard": benchmark ids for help texts. */
export function idsInWords(ids: readonly string[]): string {
  return `${ids.slice(0, -1).join(', ')} or ${ids[ids.length - 1]}`;
}

/** The profile `name` means for a scorer (its default when absent); unknown names list the valid ones. */
export function profileOf(bench: string, scorer: BenchScorer<unknown>, name: string | undefined): ProfileId {
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
