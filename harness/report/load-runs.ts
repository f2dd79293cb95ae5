// Reads run directories for reports: run.json, scores.json, throughput.json and samples.jsonl,
// checked field by field. A damaged file or line is reported (file:line: field) and skipped; it
// never stops the report and is never shown as a score.
import { isJsonObject, type JsonObject } from '../util/json-guards.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { BenchScore, CategoryScore } from '../metrics/aggregate.js';
import type { Interval } from '../metrics/stats.js';
import { type BenchId, type ItemStatus, type JudgeMode, type ProfileId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import type { RunManifest } from '../run/runner.js';
import type { BenchRunScore } from '../run/score-run.js';
import { RUN_FILES, runPath } from '../run/store.js';
import type { Percentiles, Throughput } from '../run/throughput.js';

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

class FieldError extends Error {}

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
  const scale = o['scale'] === 'points1000' ? 'points1000' : 'percent';
  return {
    bench,
    profile: str(o['profile'], `${where}.profile`) as ProfileId,
    judgeMode: o['judgeMode'] === 'llm' ? 'llm' : 'exact-matching',
    scale,
    fraction: num(o['fraction'], `${where}.fraction`),
    value: num(o['value'], `${where}.value`),
    display: str(o['display'], `${where}.display`),
    ci: interval(o['ci'], `${where}.ci`),
    n: num(o['n'], `${where}.n`),
    counts,
    byCategory,
  };
}

function benchRunScore(v: unknown, bench: BenchId, where: string): BenchRunScore {
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

function readJsonFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FieldError(`not valid JSON (${(err as Error).message})`);
  }
}

function readManifest(dir: string): RunManifest {
  const path = runPath(dir, 'manifest');
  let raw: unknown;
  try {
    raw = readJsonFile(path);
  } catch (err) {
    throw new InputError(`${path}: ${err instanceof FieldError ? err.message : `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`}`);
  }
  try {
    const o = obj(raw, 'the file');
    str(o['id'], 'field "id"');
    const config = obj(o['config'], 'field "config"');
    const model = obj(config['model'], 'field "config.model"');
    str(model['name'], 'field "config.model.name"');
    str(config['protocol'], 'field "config.protocol"');
    if (!Array.isArray(config['benches']) || !config['benches'].every(isBench)) throw new FieldError(`field "config.benches": expected a list of ${BENCH_IDS.join(', ')}`);
    obj(config['datasets'] ?? {}, 'field "config.datasets"');
  } catch (err) {
    if (err instanceof FieldError) throw new InputError(`${path}: ${err.message}; is this a cogeval run directory?`);
    throw err;
  }
  return raw as RunManifest; // checked above: the fields the report reads have the right types
}

function readScores(dir: string, problems: string[]): LoadedRun['scores'] {
  const path = runPath(dir, 'scores');
  if (!existsSync(path)) {
    problems.push(`${path}: missing — the run was never scored; run: cogeval rescore ${dir}`);
    return null;
  }
  let raw: JsonObject;
  try {
    raw = obj(readJsonFile(path), 'scores.json');
  } catch (err) {
    problems.push(`${path}: ${(err as Error).message}; its scores are left out (re-create it with: cogeval rescore ${dir})`);
    return null;
  }
  const benches: Partial<Record<BenchId, BenchRunScore>> = {};
  const benchesRaw = isJsonObject(raw['benches']) ? raw['benches'] : {};
  for (const [bench, v] of Object.entries(benchesRaw)) {
    if (!isBench(bench)) {
      problems.push(`${path}: benches.${bench}: unknown benchmark, left out`);
      continue;
    }
    try {
      benches[bench] = benchRunScore(v, bench, `benches.${bench}`);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      problems.push(`${path}: ${err.message}; ${bench} is left out (re-create the file with: cogeval rescore ${dir})`);
    }
  }
  const unscored: Partial<Record<BenchId, string>> = {};
  if (isJsonObject(raw['unscored'])) for (const [b, why] of Object.entries(raw['unscored'])) if (isBench(b) && typeof why === 'string') unscored[b] = why;
  return { judgeMode: raw['judgeMode'] === 'llm' ? 'llm' : 'exact-matching', scoredAt: typeof raw['scoredAt'] === 'string' ? raw['scoredAt'] : '', benches, unscored };
}

function percentilesOf(v: unknown, where: string): Percentiles | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, where);
  return { p50: num(o['p50'], `${where}.p50`), p90: num(o['p90'], `${where}.p90`), p99: num(o['p99'], `${where}.p99`), n: num(o['n'], `${where}.n`) };
}

function readThroughput(dir: string, problems: string[]): LoadedRun['throughput'] {
  const path = runPath(dir, 'throughput');
  if (!existsSync(path)) return null;
  try {
    const o = obj(readJsonFile(path), 'throughput.json');
    const errorsByKind: Record<string, number> = {};
    for (const [k, n] of Object.entries(obj(o['errorsByKind'] ?? {}, 'errorsByKind'))) errorsByKind[k] = num(n, `errorsByKind.${k}`);
    return {
      wallSeconds: num(o['wallSeconds'], 'wallSeconds'),
      requests: num(o['requests'], 'requests'),
      completed: num(o['completed'], 'completed'),
      errors: num(o['errors'], 'errors'),
      retries: num(o['retries'], 'retries'),
      samplesPerSecond: num(o['samplesPerSecond'], 'samplesPerSecond'),
      outputTokens: num(o['outputTokens'], 'outputTokens'),
      outputTokensPerSecond: num(o['outputTokensPerSecond'], 'outputTokensPerSecond'),
      latencyMs: percentilesOf(o['latencyMs'], 'latencyMs'),
      ttftMs: percentilesOf(o['ttftMs'], 'ttftMs'),
      errorsByKind,
      session: typeof o['session'] === 'string' ? o['session'] : undefined,
      engine: typeof o['engine'] === 'string' ? o['engine'] : undefined,
    };
  } catch (err) {
    problems.push(`${path}: ${(err as Error).message}; throughput is left out`);
    return null;
  }
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

/** Loads one run directory; throws InputError when run.json is missing or unreadable. */
export function loadRun(dirArg: string): LoadedRun {
  const dir = resolve(dirArg);
  if (!existsSync(runPath(dir, 'manifest'))) throw new InputError(`${dirArg}: not a run directory (no ${RUN_FILES.manifest}); give a directory made by cogeval eval`);
  const manifest = readManifest(dir);
  const problems: string[] = [];
  const scores = readScores(dir, problems);
  const throughput = readThroughput(dir, problems);
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
