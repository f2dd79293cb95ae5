// The on-disk format of a run directory, in one place: the file names, the version of each file
// kind, the types of run.json, predictions.jsonl, scores.json and throughput.json, their
// validators, the refusal of versions this cogeval does not know, the in-memory migration of older
// files, and readRun() (run.json + scores.json + throughput.json; predictions streamed on demand).
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { BenchScore, CategoryScore } from '../metrics/aggregate.js';
import type { Interval } from '../metrics/stats.js';
import { type BenchId, type ItemStatus, type JudgeMode, type ProfileId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import type { EngineIdentity } from '../engine/types.js';
import { isJsonObject, type JsonObject } from '../util/json-guards.js';
import { VERSION } from '../version.js';
import type { HarnessProvenance, RunConfig } from './config.js';

// ---------------------------------------------------------------------------------------------
// Files and versions

export const RUN_FILES = {
  manifest: 'run.json',
  predictions: 'predictions.jsonl',
  judge: 'judge.jsonl',
  scores: 'scores.json',
  samples: 'samples.jsonl',
  throughput: 'throughput.json',
} as const;

export type RunFileKind = keyof typeof RUN_FILES;

export function runPath(dir: string, file: RunFileKind): string {
  return join(dir, RUN_FILES[file]);
}

/**
 * run.json's `formatVersion`. predictions.jsonl and judge.jsonl carry no version of their own: they
 * are read as the version their run.json names (a run directory is written by one cogeval).
 */
export const RUN_FORMAT_VERSION = 1;
/** scores.json's `formatVersion`; samples.jsonl is written by the same scoring and read with it. */
export const SCORES_FORMAT_VERSION = 1;
// throughput.json has no version field: it is a measurement, rewritten by every session. A file
// without `sessions` (written before every session was kept) is read as that one session.

/** A run file in a version this cogeval cannot read (a newer cogeval wrote it), or not a run file at all. Exit 2. */
export class RunFormatError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'RunFormatError';
  }
}

type Migration = (raw: JsonObject) => JsonObject;

/**
 * Per file kind, the step from version n to n + 1, applied in memory when an older file is read
 * (files on disk are never rewritten by a reader). Version 1 is the first: nothing to migrate yet.
 */
const MIGRATIONS: Record<'manifest' | 'scores', Record<number, Migration>> = { manifest: {}, scores: {} };

