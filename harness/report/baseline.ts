// What the regression gate compares: score sources read from a scored run directory, a saved
// baseline file (`cogeval baseline save`, with per-unit results), or reported scores
// (configs/reported.json, the CogVLM2 README table). Writes baseline files.
import { isJsonObject, type JsonObject } from '../util/json-guards.js';
import { existsSync, statSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { SCORERS } from '../metrics/registry.js';
import { PROFILE_IDS, type BenchId, type JudgeMode, type ProfileId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import { defaultReportedPath, loadReportedTable, parseReportedTable, reportedRowFor, type ReportedRow, type ReportedTable } from './reported.js';
import { readManifest, readSampleLines, readScores, runPath, type RunManifest, type RunScores } from '../run/run-format.js';
import { readJson } from '../run/store.js';

export const BASELINE_FORMAT = 'cogeval-baseline';
export const BASELINE_VERSION = 1;

/** One scored unit (item, or MMBench circular group): value in [0, 1], or null when excluded. */
export interface UnitOutcome {
  id: string;
  value: number | null;
  status: string;
}

export interface BenchEntry {
  bench: BenchId;
  scale: 'percent' | 'points1000';
  /** The score on the table's scale (percent, or OCRBench points of 1000). */
  value: number;
  ci?: { lo: number; hi: number; method: string };
  /** Units that count towards the score. */
  n?: number;
  profile?: ProfileId;
  judgeMode?: JudgeMode;
  datasetRevision?: string;
  /** Per-unit results (runs and saved baselines): what makes a paired test possible. */
  units?: UnitOutcome[];
  /** Runs only: samples failed (no prediction) and not yet run, and judge calls that failed. */
  failedSamples?: number;
  missingSamples?: number;
  judgeFailures?: number;
  /** Set when this side has no score for the benchmark (value NaN): why, e.g. no item was judged. */
  noScore?: string;
}

export type SourceKind = 'run' | 'baseline-file' | 'reported';

export interface ScoreSource {
  kind: SourceKind;
  /** The path given (run directory or file), or `reported` for the model registry. */
  path: string;
  /** What a reader sees: `run chat-docvqa-cogvlm2`, `baseline reports/baselines/x.json`, … */
  label: string;
  model?: string;
  /** The model's Hugging Face id (runs). */
  hfId?: string;
  /** The reported row compared with (reported sources). */
  row?: string;
  /** Reported sources: benchmarks whose reported number is not the quantity cogeval measures, with why. */
  notComparable?: Partial<Record<BenchId, string>>;
  protocol?: string;
  benches: Partial<Record<BenchId, BenchEntry>>;
  /** Benchmarks a run could not score, with why. */
  unscored?: Partial<Record<BenchId, string>>;
}

/** A saved baseline (`cogeval baseline save`). Units are `[id, value, status]` triples. */
export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  version: number;
  note: string;
  createdAt: string;
  run: { id: string; fingerprint: string; createdAt: string; protocol: string; limit: number | null; shard: { index: number; count: number } | null };
  model: { name: string; hfId: string; revision: string | null; variant: string };
  harness: { version: string; gitCommit: string | null };
  judgeMode: JudgeMode;
  benches: Partial<Record<BenchId, BaselineBench>>;
  /** Benchmarks of the run that have no score to gate on, with why (never written as a value). */
  notGateable?: Partial<Record<BenchId, string>>;
}

export interface BaselineBench {
  value: number;
  display: string;
  scale: 'percent' | 'points1000';
  ci: { lo: number; hi: number; method: string };
  n: number;
  profile: ProfileId;
  judgeMode: JudgeMode;
  counts: Record<string, number>;
  /** Where the data came from (no description: for local copies it holds absolute paths). */
  dataset: { source: string; revision: string; count: number } | null;
  /** Per-unit results in samples.jsonl order, or absent when saved with --no-units. */
  units?: [string, number | null, string][];
}

// ---------------------------------------------------------------------------------------------
// Small readers that name the file and field of whatever is wrong

const isBench = (x: string): x is BenchId => (BENCH_IDS as readonly string[]).includes(x);
const isProfile = (x: unknown): x is ProfileId => typeof x === 'string' && (PROFILE_IDS as readonly string[]).includes(x);
const isJudgeMode = (x: unknown): x is JudgeMode => x === 'exact-matching' || x === 'llm';


function need<T>(value: unknown, ok: (x: unknown) => x is T, where: string, what: string): T {
  if (!ok(value)) throw new InputError(`${where}: must be ${what}, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isString = (x: unknown): x is string => typeof x === 'string';
const isUnitValue = (x: unknown): x is number | null => x === null || (isFiniteNumber(x) && x >= 0 && x <= 1);

// ---------------------------------------------------------------------------------------------
// Run directories

/** Reads samples.jsonl (every line checked by run-format.ts; a bad one names file:line and field) as units per benchmark. */
function readSampleUnits(dir: string): Map<BenchId, UnitOutcome[]> {
  const path = runPath(dir, 'samples');
  const out = new Map<BenchId, UnitOutcome[]>();
  const seen = new Set<string>();
  for (const { line, sample } of readSampleLines(dir)) {
    const { bench, id, value, status } = sample;
    const key = `${bench}\u0000${id}`;
    if (seen.has(key)) throw new InputError(`${path}:${line}: ${bench} unit "${id}" appears twice; rescore the run (cogeval rescore RUN)`);
    seen.add(key);
    let list = out.get(bench);
    if (!list) out.set(bench, (list = []));
    list.push({ id, value, status });
  }
  return out;
}

interface LoadedRun {
  manifest: RunManifest;
  scores: RunScores;
  units: Map<BenchId, UnitOutcome[]>;
}

/** Which benchmarks a reader looks at (`--bench`); undefined: all. */
type BenchFilter = readonly BenchId[] | undefined;
const wanted = (filter: BenchFilter, bench: BenchId): boolean => filter === undefined || filter.length === 0 || filter.includes(bench);

/** Reads a scored run directory (run.json, scores.json, samples.jsonl) and checks the benchmarks asked for agree. */
function loadRun(dir: string, filter?: BenchFilter): LoadedRun {
  if (!existsSync(dir)) throw new InputError(`run directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is not a run directory (a file; a baseline file goes to --baseline)`);
  const manifestPath = runPath(dir, 'manifest');
  if (!existsSync(manifestPath)) throw new InputError(`${dir} is not a run directory: it has no run.json`);
  const manifest = readManifest(dir);
  const scoresPath = runPath(dir, 'scores');
  const samplesPath = runPath(dir, 'samples');
  if (!existsSync(scoresPath) || !existsSync(samplesPath)) {
    throw new InputError(`run ${dir} has not been scored (no ${existsSync(scoresPath) ? 'samples.jsonl' : 'scores.json'}): run \`cogeval rescore ${dir}\``);
  }
  // Version and every benchmark entry checked (run-format.ts); a damaged entry names file and field.
  const scores = readScores(dir) as RunScores;
  const units = readSampleUnits(dir);
  const run = { manifest, scores, units };
  for (const [bench, s] of Object.entries(run.scores.benches)) {
    if (!isBench(bench) || !s || !wanted(filter, bench)) continue;
    const where = `${scoresPath}: benches.${bench}`;
    if (!isJsonObject(s.primary)) throw new InputError(`${where}.primary: missing; rescore the run (cogeval rescore RUN)`);
    need(s.primary.profile, isProfile, `${where}.primary.profile`, 'a scorer profile');
    need(s.primary.judgeMode, isJudgeMode, `${where}.primary.judgeMode`, 'exact-matching or llm');
    const counted = Object.values(s.primary.counts ?? {}).reduce((a, b) => a + b, 0) + (s.samples?.failed ?? 0);
    const listed = units.get(bench)?.length ?? 0;
    if (counted !== listed) {
      throw new InputError(`run ${dir}: samples.jsonl lists ${listed} ${bench} units but scores.json counts ${counted}; the files are from different scorings — run \`cogeval rescore ${dir}\``);
    }
  }
  for (const bench of units.keys()) {
    if (wanted(filter, bench) && !run.scores.benches[bench]) throw new InputError(`run ${dir}: samples.jsonl has ${bench} units but scores.json has no ${bench} score; run \`cogeval rescore ${dir}\``);
  }
  return run;
}

