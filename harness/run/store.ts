// The run directory (runs/<run-id>/): run.json provenance, append-only predictions.jsonl with
// torn-line repair for resume, the judge cache, scores.json, samples.jsonl and throughput.json.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { BenchId } from '../metrics/types.js';

export const RUN_FORMAT_VERSION = 1;

export const RUN_FILES = {
  manifest: 'run.json',
  predictions: 'predictions.jsonl',
  judge: 'judge.jsonl',
  scores: 'scores.json',
  samples: 'samples.jsonl',
  throughput: 'throughput.json',
} as const;

/** One finished (or failed) sample, as appended to predictions.jsonl. */
export interface PredictionLine {
  bench: BenchId;
  id: string;
  index: number;
  /** sha256 of the exact text and generation settings sent, first 16 hex digits. */
  promptHash: string;
  /** The raw model output ('' when `error` is set). */
  prediction: string;
  /** The sample's references in the benchmark's predictions schema (rescoring needs no dataset). */
  references: Record<string, unknown>;
  question?: string;
  categories?: Record<string, string | string[]>;
  promptTokens?: number;
  outputTokens?: number;
  finishReason?: string;
  ttftMs?: number;
  latencyMs?: number;
  totalMs?: number;
  attempts?: number;
  endpoint?: string;
  /** Set when no prediction could be produced: the sample is reported as failed, never scored. */
  error?: { kind: string; message: string; status?: number };
  /** Epoch ms when the line was written. */
  at: number;
}

export function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InputError(`${path} is not valid JSON (${(err as Error).message})`);
  }
}

export interface JsonlRead<T> {
  rows: T[];
  /** Bytes of a torn last line that were cut off (0 when the file was intact). */
  tornBytes: number;
}

/**
 * Reads a JSON Lines file written by appends. A last line without its newline, or one that is not
 * valid JSON, is a write torn by a crash: it is cut off the file (when `repair`) and ignored.
 * A bad line in the middle is corruption, reported with its line number.
 */
export function readJsonlRepairing<T>(path: string, repair: boolean): JsonlRead<T> {
  if (!existsSync(path)) return { rows: [], tornBytes: 0 };
  const buf = readFileSync(path);
  const lastNewline = buf.lastIndexOf(0x0a);
  const intactEnd = lastNewline + 1;
  let tornBytes = buf.length - intactEnd;
  const text = buf.subarray(0, intactEnd).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // the empty string after the final newline
  const rows: T[] = [];
  let goodEnd = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineBytes = Buffer.byteLength(line) + 1;
    if (line.trim() === '') {
      goodEnd += lineBytes;
      continue;
    }
    try {
      rows.push(JSON.parse(line) as T);
      goodEnd += lineBytes;
    } catch (err) {
      if (i === lines.length - 1 && tornBytes === 0) {
        // A complete-looking last line that does not parse: torn mid-write before the newline.
        tornBytes = buf.length - goodEnd;
        break;
      }
      throw new InputError(`${path}:${i + 1}: not valid JSON (${(err as Error).message}); the run file is damaged — move the run aside or fix that line`);
    }
  }
  if (tornBytes > 0 && repair) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, goodEnd);
    } finally {
      closeSync(fd);
    }
  }
  return { rows, tornBytes };
}

/** An append-only JSONL writer: one write() per line, so a kill loses at most the line in flight. */
export class JsonlAppender {
  private fd: number | null;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }
  append(row: unknown): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(row) + '\n');
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export function runPath(dir: string, file: keyof typeof RUN_FILES): string {
  return join(dir, RUN_FILES[file]);
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * The predictions that count: per (bench, id) the last successful line. Lines with an error are
 * kept apart (a later successful line supersedes them).
 */
export function latestPredictions(rows: readonly PredictionLine[]): {
  done: Map<string, PredictionLine>;
  failed: Map<string, PredictionLine>;
  duplicates: number;
} {
  const done = new Map<string, PredictionLine>();
  const failed = new Map<string, PredictionLine>();
  let duplicates = 0;
  for (const row of rows) {
    const key = predictionKey(row.bench, row.id);
    if (row.error) {
      if (!done.has(key)) failed.set(key, row);
      continue;
    }
    if (done.has(key)) duplicates++;
    done.set(key, row);
    failed.delete(key);
  }
  return { done, failed, duplicates };
}

export function predictionKey(bench: string, id: string): string {
  return `${bench}\u0000${id}`;
}