/** Checks `formatVersion` and migrates an older file to the current version; refuses unknown versions. */
function upToDate(raw: JsonObject, path: string, kind: 'manifest' | 'scores'): JsonObject {
  const current = kind === 'manifest' ? RUN_FORMAT_VERSION : SCORES_FORMAT_VERSION;
  const file = RUN_FILES[kind];
  const reads = `this cogeval (${VERSION}) reads ${file} formatVersion ${current}${current > 1 ? ` and migrates 1–${current - 1}` : ''}`;
  const v = raw['formatVersion'];
  if (v === undefined) throw new RunFormatError(`${path}: no "formatVersion"; ${reads}; is this a cogeval run directory?`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RunFormatError(`${path}: formatVersion ${JSON.stringify(v)} is not a version; ${reads}`);
  if (v > current) throw new RunFormatError(`${path}: formatVersion ${v} was written by a newer cogeval; ${reads} — upgrade cogeval to read this run`);
  let out = raw;
  for (let k = v; k < current; k++) {
    const step = MIGRATIONS[kind][k];
    if (!step) throw new RunFormatError(`${path}: formatVersion ${v} cannot be migrated; ${reads}`);
    out = { ...step(out), formatVersion: k + 1 };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Types

/** run.json: what made the run (configuration, harness, engine) and its sessions. */
export interface RunManifest {
  formatVersion: number;
  id: string;
  fingerprint: string;
  config: RunConfig;
  harness: HarnessProvenance;
  /** Engine provenance (endpoint hosts, settings; never keys). */
  engine: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  /** One per eval session; `endpoints`: the hosts that session's pre-flight found serving the model. */
  sessions: { startedAt: string; endedAt?: string; requested: number; failed: number; resumedFrom: number; host: string; endpoints?: string[] }[];
  /** Items with several images of which only the first was sent (CogVLM2 takes one image). */
  multiImageItems: Partial<Record<BenchId, number>>;
  /** Samples per benchmark in a sharded run's selection (after --limit and --shard), once streamed whole. */
  shardSelected?: Partial<Record<BenchId, number>>;
  /**
   * What answered, per session's pre-flight: every endpoint's host and the models it listed, the
   * onnx model directory, and the model ids the responses named (with counts). Absent in runs
   * written before identity was recorded (readers fall back to config.model.servedModel).
   */
  identity?: { endpoints: EngineIdentity['endpoints']; modelDir?: string; responseModels: Record<string, number> };
  /** Set by `cogeval merge`: the shard runs this run was made from. */
  mergedFrom?: string[];
  /** MM-Vet grading runs per item (eval --judge-runs N); absent = 1. Not part of the config fingerprint. */
  judgeRuns?: number;
}

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

export interface BenchRunScore {
  /** The score under the benchmark's chosen profile (default unless --profile). */
  primary: BenchScore;
  /** The same predictions under every profile (the scorer-sensitivity view). */
  profiles: BenchScore[];
  /** Samples in the run's selection, predicted, failed (no prediction), and not yet run. */
  samples: { selected: number; predicted: number; failed: number; missing: number };
  failedByKind: Record<string, number>;
  /** Items with several images of which only the first was sent. */
  multiImageItems: number;
  /** Judge calls that failed after their retries (their items are excluded, never scored 0). */
  judgeFailures: number;
  /** The judge model whose cached replies the primary score used (null: no judge involved). */
  judgeModel: string | null;
}

/** scores.json. */
export interface RunScores {
  formatVersion: number;
  runId: string;
  scoredAt: string;
  judgeMode: JudgeMode;
  benches: Partial<Record<BenchId, BenchRunScore>>;
  /** Benchmarks whose predictions cannot be scored (e.g. a test split without public answers), with why. */
  unscored?: Partial<Record<BenchId, string>>;
  /** Benchmarks of the run with no prediction at all (every sample failed, or none run yet): the counts. */
  noPredictions?: Partial<Record<BenchId, { selected: number; failed: number; missing: number; failedByKind: Record<string, number> }>>;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  n: number;
}

export interface Throughput {
  wallSeconds: number;
  requests: number;
  completed: number;
  errors: number;
  retries: number;
  samplesPerSecond: number;
  outputTokens: number;
  outputTokensPerSecond: number;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
  errorsByKind: Record<string, number>;
}

/** One session's measurement, as kept in throughput.json's `sessions`. */
export type SessionThroughput = Throughput & { session: string; engine: string };

/** throughput.json: the combined measurement of the sessions that did work, and every session. */
export type ThroughputFile = Throughput & { session: string; engine: string; sessions: SessionThroughput[] };

/** The statuses a samples.jsonl line may have: the scorer's, and `failed` (no prediction). */
export const SAMPLE_STATUSES: readonly (ItemStatus | 'failed')[] = ['scored', 'random_fallback', 'needs_judge', 'judge_failed', 'not_applicable', 'failed'];

/** One scored unit of samples.jsonl (failed samples have status 'failed' and no value). */
export interface SampleLine {
  bench: BenchId;
  id: string;
  value: number | null;
  status: ItemStatus | 'failed';
  categories: Record<string, string | string[]>;
  detail?: Record<string, unknown>;
  question?: string;
  prediction?: string;
  references?: Record<string, unknown>;
  error?: { kind: string; message: string };
}

// ---------------------------------------------------------------------------------------------
// Validators: each names the field that is wrong

/** A field of a run file that does not have the shape this cogeval writes. */
export class FieldError extends Error {}

const isBench = (v: unknown): v is BenchId => typeof v === 'string' && (BENCH_IDS as readonly string[]).includes(v);

/** A number, or NaN for JSON's null (scores.json stores NaN as null). */
function num(v: unknown, where: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') throw new FieldError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new FieldError(`${where}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function obj(v: unknown, where: string): JsonObject {
  if (!isJsonObject(v)) throw new FieldError(`${where}: expected an object`);
  return v;
}

function interval(v: unknown, where: string): Interval {
  const o = obj(v, where);
  const method = o['method'] === 'wilson' ? 'wilson' : 'bootstrap';
  return { lo: num(o['lo'], `${where}.lo`), hi: num(o['hi'], `${where}.hi`), method };
}

function benchScore(v: unknown, bench: BenchId, where: string): BenchScore {
  const o = obj(v, where);
  const countsRaw = obj(o['counts'], `${where}.counts`);
  const counts: Record<ItemStatus, number> = { scored: 0, random_fallback: 0, needs_judge: 0, judge_failed: 0, not_applicable: 0 };
  for (const k of Object.keys(counts) as ItemStatus[]) counts[k] = countsRaw[k] === undefined ? 0 : num(countsRaw[k], `${where}.counts.${k}`);
  const byCategory: Record<string, Record<string, CategoryScore>> = {};
  for (const [key, labels] of Object.entries(obj(o['byCategory'] ?? {}, `${where}.byCategory`))) {
    byCategory[key] = {};
    for (const [label, c] of Object.entries(obj(labels, `${where}.byCategory.${key}`))) {
      const w = `${where}.byCategory.${key}.${label}`;
      const co = obj(c, w);
      byCategory[key][label] = { value: num(co['value'], `${w}.value`), n: num(co['n'], `${w}.n`), ci: interval(co['ci'], `${w}.ci`) };
    }
  }
  return {
    bench,
    profile: str(o['profile'], `${where}.profile`) as ProfileId,
    judgeMode: o['judgeMode'] === 'llm' ? 'llm' : 'exact-matching',
    scale: o['scale'] === 'points1000' ? 'points1000' : 'percent',
    fraction: num(o['fraction'], `${where}.fraction`),
    value: num(o['value'], `${where}.value`),
    display: str(o['display'], `${where}.display`),
    ci: interval(o['ci'], `${where}.ci`),
    n: num(o['n'], `${where}.n`),
    counts,
    byCategory,
  };
}

/** One benchmark's entry of scores.json; fields added after version 1 was first written default (judgeModel null, counts 0). */
export function checkBenchRunScore(v: unknown, bench: BenchId, where: string): BenchRunScore {
  const o = obj(v, where);
  const profilesRaw = o['profiles'];
  if (!Array.isArray(profilesRaw)) throw new FieldError(`${where}.profiles: expected a list`);
  const samples = obj(o['samples'], `${where}.samples`);
  const failedByKind: Record<string, number> = {};
  for (const [k, n] of Object.entries(obj(o['failedByKind'] ?? {}, `${where}.failedByKind`))) failedByKind[k] = num(n, `${where}.failedByKind.${k}`);
  return {
    primary: benchScore(o['primary'], bench, `${where}.primary`),
    profiles: profilesRaw.map((p, i) => benchScore(p, bench, `${where}.profiles[${i}]`)),
    samples: {
      selected: num(samples['selected'], `${where}.samples.selected`),
      predicted: num(samples['predicted'], `${where}.samples.predicted`),
      failed: num(samples['failed'], `${where}.samples.failed`),
      missing: num(samples['missing'], `${where}.samples.missing`),
    },
    failedByKind,
    multiImageItems: o['multiImageItems'] === undefined ? 0 : num(o['multiImageItems'], `${where}.multiImageItems`),
    judgeFailures: o['judgeFailures'] === undefined ? 0 : num(o['judgeFailures'], `${where}.judgeFailures`),
    judgeModel: typeof o['judgeModel'] === 'string' ? o['judgeModel'] : null,
  };
}

/** The fields of run.json every reader relies on; throws FieldError naming the first one that is wrong. */
function checkManifestFields(o: JsonObject): void {
  str(o['id'], 'field "id"');
  const config = obj(o['config'], 'field "config"');
  const model = obj(config['model'], 'field "config.model"');
  str(model['name'], 'field "config.model.name"');
  str(config['protocol'], 'field "config.protocol"');
  if (!Array.isArray(config['benches']) || !config['benches'].every(isBench)) throw new FieldError(`field "config.benches": expected a list of ${BENCH_IDS.join(', ')}`);
  obj(config['datasets'] ?? {}, 'field "config.datasets"');
  if (o['sessions'] !== undefined && !Array.isArray(o['sessions'])) throw new FieldError('field "sessions": expected a list');
  obj(o['multiImageItems'] ?? {}, 'field "multiImageItems"');
}

/** Checks one predictions.jsonl line. */
export function checkPredictionLine(v: unknown): PredictionLine {
  const o = obj(v, 'the line');
  if (!isBench(o['bench'])) throw new FieldError(`field "bench": expected one of ${BENCH_IDS.join(', ')}`);
  str(o['id'], 'field "id"');
  num(o['index'], 'field "index"');
  str(o['prediction'], 'field "prediction"');
  obj(o['references'], 'field "references"');
  if (o['error'] !== undefined) str(obj(o['error'], 'field "error"')['message'], 'field "error.message"');
  return o as unknown as PredictionLine; // checked above: the fields scoring and resume read
}

/** Checks one samples.jsonl line (an id written as a number is read as its string). */
export function checkSampleLine(v: unknown): SampleLine {
  const o = obj(v, 'line');
  if (!isBench(o['bench'])) throw new FieldError(`field "bench": expected one of ${BENCH_IDS.join(', ')}`);
  const id = o['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw new FieldError('field "id": expected a string or number');
  const status = o['status'];
  if (typeof status !== 'string' || !(SAMPLE_STATUSES as readonly string[]).includes(status)) throw new FieldError(`field "status": expected one of ${SAMPLE_STATUSES.join(', ')}`);
  const value = o['value'];
  if (value !== null && (typeof value !== 'number' || !(value >= 0 && value <= 1))) throw new FieldError('field "value": expected a number in [0, 1] or null');
  const categories: Record<string, string | string[]> = {};
  if (o['categories'] !== undefined && o['categories'] !== null) {
    for (const [k, c] of Object.entries(obj(o['categories'], 'field "categories"'))) {
      if (typeof c === 'string' || (Array.isArray(c) && c.every((x) => typeof x === 'string'))) categories[k] = c;
      else throw new FieldError(`field "categories.${k}": expected a string or a list of strings`);
    }
  }
  const optString = (k: string): string | undefined => {
    const x = o[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'string') throw new FieldError(`field "${k}": expected a string`);
    return x;
  };
  const s: SampleLine = { bench: o['bench'], id: String(id), value, status: status as SampleLine['status'], categories, question: optString('question'), prediction: optString('prediction') };
  if (isJsonObject(o['detail'])) s.detail = o['detail'];
  if (isJsonObject(o['references'])) s.references = o['references'];
  if (isJsonObject(o['error'])) s.error = { kind: String(o['error']['kind'] ?? 'unknown'), message: String(o['error']['message'] ?? '') };
  return s;
}

function percentilesOf(v: unknown, where: string): Percentiles | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, where);
  return { p50: num(o['p50'], `${where}.p50`), p90: num(o['p90'], `${where}.p90`), p99: num(o['p99'], `${where}.p99`), n: num(o['n'], `${where}.n`) };
}

function throughputOf(o: JsonObject, where: string): Throughput {
  const errorsByKind: Record<string, number> = {};
  for (const [k, n] of Object.entries(obj(o['errorsByKind'] ?? {}, `${where}errorsByKind`))) errorsByKind[k] = num(n, `${where}errorsByKind.${k}`);
  return {
    wallSeconds: num(o['wallSeconds'], `${where}wallSeconds`),
    requests: num(o['requests'], `${where}requests`),
    completed: num(o['completed'], `${where}completed`),
    errors: num(o['errors'], `${where}errors`),
    retries: num(o['retries'], `${where}retries`),
    samplesPerSecond: num(o['samplesPerSecond'], `${where}samplesPerSecond`),
    outputTokens: num(o['outputTokens'], `${where}outputTokens`),
    outputTokensPerSecond: num(o['outputTokensPerSecond'], `${where}outputTokensPerSecond`),
    latencyMs: percentilesOf(o['latencyMs'], `${where}latencyMs`),
    ttftMs: percentilesOf(o['ttftMs'], `${where}ttftMs`),
    errorsByKind,
  };
}

/**
 * Checks throughput.json and migrates the older shape (one session's numbers, no `sessions`) to
 * the current one (that session as the only entry of `sessions`).
 */
export function checkThroughput(v: unknown): ThroughputFile {
  const o = obj(v, 'throughput.json');
  const top = throughputOf(o, '');
  const session = typeof o['session'] === 'string' ? o['session'] : 'unknown';
  const engine = typeof o['engine'] === 'string' ? o['engine'] : 'unknown';
  const sessions = Array.isArray(o['sessions'])
    ? o['sessions'].map((s, i): SessionThroughput => {
        const so = obj(s, `sessions[${i}]`);
        return { ...throughputOf(so, `sessions[${i}].`), session: String(so['session'] ?? 'unknown'), engine: String(so['engine'] ?? 'unknown') };
      })
    : [{ ...top, session, engine }];
  return { ...top, session, engine, sessions };
}

// ---------------------------------------------------------------------------------------------
// Readers

function parseJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FieldError(`not valid JSON (${(err as Error).message})`);
  }
}