/** Why a run's benchmark has no score although it has units: what their statuses are. */
function unitsWithoutScore(bench: BenchId, units: readonly UnitOutcome[]): string {
  const byStatus: Record<string, number> = {};
  for (const u of units) if (u.value === null) byStatus[u.status] = (byStatus[u.status] ?? 0) + 1;
  const list = Object.entries(byStatus).map(([st, k]) => `${k} ${st}`).join(', ') || 'no unit';
  if (byStatus['needs_judge']) return `no ${bench} item was judged (${list}): evaluate with --judge-endpoint to grade them`;
  return `no ${bench} unit has a score (${list})`;
}

/** Why a run's benchmark has no prediction at all. */
function nothingPredicted(bench: BenchId, counts: { failed: number; missing: number } | undefined): string {
  if (!counts) return `no ${bench} sample was scored: rescore the run (cogeval rescore RUN)`;
  const parts = [counts.failed > 0 ? `${counts.failed} failed` : '', counts.missing > 0 ? `${counts.missing} not run` : ''].filter((x) => x !== '');
  return `no ${bench} sample was predicted (${parts.join(', ') || 'none selected'})`;
}

/** A scored run directory as a score source (per-unit results included); `benches` limits what is read and checked. */
export function readRunSource(dir: string, opts: { benches?: readonly BenchId[] } = {}): ScoreSource {
  const { manifest, scores, units } = loadRun(dir, opts.benches);
  const benches: Partial<Record<BenchId, BenchEntry>> = {};
  // A benchmark of the run with no prediction at all (every sample failed) is still part of the
  // run: an entry without a score, counted as failed or missing, so the gate calls it incomplete.
  for (const bench of manifest.config.benches ?? []) {
    if (!isBench(bench) || !wanted(opts.benches, bench) || scores.benches[bench] || scores.unscored?.[bench]) continue;
    const counts = scores.noPredictions?.[bench];
    benches[bench] = {
      bench,
      scale: SCORERS[bench].scale,
      value: Number.NaN,
      datasetRevision: manifest.config.datasets?.[bench]?.revision,
      units: [],
      failedSamples: counts?.failed ?? 0,
      missingSamples: counts?.missing ?? 0,
      judgeFailures: 0,
      noScore: nothingPredicted(bench, counts),
    };
  }
  for (const [bench, s] of Object.entries(scores.benches)) {
    if (!isBench(bench) || !s || !wanted(opts.benches, bench)) continue;
    const p = s.primary;
    const value = p.value ?? Number.NaN;
    const own = units.get(bench) ?? [];
    benches[bench] = {
      bench,
      scale: SCORERS[bench].scale,
      value,
      ci: p.ci,
      n: p.n,
      profile: p.profile,
      judgeMode: p.judgeMode,
      datasetRevision: manifest.config.datasets?.[bench]?.revision,
      units: own,
      failedSamples: s.samples?.failed ?? 0,
      missingSamples: s.samples?.missing ?? 0,
      judgeFailures: s.judgeFailures ?? 0,
      ...(Number.isFinite(value) ? {} : { noScore: unitsWithoutScore(bench, own) }),
    };
  }
  return {
    kind: 'run',
    path: dir,
    label: `run ${manifest.id}`,
    model: manifest.config.model?.name,
    hfId: manifest.config.model?.hfId,
    protocol: manifest.config.protocol,
    benches,
    unscored: scores.unscored,
  };
}

