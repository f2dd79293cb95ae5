// The messages between the onnx engine's main thread and its inference worker (worker.ts).
import type { KvLocation } from './batch-kv.js';
import type { ExecutionProvider } from './execution-provider.js';
import type { GraphRole, OnnxModelInfo } from './model-dir.js';

/** What the worker needs to know about the model (no tokenizer: the main thread tokenises). */
export type WorkerModelInfo = Pick<
  OnnxModelInfo,
  'dir' | 'graphs' | 'numLayers' | 'numKvHeads' | 'headDim' | 'hiddenSize' | 'vocabSize' | 'imageTokens' | 'imageSize' | 'maxPositionEmbeddings'
>;

export interface InitMessage {
  type: 'init';
  model: WorkerModelInfo;
  ep: ExecutionProvider;
  threads: number;
  /** Sequences decoded together (continuous batching; 1 = one request at a time). */
  maxBatch: number;
  /** Where the KV cache stays between decoder steps. */
  kvLocation: KvLocation;
}

export interface GenerateMessage {
  type: 'generate';
  id: number;
  inputIds: number[];
  positionIds: number[];
  visionExpertMask: Uint8Array;
  /** Index of the first image slot, when the prompt has an image. */
  imageOffset: number | null;
  image: { bytes: Uint8Array; origin: string } | null;
  maxNewTokens: number;
  stopTokenIds: number[];
  /** Return the logits of the first generated token (goldens). */
  captureFirstLogits: boolean;
}

export interface CancelMessage {
  type: 'cancel';
  id: number;
}

export interface CloseMessage {
  type: 'close';
}

export type ToWorker = InitMessage | GenerateMessage | CancelMessage | CloseMessage;

/** Milliseconds spent in each phase of one request, measured in the worker. */
export interface WorkerTimings {
  preprocessMs: number;
  visionMs: number;
  embedMs: number;
  /** The decoder's prefill run. */
  prefillMs: number;
  /** Wall time of the decode steps after the first token (batched steps and KV repacking it took part in; not other requests' prefill). */
  decodeMs: number;
  /** Time inside session.run (embed + decoder) during those steps (a batched step counts whole for each of its rows). */
  decodeRunMs: number;
  /** Time of reading the greedy token (the decoder's next_token output) during the decode loop (outside session.run). */
  decodeArgmaxMs: number;
  decodeSteps: number;
  /** The most sequences decoded together in one step while this request was decoding (0: no step). */
  maxBatch: number;
  /** From the worker taking the request to its end. */
  totalMs: number;
}

export interface ReadyMessage {
  type: 'ready';
  graphs: Record<GraphRole, { inputs: string[]; outputs: string[] }>;
}

export interface InitErrorMessage {
  type: 'init-error';
  /** `config`: a provider or graph problem the user must fix; `internal`: anything else. */
  kind: 'config' | 'input' | 'internal';
  message: string;
}

/** Newly generated tokens: the first one at once, then batched (at most one message per ~10 ms). */
export interface TokenMessage {
  type: 'token';
  id: number;
  tokens: number[];
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface DoneMessage {
  type: 'done';
  id: number;
  tokens: number[];
  finishReason: FinishReason;
  timings: WorkerTimings;
  firstLogits?: Float32Array;
}

export interface FailedMessage {
  type: 'failed';
  id: number;
  /** `image`: the image could not be decoded; `run`: onnxruntime failed. */
  kind: 'image' | 'run';
  message: string;
}

export type FromWorker = ReadyMessage | InitErrorMessage | TokenMessage | DoneMessage | FailedMessage;
