// The prompt builders' data, hashed into every run's configuration so a changed prompt string or
// generation limit is never mixed into an old run: each protocol's head (configs/protocols/*.json)
// with every benchmark module's settings for that protocol (harness/benchmarks/<id>/prompts.json).
import cogvlm2 from '../../configs/protocols/cogvlm2.json' with { type: 'json' };
import lmmsEval from '../../configs/protocols/lmms-eval.json' with { type: 'json' };
import lmmsEval2024 from '../../configs/protocols/lmms-eval-2024-05.json' with { type: 'json' };
import vlmevalkit from '../../configs/protocols/vlmevalkit.json' with { type: 'json' };
import vlmevalkit2024 from '../../configs/protocols/vlmevalkit-2024-05.json' with { type: 'json' };
import officialMmmu from '../../configs/protocols/official-mmmu.json' with { type: 'json' };
import { BENCHMARKS } from '../benchmarks/registry.js';
import type { ProtocolId } from '../protocols/types.js';

interface ProtocolHead {
  protocol: string;
  reference: string;
  /**
   * The order of the benchmarks in this protocol's section of the hash, as it was when each
   * protocol file held every benchmark's settings: kept so that the hash (and the fingerprint of
   * every existing run) did not change when the settings moved into the benchmark modules.
   * Benchmarks not listed follow in registry order. Not itself hashed.
   */
  benchmarkOrder: readonly string[];
}

function protocolSection(head: ProtocolHead, protocol: ProtocolId): Record<string, unknown> {
  const { benchmarkOrder, ...hashed } = head;
  const rank = (id: string): number => {
    const i = benchmarkOrder.indexOf(id);
    return i === -1 ? benchmarkOrder.length : i;
  };
  const modules = [...BENCHMARKS].sort((a, b) => rank(a.id) - rank(b.id));
  return { ...hashed, benchmarks: Object.fromEntries(modules.map((m) => [m.id, m.prompts.settings[protocol]])) };
}

function officialSection(): Record<string, unknown> {
  const sections = BENCHMARKS.flatMap((m) => (m.prompts.settings.official ? [[m.id, m.prompts.settings.official] as const] : []));
  return { ...officialMmmu, ...Object.fromEntries(sections) };
}

export default {
  cogvlm2: protocolSection(cogvlm2, 'cogvlm2'),
  lmmsEval: protocolSection(lmmsEval, 'lmms-eval'),
  lmmsEval2024: protocolSection(lmmsEval2024, 'lmms-eval@2024-05'),
  vlmevalkit: protocolSection(vlmevalkit, 'vlmevalkit'),
  vlmevalkit2024: protocolSection(vlmevalkit2024, 'vlmevalkit@2024-05'),
  officialMmmu: officialSection(),
};
