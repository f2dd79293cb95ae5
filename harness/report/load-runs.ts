// Reads run directories for reports: run.json, scores.json and throughput.json through
// run/run-format.ts (versions checked), and samples.jsonl, checked field by field. A damaged file or line is reported (file:line: field) and skipped; it
// never stops the report and is never shown as a score.
import { isJsonObject, type JsonObject } from '../util/json-guards.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { BENCH_IDS, type BenchId, type ItemStatus, type JudgeMode } from '../metrics/types.js';
import { FieldError, RUN_FILES, readRun, runPath, type BenchRunScore, type RunManifest, type Throughput } from '../run/run-format.js';

/** One scored unit of samples.jsonl (failed samples have status 'failed' and no value). */
export interface ReportSample {
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

export interface LoadedRun {
  dir: string;
  id: string;
  manifest: RunManifest;
  /** Per benchmark scores (values that JSON stored as null are NaN here); null when the run was never scored. */
  scores: { judgeMode: JudgeMode; scoredAt: string; benches: Partial<Record<BenchId, BenchRunScore>>; unscored: Partial<Record<BenchId, string>> } | null;
  throughput: (Throughput & { session?: string; engine?: string }) | null;
  samples: ReportSample[];
  /** What could not be read (file:line: field: why); shown in the report. */
  problems: string[];
}

const isBench = (v: unknown): v is BenchId => typeof v === 'string' && (BENCH_IDS as readonly string[]).includes(v);
const STATUSES: readonly string[] = ['scored', 'random_fallback', 'needs_judge', 'judge_failed', 'not_applicable', 'failed'];

/** The obj/FieldError pair for samples.jsonl lines (run-format.ts checks the other files). */
function obj(v: unknown, where: string): JsonObject {
  if (!isJsonObject(v)) throw new FieldError(`${where}: expected an object`);
  return v;
}

function sampleOf(v: unknown): ReportSample {
  const o = obj(v, 'line');
  if (!isBench(o['bench'])) throw new FieldError(`field "bench": expected one of ${BENCH_IDS.join(', ')}`);
  const id = o['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw new FieldError('field "id": expected a string or number');
  const status = o['status'];
  if (typeof status !== 'string' || !STATUSES.includes(status)) throw new FieldError(`field "status": expected one of ${STATUSES.join(', ')}`);
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
  const s: ReportSample = { bench: o['bench'], id: String(id), value, status: status as ReportSample['status'], categories, question: optString('question'), prediction: optString('prediction') };
  if (isJsonObject(o['detail'])) s.detail = o['detail'];
  if (isJsonObject(o['references'])) s.references = o['references'];
  if (isJsonObject(o['error'])) s.error = { kind: String(o['error']['kind'] ?? 'unknown'), message: String(o['error']['message'] ?? '') };
  return s;
}

/** samples.jsonl, line by line; a bad line is named (file:line: field) and skipped. */
function readSamples(dir: string, problems: string[]): ReportSample[] {
  const path = runPath(dir, 'samples');
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const out: ReportSample[] = [];
  const bad: string[] = [];
  let badCount = 0;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        throw new FieldError(`not valid JSON (${(err as Error).message})`);
      }
      out.push(sampleOf(raw));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      badCount++;
      if (bad.length < 5) bad.push(`${path}:${lineNo}: ${err.message}`);
    }
  }
  if (badCount > 0) problems.push(`${bad.join('; ')}${badCount > bad.length ? ` (and ${badCount - bad.length} more)` : ''} — ${badCount} line(s) of samples.jsonl left out of the sample browser (the scores come from scores.json); re-create it with: cogeval rescore ${dir}`);
  return out;
}

/**
 * Loads one run directory (the header through run-format.ts, then samples.jsonl); throws
 * InputError when run.json is missing, unreadable or in a version this cogeval does not read.
 */
export function loadRun(dirArg: string): LoadedRun {
  const dir = resolve(dirArg);
  if (!existsSync(runPath(dir, 'manifest'))) throw new InputError(`${dirArg}: not a run directory (no ${RUN_FILES.manifest}); give a directory made by cogeval eval`);
  const { manifest, scores: read, throughput, problems } = readRun(dir);
  if (read === null && !problems.some((p) => p.startsWith(runPath(dir, 'scores')))) problems.unshift(`${runPath(dir, 'scores')}: missing — the run was never scored; run: cogeval rescore ${dir}`);
  const scores: LoadedRun['scores'] = read === null ? null : { judgeMode: read.judgeMode, scoredAt: read.scoredAt, benches: read.benches, unscored: read.unscored ?? {} };
  const samples = readSamples(dir, problems);
  return { dir, id: typeof manifest.id === 'string' && manifest.id !== '' ? manifest.id : basename(dir), manifest, scores, throughput, samples, problems };
}

/** The run directories directly under `runsDir` (those holding a run.json), sorted by name. */
export function findRunDirs(runsDir: string): string[] {
  if (!existsSync(runsDir) || !statSync(runsDir).isDirectory()) throw new InputError(`--runs-dir ${runsDir}: no such folder; run cogeval eval first, or name run directories`);
  return readdirSync(runsDir)
    .sort()
    .map((name) => join(runsDir, name))
    .filter((d) => statSync(d).isDirectory() && existsSync(runPath(d, 'manifest')));
}

/** Loads several runs; a run that cannot be read is skipped with why. */
export function loadRuns(dirs: readonly string[]): { runs: LoadedRun[]; skipped: { dir: string; reason: string }[] } {
  const runs: LoadedRun[] = [];
  const skipped: { dir: string; reason: string }[] = [];
  for (const d of dirs) {
    try {
      runs.push(loadRun(d));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      skipped.push({ dir: d, reason: err.message });
    }
  }
  return { runs, skipped };
}