/** Reads run.json: version checked (a newer one refused, an older one migrated) and the fields readers rely on. */
export function readManifest(dir: string): RunManifest {
  const path = runPath(dir, 'manifest');
  if (!existsSync(path)) throw new InputError(`${dir}: not a run directory (no ${RUN_FILES.manifest}); give a directory made by cogeval eval`);
  try {
    const o = upToDate(obj(parseJsonFile(path), 'the file'), path, 'manifest');
    checkManifestFields(o);
    return { ...o, multiImageItems: o['multiImageItems'] ?? {}, sessions: o['sessions'] ?? [] } as unknown as RunManifest;
  } catch (err) {
    if (err instanceof FieldError) throw new RunFormatError(`${path}: ${err.message}; is this a cogeval run directory?`);
    throw err;
  }
}

/**
 * Reads scores.json (null when the run was never scored). Its version is always checked (an
 * unknown one is refused). A benchmark entry that does not check is an InputError naming the file
 * and field, or, when `problems` is given, listed there and left out (the report shows the rest).
 */
export function readScores(dir: string, problems?: string[]): RunScores | null {
  const path = runPath(dir, 'scores');
  if (!existsSync(path)) return null;
  const rescore = `re-create it with: cogeval rescore ${dir}`;
  let raw: JsonObject;
  try {
    raw = upToDate(obj(parseJsonFile(path), 'scores.json'), path, 'scores');
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    if (!problems) throw new RunFormatError(`${path}: ${err.message}; ${rescore}`);
    problems.push(`${path}: ${err.message}; its scores are left out (${rescore})`);
    return null;
  }
  const benches: Partial<Record<BenchId, BenchRunScore>> = {};
  for (const [bench, v] of Object.entries(isJsonObject(raw['benches']) ? raw['benches'] : {})) {
    if (!isBench(bench)) {
      if (!problems) throw new RunFormatError(`${path}: benches.${bench}: unknown benchmark; valid: ${BENCH_IDS.join(', ')}`);
      problems.push(`${path}: benches.${bench}: unknown benchmark, left out`);
      continue;
    }
    try {
      benches[bench] = checkBenchRunScore(v, bench, `benches.${bench}`);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      if (!problems) throw new RunFormatError(`${path}: ${err.message}; ${rescore}`);
      problems.push(`${path}: ${err.message}; ${bench} is left out (${rescore})`);
    }
  }
  const unscored: Partial<Record<BenchId, string>> = {};
  if (isJsonObject(raw['unscored'])) for (const [b, why] of Object.entries(raw['unscored'])) if (isBench(b) && typeof why === 'string') unscored[b] = why;
  const scores: RunScores = {
    formatVersion: SCORES_FORMAT_VERSION,
    runId: typeof raw['runId'] === 'string' ? raw['runId'] : '',
    scoredAt: typeof raw['scoredAt'] === 'string' ? raw['scoredAt'] : '',
    judgeMode: raw['judgeMode'] === 'llm' ? 'llm' : 'exact-matching',
    benches,
    unscored,
  };
  if (isJsonObject(raw['noPredictions'])) scores.noPredictions = raw['noPredictions'] as RunScores['noPredictions'];
  return scores;
}

