// The shape of tests/fixtures/tiny-model/goldens.json (written by tools/export/make_tiny.py),
// shared by the exporter tests and the onnx engine tests.

/** One recorded decode step: the top logits, summary statistics and a strided sample. */
export interface GoldenStep {
  top_ids: number[];
  top_values: number[];
  sum: number;
  l2: number;
  sample_stride: number;
  samples: number[];
}

/** One prompt/image pair with its PyTorch outputs. */
export interface GoldenPair {
  name: string;
  image: string | null;
  question: string;
  prompt: string;
  text_ids: number[];
  input_ids: number[];
  position_ids: number[];
  image_size?: [number, number];
  pixels?: { shape: number[]; sum: number; sum_sq: number; sha256: string };
  image_embeds?: { shape: number[]; sum: number; l2: number; rows: Record<string, number[]> };
  steps: GoldenStep[];
  greedy_tokens: number[];
  greedy_stopped: boolean;
  top1_top2_margins: number[];
}

export interface Goldens {
  greedy_steps: number;
  logit_steps: number;
  pairs: GoldenPair[];
}
