// The ONNX graph contract the engine is written against (tools/export/CONTRACT.md): input and
// output names, element types and shapes of vision.onnx, embed_tokens.onnx and decoder.onnx, and
// the check of a loaded session's metadata against it (one message per mismatch).
import type { GraphRole, OnnxModelInfo } from './model-dir.js';

export type ElementType = 'float32' | 'int64' | 'bool';

/** One expected input or output: null dims are dynamic (any size). */
export interface IoSpec {
  name: string;
  type: ElementType;
  dims: readonly (number | null)[];
}

export interface GraphSpec {
  inputs: IoSpec[];
  outputs: IoSpec[];
}

/** What a session reports about one input or output (ORT's ValueMetadata, structurally). */
export interface IoMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

export function pastKeyName(layer: number, kind: 'key' | 'value'): string {
  return `past_key_values.${layer}.${kind}`;
}

export function presentName(layer: number, kind: 'key' | 'value'): string {
  return `present.${layer}.${kind}`;
}

/** The decoder output holding the greedy token (ArgMax of the last position's logits), int64 [1, 1]. */
export const NEXT_TOKEN = 'next_token';

/** The contract's graphs for a model of the given sizes. */
export function expectedGraphs(m: Pick<OnnxModelInfo, 'numLayers' | 'numKvHeads' | 'headDim' | 'hiddenSize' | 'vocabSize' | 'imageTokens' | 'imageSize'>): Record<GraphRole, GraphSpec> {
  const h = m.hiddenSize;
  const past: IoSpec[] = [];
  const present: IoSpec[] = [];
  for (let i = 0; i < m.numLayers; i++) {
    for (const kind of ['key', 'value'] as const) {
      past.push({ name: pastKeyName(i, kind), type: 'float32', dims: [1, m.numKvHeads, null, m.headDim] });
      present.push({ name: presentName(i, kind), type: 'float32', dims: [1, m.numKvHeads, null, m.headDim] });
    }
  }
  return {
    vision: {
      inputs: [{ name: 'pixel_values', type: 'float32', dims: [1, 3, m.imageSize, m.imageSize] }],
      outputs: [{ name: 'image_embeds', type: 'float32', dims: [1, m.imageTokens, h] }],
    },
    embed: {
      inputs: [{ name: 'input_ids', type: 'int64', dims: [1, null] }],
      outputs: [{ name: 'inputs_embeds', type: 'float32', dims: [1, null, h] }],
    },
    decoder: {
      inputs: [
        { name: 'inputs_embeds', type: 'float32', dims: [1, null, h] },
        { name: 'vision_expert_mask', type: 'bool', dims: [1, null] },
        { name: 'position_ids', type: 'int64', dims: [1, null] },
        { name: 'attention_mask', type: 'int64', dims: [1, null] },
        ...past,
      ],
      outputs: [{ name: 'logits', type: 'float32', dims: [1, null, m.vocabSize] }, { name: NEXT_TOKEN, type: 'int64', dims: [1, 1] }, ...present],
    },
  };
}

function fmtDims(dims: readonly (number | string | null)[]): string {
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function checkSide(side: 'input' | 'output', expected: readonly IoSpec[], actual: readonly IoMetadata[]): string[] {
  const problems: string[] = [];
  const byName = new Map(actual.map((a) => [a.name, a]));
  const wanted = new Set(expected.map((e) => e.name));
  const missing = expected.filter((e) => !byName.has(e.name)).map((e) => e.name);
  const extra = actual.filter((a) => !wanted.has(a.name)).map((a) => a.name);
  const list = (names: string[]): string => (names.length > 6 ? `${names.slice(0, 6).join(', ')} … (${names.length} in all)` : names.join(', '));
  if (missing.length > 0) problems.push(`missing ${side}(s) ${list(missing)}`);
  if (extra.length > 0) problems.push(`unexpected ${side}(s) ${list(extra)}`);
  for (const e of expected) {
    const a = byName.get(e.name);
    if (a === undefined) continue;
    if (!a.isTensor) {
      problems.push(`${side} ${e.name} is not a tensor`);
      continue;
    }
    if (a.type !== undefined && a.type !== e.type) problems.push(`${side} ${e.name} has element type ${a.type}, expected ${e.type}`);
    const shape = a.shape;
    // An empty shape means ORT does not know it; only a known shape can be checked.
    if (shape === undefined || shape.length === 0) continue;
    if (shape.length !== e.dims.length) {
      problems.push(`${side} ${e.name} has rank ${shape.length} ${fmtDims(shape)}, expected rank ${e.dims.length} ${fmtDims(e.dims)}`);
      continue;
    }
    e.dims.forEach((want, i) => {
      const got = shape[i];
      if (want !== null && typeof got === 'number' && got >= 0 && got !== want) {
        problems.push(`${side} ${e.name} has dimension ${i} = ${got}, expected ${want} (shape ${fmtDims(shape)}, expected ${fmtDims(e.dims)})`);
      }
    });
  }
  return problems;
}

/** Every way a graph's inputs and outputs differ from the contract ([] when they match). */
export function checkGraphIo(expected: GraphSpec, actual: { inputs: readonly IoMetadata[]; outputs: readonly IoMetadata[] }): string[] {
  const problems = [...checkSide('input', expected.inputs, actual.inputs), ...checkSide('output', expected.outputs, actual.outputs)];
  const isDecoder = expected.outputs.some((o) => o.name === NEXT_TOKEN);
  if (isDecoder && actual.outputs.some((o) => o.name === 'logits') && !actual.outputs.some((o) => o.name === NEXT_TOKEN)) {
    problems.push(
      `no ${NEXT_TOKEN} output: this decoder was exported before the contract added it (the greedy token computed inside the graph); ` +
        're-export the model with `cogeval export` (tools/export)',
    );
  }
  return problems;
}
