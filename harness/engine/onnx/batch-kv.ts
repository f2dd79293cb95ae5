// The decoder's KV cache for a batch of sequences: per layer key/value tensors [B, KV, S, D] with
// every row left-padded (its valid columns at the right end, zeros before them, masked out by
// attention_mask), repacked when rows join or leave, and disposed as soon as they are replaced.
import type { Tensor } from 'onnxruntime-node';
import type { OrtModule } from './execution-provider.js';

/**
 * Where the decoder's present.* outputs live between steps: `host` (onnxruntime-node copies every
 * output to host memory: the CPU and CUDA providers) or `gpu-buffer` (WebGPU buffers, fed back as
 * the next step's past without a host copy; on the CPU provider onnxruntime yields CPU tensors).
 */
export type KvLocation = 'host' | 'gpu-buffer';

/** The KV location a provider gets by default: device buffers where onnxruntime-node can keep them (WebGPU), else host memory. */
export function defaultKvLocation(ep: string): KvLocation {
  return ep === 'webgpu' ? 'gpu-buffer' : 'host';
}

export interface KvBatch {
  /** 2 × layers float32 tensors [rows, KV, seqLen, D] in past order: layer 0 key, layer 0 value, layer 1 key, … */
  tensors: Tensor[];
  /** Valid columns of each row (≤ seqLen): row r's are its last lengths[r] columns. */
  lengths: number[];
  seqLen: number;
}

/** Row `row` of `kv`. */
export interface KvRow {
  kv: KvBatch;
  row: number;
}

export interface KvShape {
  kvHeads: number;
  headDim: number;
}

/**
 * A new batch of the given rows in that order, each left-padded to the longest (padding is zeros).
 * Reads the sources with getData() — a download for device tensors — and does not dispose them.
 */
export async function packRows(ort: Pick<OrtModule, 'Tensor'>, rows: readonly KvRow[], shape: KvShape): Promise<KvBatch> {
  if (rows.length === 0) throw new Error('packRows needs at least one row');
  const { kvHeads: KV, headDim: D } = shape;
  const lengths = rows.map((r) => r.kv.lengths[r.row]);
  const seqLen = Math.max(...lengths);
  const B = rows.length;
  const tensorCount = rows[0].kv.tensors.length;
  const tensors: Tensor[] = [];
  for (let j = 0; j < tensorCount; j++) {
    const out = new Float32Array(B * KV * seqLen * D);
    for (let b = 0; b < B; b++) {
      const { kv, row } = rows[b];
      const len = lengths[b];
      if (len === 0) continue;
      const src = (await kv.tensors[j].getData()) as Float32Array;
      const S = kv.seqLen;
      for (let h = 0; h < KV; h++) {
        const from = ((row * KV + h) * S + (S - len)) * D;
        out.set(src.subarray(from, from + len * D), ((b * KV + h) * seqLen + (seqLen - len)) * D);
      }
    }
    tensors.push(new ort.Tensor('float32', out, [B, KV, seqLen, D]));
  }
  return { tensors, lengths, seqLen };
}

/** attention_mask [rows, seqLen + added]: 0 over each row's padding, 1 over its valid and the `added` new columns. */
export function attentionMask(kv: Pick<KvBatch, 'lengths' | 'seqLen'>, added: number): BigInt64Array {
  const width = kv.seqLen + added;
  const mask = new BigInt64Array(kv.lengths.length * width);
  kv.lengths.forEach((len, r) => mask.fill(1n, r * width + (kv.seqLen - len), (r + 1) * width));
  return mask;
}

/** Releases the batch's tensors (device buffers at once; host tensors become unusable, which catches a use after release). */
export function disposeKv(kv: KvBatch): void {
  for (const t of kv.tensors) t.dispose();
  kv.tensors = [];
}
