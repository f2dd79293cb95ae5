// The prompt builders' data, hashed into every run's configuration so a changed prompt string or
// generation limit is never mixed into an old run: each protocol's head (configs/protocols/*.json)
// with the benchmark modules' settings for that protocol (harness/benchmarks/<id>/prompts.json).
import cogvlm2 from '../../configs/protocols/cogvlm2.json' with { type: 'json' };
import lmmsEval from '../../configs/protocols/lmms-eval.json' with { type: 'json' };
import lmmsEval2024 from '../../configs/protocols/lmms-eval-2024-05.json' with { type: 'json' };
import vlmevalkit from '../../configs/protocols/vlmevalkit.json' with { type: 'json' };
import vlmevalkit2024 from '../../configs/protocols/vlmevalkit-2024-05.json' with { type: 'json' };
import officialMmmu from '../../configs/protocols/official-mmmu.json' with { type: 'json' };
import { BENCHMARKS } from '../benchmarks/registry.js';
import type { BenchmarkModule } from '../benchmarks/types.js';
import type { BenchId } from '../metrics/types.js';
import type { ProtocolId } from '../protocols/types.js';

interface ProtocolHead {
  /**
   * The benchmarks every hash includes, in the order the protocol files listed them when each
   * file held every benchmark's settings. Kept so that the hash (and the fingerprint of every
   * existing run) did not change when the settings moved into the benchmark modules, and does not
   * change when a benchmark is added: a benchmark not listed is hashed only into the runs that
   * include it, after the listed ones. Not itself hashed.
   */
  benchmarkOrder: readonly string[];
}

/** The modules whose settings a run over `benches` hashes, in hash order. */
function hashedModules(head: ProtocolHead, benches: readonly BenchId[]): BenchmarkModule[] {
  const listed = head.benchmarkOrder.flatMap((id) => BENCHMARKS.filter((m) => m.id === id));
  const added = BENCHMARKS.filter((m) => !head.benchmarkOrder.includes(m.id) && benches.includes(m.id));
  return [...listed, ...added];
}

function protocolSection(head: ProtocolHead & Record<string, unknown>, protocol: ProtocolId, benches: readonly BenchId[]): Record<string, unknown> {
  const { benchmarkOrder: _order, ...hashed } = head;
  return { ...hashed, benchmarks: Object.fromEntries(hashedModules(head, benches).map((m) => [m.id, m.prompts.settings[protocol]])) };
}

function officialSection(benches: readonly BenchId[]): Record<string, unknown> {
  const { benchmarkOrder: _order, ...hashed } = officialMmmu;
  const sections = hashedModules(officialMmmu, benches).flatMap((m) => (m.prompts.settings.official ? [[m.id, m.prompts.settings.official] as const] : []));
  return { ...hashed, ...Object.fromEntries(sections) };
}

/** The prompt configuration a run over `benches` hashes (run/runner.ts promptTemplateHash). */
export function promptConfigs(benches: readonly BenchId[]): Record<string, unknown> {
  return {
    cogvlm2: protocolSection(cogvlm2, 'cogvlm2', benches),
    lmmsEval: protocolSection(lmmsEval, 'lmms-eval', benches),
    lmmsEval2024: protocolSection(lmmsEval2024, 'lmms-eval@2024-05', benches),
    vlmevalkit: protocolSection(vlmevalkit, 'vlmevalkit', benches),
    vlmevalkit2024: protocolSection(vlmevalkit2024, 'vlmevalkit@2024-05', benches),
    officialMmmu: officialSection(benches),
  };
}
