// Protocol vocabulary: protocol ids, generation settings, and the sample fields prompt builders read.
import type { BenchId } from '../metrics/types.js';

/**
 * How the model is prompted and decoded. `lmms-eval` / `vlmevalkit` reproduce what that harness
 * sends to CogVLM2 at the revision of the scorer profile with the same name (scoring.md §1);
 * the `@2024-05` variants are the revisions current when CogVLM2 was published. `cogvlm2` is
 * the model's own chat-template usage with cogeval's per-benchmark instructions (cogvlm2.json).
 */
export const PROTOCOL_IDS = ['cogvlm2', 'lmms-eval', 'lmms-eval@2024-05', 'vlmevalkit', 'vlmevalkit@2024-05'] as const;
export type ProtocolId = (typeof PROTOCOL_IDS)[number];

export function isProtocolId(x: string): x is ProtocolId {
  return (PROTOCOL_IDS as readonly string[]).includes(x);
}

/** Decoding settings of one request, in Hugging Face `generate` terms. */
export interface GenerationSettings {
  maxNewTokens: number;
  temperature: number;
  doSample: boolean;
  topP?: number;
  topK?: number;
}

/** The prompt fields of a benchmark whose prompt is built from the question alone. */
export interface QuestionSample {
  bench: BenchId;
  question: string;
}

/** MMMU fields (HF `MMMU/MMMU`): `options` already parsed from its Python list literal (parseMmmuOptions). */
export interface MmmuSample {
  bench: BenchId;
  question: string;
  /** `multiple-choice` or `open`; anything else is treated as open, as every reference does. */
  questionType: string;
  options: readonly string[];
}

/**
 * A missing table cell (pandas NaN, Python None) is `null`; an absent key counts the same.
 * Literal strings such as `"nan"` are kept as text here: each builder applies its harness's rule.
 */
export type CellValue = string | null | undefined;

/** MMBench row fields: the option columns by letter (`A`…), and the hint. */
export interface MmbenchSample {
  bench: BenchId;
  question: string;
  hint: CellValue;
  options: Readonly<Record<string, CellValue>>;
}

/** What a benchmark's prompt builders read (each module reads its own shape). */
export type PromptSample = QuestionSample | MmmuSample | MmbenchSample;
