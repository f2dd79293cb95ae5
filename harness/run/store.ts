// Writing and repairing a run directory (runs/<run-id>/): append-only JSON Lines with torn-line
// repair for resume, and which prediction of a sample counts. The files' format is run-format.ts.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import { jsonlRows, type PredictionLine } from './run-format.js';


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
 * Reads a JSON Lines file written by appends (streamed by jsonlRows, run-format.ts). A last line
 * without its newline, or one that is not valid JSON, is a write torn by a crash: it is cut off the
 * file (when `repair`) and ignored. A bad line in the middle is corruption, reported with its line number.
 */
export function readJsonlRepairing<T>(path: string, repair: boolean): JsonlRead<T> {
  const rows: T[] = [];
  const it = jsonlRows(path);
  let r = it.next();
  for (; !r.done; r = it.next()) rows.push(r.value.row as T);
  const { tornBytes, intactBytes } = r.value;
  if (tornBytes > 0 && repair) truncateTo(path, intactBytes);
  return { rows, tornBytes };
}

/** Cuts a torn last line off an append-only JSON Lines file (resume); returns its bytes (0: intact). */
export function repairTornLine(path: string): number {
  const it = jsonlRows(path);
  let r = it.next();
  while (!r.done) r = it.next();
  if (r.value.tornBytes > 0) truncateTo(path, r.value.intactBytes);
  return r.value.tornBytes;
}

/** Cuts a file to its first `bytes` bytes (a torn last line off an append-only file). */
export function truncateTo(path: string, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
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

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * The predictions that count: per (bench, id) the last successful line. Lines with an error are
 * kept apart (a later successful line supersedes them).
 */
export function latestPredictions(rows: Iterable<PredictionLine>): {
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