// ---------------------------------------------------------------------------------------------
// Saving a baseline

/** Builds the baseline file of a scored run: per-benchmark scores and, unless `units` is false, per-unit results. */
export function baselineFromRun(dir: string, opts: { note?: string; units?: boolean; now?: Date } = {}): BaselineFile {
  const { manifest, scores, units } = loadRun(dir);
  const benches: Partial<Record<BenchId, BaselineBench>> = {};
  // Only a score the gate accepts is written; every other benchmark of the run is listed with why.
  const notGateable: Partial<Record<BenchId, string>> = {};
  for (const bench of manifest.config.benches ?? []) {
    if (!isBench(bench) || scores.benches[bench]) continue;
    notGateable[bench] = scores.unscored?.[bench] ? `not scored: ${scores.unscored[bench]}` : nothingPredicted(bench, scores.noPredictions?.[bench]);
  }
  for (const [bench, s] of Object.entries(scores.benches)) {
    if (!isBench(bench) || !s) continue;
    const p = s.primary;
    const ds = manifest.config.datasets?.[bench];
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
      notGateable[bench] = unitsWithoutScore(bench, units.get(bench) ?? []);
      continue;
    }
    benches[bench] = {
      value: p.value,
      display: p.display,
      scale: p.scale,
      ci: p.ci,
      n: p.n,
      profile: p.profile,
      judgeMode: p.judgeMode,
      counts: { ...p.counts, failed: s.samples?.failed ?? 0, missing: s.samples?.missing ?? 0 },
      dataset: ds ? { source: ds.source, revision: ds.revision, count: ds.count } : null,
      ...(opts.units === false ? {} : { units: (units.get(bench) ?? []).map((u): [string, number | null, string] => [u.id, u.value, u.status]) }),
    };
  }
  if (Object.keys(benches).length === 0) {
    const why = Object.entries(notGateable).map(([b, w]) => `${b}: ${w}`);
    throw new InputError(`run ${dir} has no benchmark with a score to save as a baseline${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  const c = manifest.config;
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    note: opts.note ?? `baseline of run ${manifest.id}`,
    createdAt: (opts.now ?? new Date()).toISOString(),
    run: { id: manifest.id, fingerprint: manifest.fingerprint, createdAt: manifest.createdAt, protocol: c.protocol, limit: c.limit, shard: c.shard },
    // Engine details (endpoint hosts) are deliberately not copied: a committed file must not leak them.
    model: { name: c.model.name, hfId: c.model.hfId, revision: c.model.revision, variant: c.model.variant },
    harness: { version: manifest.harness.version, gitCommit: manifest.harness.gitCommit },
    judgeMode: scores.judgeMode,
    benches,
    ...(Object.keys(notGateable).length > 0 ? { notGateable } : {}),
  };
}

/** Pretty JSON with one unit per line, so a committed baseline diffs line by line. */
export function formatBaselineFile(file: BaselineFile): string {
  const placeholders = new Map<string, string>();
  const shallow: BaselineFile = { ...file, benches: {} };
  for (const [bench, b] of Object.entries(file.benches)) {
    if (!b) continue;
    if (b.units) {
      const key = `__units_${bench}__`;
      placeholders.set(`"${key}"`, b.units.length === 0 ? '[]' : `[\n${b.units.map((u) => `        ${JSON.stringify(u)}`).join(',\n')}\n      ]`);
      shallow.benches[bench as BenchId] = { ...b, units: key as unknown as [string, number | null, string][] };
    } else {
      shallow.benches[bench as BenchId] = b;
    }
  }
  let text = JSON.stringify(shallow, null, 2);
  for (const [ph, units] of placeholders) text = text.replace(ph, units);
  return text + '\n';
}

/** `cogeval baseline save`: writes the baseline atomically; returns what was written. */
export function saveBaseline(dir: string, out: string, opts: { note?: string; units?: boolean } = {}): BaselineFile {
  const file = baselineFromRun(dir, opts);
  mkdirSync(dirname(out), { recursive: true });
  writeFileAtomic(out, formatBaselineFile(file));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Reading baseline files

function parseBaselineFile(path: string, raw: JsonObject, filter?: BenchFilter): ScoreSource {
  const version = raw['version'];
  if (version !== BASELINE_VERSION) throw new InputError(`${path}: baseline format version ${JSON.stringify(version)} is not supported (this cogeval reads version ${BASELINE_VERSION})`);
  const benchesRaw = need(raw['benches'], isJsonObject, `${path}: field "benches"`, 'an object');
  const model = isJsonObject(raw['model']) && isString(raw['model']['name']) ? raw['model']['name'] : undefined;
  const run = isJsonObject(raw['run']) ? raw['run'] : {};
  const benches: Partial<Record<BenchId, BenchEntry>> = {};
  const notGateable = isJsonObject(raw['notGateable']) ? raw['notGateable'] : {};
  for (const [bench, why] of Object.entries(notGateable)) {
    if (!isBench(bench)) throw new InputError(`${path}: notGateable.${bench}: unknown benchmark; valid: ${BENCH_IDS.join(', ')}`);
    if (!wanted(filter, bench)) continue;
    benches[bench] = { bench, scale: SCORERS[bench].scale, value: Number.NaN, noScore: `the baseline has no ${bench} score: ${isString(why) ? why : 'not gateable'}` };
  }
  for (const [bench, b] of Object.entries(benchesRaw)) {
    const where = `${path}: benches.${bench}`;
    if (!isBench(bench)) throw new InputError(`${where}: unknown benchmark; valid: ${BENCH_IDS.join(', ')}`);
    // --bench is applied before anything else is checked: a benchmark left out is not read.
    if (!wanted(filter, bench)) continue;
    if (!isJsonObject(b)) throw new InputError(`${where}: must be an object`);
    const scale = SCORERS[bench].scale;
    if (b['value'] === null) {
      // Written by an older `baseline save` for a benchmark without a score (MM-Vet never judged).
      benches[bench] = { bench, scale, value: Number.NaN, noScore: `the baseline has no ${bench} score (value null)` };
      continue;
    }
    if (b['scale'] !== undefined && b['scale'] !== scale) throw new InputError(`${where}.scale: ${bench} is reported as ${scale}, got ${JSON.stringify(b['scale'])}`);
    const entry: BenchEntry = {
      bench,
      scale,
      value: need(b['value'], isFiniteNumber, `${where}.value`, 'a number (the score on the table scale)'),
      profile: need(b['profile'], isProfile, `${where}.profile`, `a scorer profile (${SCORERS[bench].profiles.join(', ')})`),
      judgeMode: need(b['judgeMode'], isJudgeMode, `${where}.judgeMode`, 'exact-matching or llm'),
    };
    if (isJsonObject(b['ci']) && isFiniteNumber(b['ci']['lo']) && isFiniteNumber(b['ci']['hi'])) {
      entry.ci = { lo: b['ci']['lo'], hi: b['ci']['hi'], method: isString(b['ci']['method']) ? b['ci']['method'] : 'unknown' };
    }
    if (isFiniteNumber(b['n'])) entry.n = b['n'];
    if (isJsonObject(b['dataset']) && isString(b['dataset']['revision'])) entry.datasetRevision = b['dataset']['revision'];
    if (b['units'] !== undefined) {
      const list = need(b['units'], Array.isArray, `${where}.units`, 'a list of [id, value, status]');
      const seen = new Set<string>();
      entry.units = list.map((u: unknown, i: number): UnitOutcome => {
        const w = `${where}.units[${i}]`;
        if (!Array.isArray(u) || u.length !== 3) throw new InputError(`${w}: must be [id, value, status]`);
        const id = need(u[0], isString, `${w}[0] (id)`, 'a string');
        if (seen.has(id)) throw new InputError(`${w}: unit id "${id}" appears twice`);
        seen.add(id);
        return { id, value: need(u[1], isUnitValue, `${w}[1] (value)`, 'a number in [0, 1] or null'), status: need(u[2], isString, `${w}[2] (status)`, 'a string') };
      });
    }
    benches[bench] = entry;
  }
  if (Object.keys(benches).length === 0) {
    throw new InputError(filter && filter.length > 0 ? `${path}: the baseline has none of ${filter.join(', ')} (it has ${Object.keys(benchesRaw).join(', ') || 'no benchmark'})` : `${path}: the baseline has no benchmarks`);
  }
  return {
    kind: 'baseline-file',
    path,
    label: `baseline ${path}`,
    model,
    protocol: isString(run['protocol']) ? run['protocol'] : undefined,
    benches,
  };
}

/** A row of a reported-scores table (configs/reported.json format) as a score source. */
export function reportedSource(table: ReportedTable, opts: { row?: string; model?: string; hfId?: string }): ScoreSource {
  const names = table.rows.map((r) => r.name).join(', ');
  let row: ReportedRow | undefined;
  if (opts.row !== undefined) {
    const key = opts.row.toLowerCase();
    row = table.rows.find((r) => r.name.toLowerCase() === key) ?? table.rows.find((r) => [...r.models, ...r.aliases].some((a) => a.toLowerCase() === key));
    if (!row) throw new InputError(`${table.file}: no row "${opts.row}"; rows: ${names}`);
  } else {
    if (opts.model === undefined) throw new InputError(`${table.file}: which row? the run names no model; pass --row (rows: ${names})`);
    row = reportedRowFor(table, { name: opts.model, hfId: opts.hfId });
    if (!row) throw new InputError(`${table.file}: no row reports the run's model "${opts.model}"; pass --row (rows: ${names})`);
  }
  const benches: Partial<Record<BenchId, BenchEntry>> = {};
  const notComparable: Partial<Record<BenchId, string>> = {};
  for (const col of table.columns) {
    if (col.kind !== 'score' || !col.bench) continue;
    const v = row.scores[col.key];
    if (v === null || v === undefined) continue;
    benches[col.bench] = { bench: col.bench, scale: SCORERS[col.bench].scale, value: v };
    const info = table.benchmarks[col.bench];
    if (info && !info.comparable) notComparable[col.bench] = `reported on ${info.reportedSplit}: ${info.note}`;
  }
  return { kind: 'reported', path: table.file, label: `reported ${row.name} (${table.file})`, row: row.name, model: opts.model, benches, notComparable };
}