/** Reads throughput.json (null when absent), migrated to the current shape; a damaged file is listed in `problems` and left out. */
export function readThroughput(dir: string, problems: string[]): ThroughputFile | null {
  const path = runPath(dir, 'throughput');
  if (!existsSync(path)) return null;
  try {
    return checkThroughput(parseJsonFile(path));
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    problems.push(`${path}: ${err.message}; throughput is left out`);
    return null;
  }
}

/** What a JSON Lines scan found after its last row: bytes of a torn last line (a write cut by a crash), and where the intact part ends. */
export interface JsonlEnd {
  tornBytes: number;
  intactBytes: number;
}

/**
 * Streams a JSON Lines file written by appends, one parsed row at a time (1 MiB reads; the file
 * never sits in memory whole). A last line without its newline, or a last line that is not valid
 * JSON, is a write torn by a crash: it is not yielded, and the generator's return value says how
 * many bytes it has. A bad line in the middle is corruption: an InputError naming file and line.
 */
export function* jsonlRows(path: string): Generator<{ row: unknown; line: number }, JsonlEnd, undefined> {
  if (!existsSync(path)) return { tornBytes: 0, intactBytes: 0 };
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // bytes of the file consumed into complete lines
  let goodEnd = 0; // end of the last good line
  let lineNo = 0;
  let pending: { line: number; message: string } | null = null;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let chunk: Buffer = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        const text = chunk.toString('utf8', start, nl);
        offset += nl + 1 - start;
        start = nl + 1;
        lineNo++;
        if (pending) throw new InputError(`${path}:${pending.line}: not valid JSON (${pending.message}); the run file is damaged — move the run aside or fix that line`);
        if (text.trim() === '') {
          goodEnd = offset;
          continue;
        }
        let row: unknown;
        try {
          row = JSON.parse(text);
        } catch (err) {
          // Corruption, unless it is the last line (a write torn before its newline): decided by what follows.
          pending = { line: lineNo, message: (err as Error).message };
          continue;
        }
        goodEnd = offset;
        yield { row, line: lineNo };
      }
      chunk = chunk.subarray(start);
      carry = Buffer.from(chunk);
    }
  } finally {
    closeSync(fd);
  }
  if (pending && carry.length > 0) throw new InputError(`${path}:${pending.line}: not valid JSON (${pending.message}); the run file is damaged — move the run aside or fix that line`);
  return { tornBytes: offset + carry.length - goodEnd, intactBytes: goodEnd };
}

