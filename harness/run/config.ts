// What determines a run's predictions (RunConfig), its fingerprint, a readable diff between two
// configurations, the run id, and the harness provenance (version, git commit, host).
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../util/hash.js';
import { isJsonObject } from '../util/json-guards.js';
import type { BenchId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import type { GenerationSettings, ProtocolId } from '../protocols/types.js';
import { VERSION } from '../version.js';

export interface DatasetProvenance {
  source: string;
  description: string;
  revision: string;
  /** Samples in the dataset (before --limit and --shard). */
  count: number;
}

export interface RunConfig {
  model: {
    name: string;
    hfId: string;
    revision: string | null;
    variant: string;
    servedModel: string;
    /** `--reported-row`: the registry model whose README row this run is compared with. */
    reportedAs?: string;
  };
  benches: BenchId[];
  protocol: ProtocolId;
  template: string;
  decoding: string;
  generation: Partial<Record<BenchId, GenerationSettings>>;
  /** sha256 over the prompt builders' configuration (protocol strings and settings). */
  promptTemplateHash: string;
  datasets: Partial<Record<BenchId, DatasetProvenance>>;
  engine: { kind: string; server: string };
  /**
   * What answers (checked on resume like everything here): the model id the server lists and
   * requests name, or the onnx model directory's model_id and content hash; whether it says its
   * weights are random. null for an engine that cannot tell (test engines).
   */
  identity?: { model: string; randomWeights: boolean; contentHash: string | null } | null;
  shard: { index: number; count: number } | null;
  limit: number | null;
}

export function fingerprint(config: RunConfig): string {
  return sha256Hex(canonicalJson(config)).slice(0, 16);
}

/** Lists the leaf paths whose values differ, e.g. `generation.docvqa.maxNewTokens: 32 → 64`. */
export function configDiff(a: unknown, b: unknown, path = ''): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => configDiff(a[k], b[k], path ? `${path}.${k}` : k));
  }
  const shown = (v: unknown): string => (v === undefined ? 'absent' : canonicalJson(v));
  return [`${path || '(root)'}: ${shown(a)} → ${shown(b)}`];
}

/** A readable, stable run id: model, benchmarks, protocol (and shard). */
export function defaultRunId(config: RunConfig): string {
  const benches = BENCH_IDS.every((b) => config.benches.includes(b)) ? 'all' : config.benches.join('+');
  const shard = config.shard ? `-shard${config.shard.index}of${config.shard.count}` : '';
  const limit = config.limit !== null ? `-limit${config.limit}` : '';
  return `${config.model.name}-${benches}-${config.protocol.replace('@', '_')}${limit}${shard}`;
}

export interface HarnessProvenance {
  version: string;
  gitCommit: string | null;
  node: string;
  host: string;
}

export function harnessProvenance(): HarnessProvenance {
  let gitCommit: string | null = null;
  try {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    gitCommit = null; // not a git checkout (an npm install): the version identifies the code
  }
  return { version: VERSION, gitCommit, node: process.version, host: hostname() };
}