/**
 * Reads a baseline file: a saved baseline (`format: "cogeval-baseline"`) or a reported-scores
 * table (`format: "cogeval-reported"`, e.g. configs/reported.json), whose row is `row` or the
 * one reporting the run's model.
 */
export function readBaselineFile(path: string, opts: { row?: string; model?: string; hfId?: string; benches?: readonly BenchId[] } = {}): ScoreSource {
  const raw = readJson<unknown>(path, 'baseline file');
  if (!isJsonObject(raw)) throw new InputError(`${path}: a baseline file must hold a JSON object`);
  if (raw['format'] === BASELINE_FORMAT) return parseBaselineFile(path, raw, opts.benches);
  if (raw['format'] === 'cogeval-reported') return reportedSource(parseReportedTable(raw, path), opts);
  throw new InputError(
    `${path}: field "format" is ${JSON.stringify(raw['format']) ?? 'missing'}; expected "${BASELINE_FORMAT}" (cogeval baseline save) or "cogeval-reported" (configs/reported.json)`,
  );
}

/** A baseline given on the command line: a run directory, a baseline file, or `reported` (configs/reported.json). */
export function readBaselineSource(spec: string, opts: { row?: string; model?: string; hfId?: string; benches?: readonly BenchId[] } = {}): ScoreSource {
  if (spec === 'reported' && !existsSync(spec)) return reportedSource(loadReportedTable(defaultReportedPath()), opts);
  if (!existsSync(spec)) throw new InputError(`baseline ${spec} does not exist (give a run directory, a baseline JSON file, or "reported")`);
  if (statSync(spec).isDirectory()) return readRunSource(spec, { benches: opts.benches });
  return readBaselineFile(spec, opts);
}