/**
 * Streams predictions.jsonl's lines, each checked (an InputError names file:line and field); a
 * torn last line is skipped. Nothing is read before the first line is asked for.
 */
export function* predictionLines(dir: string): Generator<PredictionLine, void, undefined> {
  const path = runPath(dir, 'predictions');
  for (const { row, line } of jsonlRows(path)) {
    try {
      yield checkPredictionLine(row);
    } catch (err) {
      if (err instanceof FieldError) throw new RunFormatError(`${path}:${line}: ${err.message}; the run file is damaged — move the run aside or fix that line`);
      throw err;
    }
  }
}

/**
 * Reads samples.jsonl (empty when absent), every line checked, with its line number. With
 * `problems`, a bad line is skipped and listed there (the first five by file:line); without, it is
 * a RunFormatError naming file:line and field.
 */
export function readSampleLines(dir: string, problems?: string[]): { line: number; sample: SampleLine }[] {
  const path = runPath(dir, 'samples');
  if (!existsSync(path)) return [];
  const rescore = `re-create it with: cogeval rescore ${dir}`;
  const out: { line: number; sample: SampleLine }[] = [];
  const bad: string[] = [];
  let badCount = 0;
  let lineNo = 0;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    lineNo++;
    if (text.trim() === '') continue;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new FieldError(`not valid JSON (${(err as Error).message})`);
      }
      out.push({ line: lineNo, sample: checkSampleLine(raw) });
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      if (!problems) throw new RunFormatError(`${path}:${lineNo}: ${err.message}; ${rescore}`);
      badCount++;
      if (bad.length < 5) bad.push(`${path}:${lineNo}: ${err.message}`);
    }
  }
  if (problems && badCount > 0) problems.push(`${bad.join('; ')}${badCount > bad.length ? ` (and ${badCount - bad.length} more)` : ''} — ${badCount} line(s) of samples.jsonl left out of the sample browser (the scores come from scores.json); ${rescore}`);
  return out;
}

