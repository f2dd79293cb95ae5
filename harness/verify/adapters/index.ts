// Every vector adapter, merged: metric name → label → function (used by verify-scorers).
import type { VectorAdapters } from '../markers.js';
import { adapters as py } from './py.js';
import { adapters as textvqa } from './textvqa.js';
import { adapters as docvqa } from './docvqa.js';
import { adapters as chartqa } from './chartqa.js';
import { adapters as ocrbench } from './ocrbench.js';
import { adapters as mmmu } from './mmmu.js';
import { adapters as mmvet } from './mmvet.js';
import { adapters as mmbench } from './mmbench.js';
import { adapters as prompts } from './prompts.js';

function merge(...parts: VectorAdapters[]): VectorAdapters {
  const out: VectorAdapters = {};
  for (const part of parts) {
    for (const [metric, labels] of Object.entries(part)) {
      if (out[metric]) throw new Error(`vector metric "${metric}" is defined by two adapters`);
      out[metric] = labels;
    }
  }
  return out;
}

export const ALL_ADAPTERS: VectorAdapters = merge(py, textvqa, docvqa, chartqa, ocrbench, mmmu, mmvet, mmbench, prompts);
