// Every scorer-vector check, merged: metric name → label → function (used by verify-scorers).
// The Python-semantics checks are shared; each benchmark module brings its own.
import { BENCHMARKS } from '../../benchmarks/registry.js';
import type { VectorChecks } from '../markers.js';
import { vectorChecks as py } from './py.js';

function merge(...parts: VectorChecks[]): VectorChecks {
  const out: VectorChecks = {};
  for (const part of parts) {
    for (const [metric, labels] of Object.entries(part)) {
      if (out[metric]) throw new Error(`vector metric "${metric}" is defined by two modules`);
      out[metric] = labels;
    }
  }
  return out;
}

export const ALL_VECTOR_CHECKS: VectorChecks = merge(py, ...BENCHMARKS.map((m) => m.vectorChecks));