/** A run directory's header: run.json, scores.json and throughput.json (small files; predictions are not opened). */
export interface RunHeader {
  dir: string;
  manifest: RunManifest;
  /** null when the run was never scored. */
  scores: RunScores | null;
  throughput: ThroughputFile | null;
  /** What could not be read (file: field: why) and was left out: damaged benchmark entries of scores.json, a damaged throughput.json. */
  problems: string[];
}

/** A run with its per-sample data: predictions.jsonl, streamed again each time it is iterated. */
export interface RunWithSamples extends RunHeader {
  predictions: Iterable<PredictionLine>;
}

/**
 * Reads a run directory. The header (`samples` false, the default) reads run.json, scores.json and
 * throughput.json only; `samples: true` adds predictions.jsonl as a stream. Versions are checked
 * on every file that has one: an unknown version is a RunFormatError (exit 2) naming the file, the
 * version found and the versions this cogeval reads; an older known version is migrated in memory.
 */
export function readRun(dir: string, opts?: { samples?: false }): RunHeader;
export function readRun(dir: string, opts: { samples: true }): RunWithSamples;
export function readRun(dir: string, opts: { samples?: boolean } = {}): RunHeader | RunWithSamples {
  const manifest = readManifest(dir);
  const problems: string[] = [];
  const header: RunHeader = { dir, manifest, scores: readScores(dir, problems), throughput: readThroughput(dir, problems), problems };
  if (!opts.samples) return header;
  return { ...header, predictions: { [Symbol.iterator]: () => predictionLines(dir) } };
}
