// The leaderboard model: a pure function from loaded runs + the reported table to everything the
// renderers (HTML, CSV, Markdown, terminal) show — rows, cells with CIs, verdicts, categories,
// the scorer-sensitivity view and throughput. No I/O here.
import type { BenchScore, CategoryScore } from '../metrics/aggregate.js';
import { type BenchId, type ItemStatus, type JudgeMode, type ProfileId } from '../metrics/types.js';
import { BENCHMARKS, BENCH_IDS, benchmark } from '../benchmarks/registry.js';
import type { LoadedRun } from './load-runs.js';
import { RANDOM_WEIGHTS_LABEL } from '../run/identity.js';
import { reportedRowFor, type ReportedColumn, type ReportedTable } from './reported.js';
import { decideVerdict, VERDICT_RULES, type Verdict } from './verdict.js';
import type { Throughput } from '../run/run-format.js';

/** Each benchmark's display name (its module's title). */
export const BENCH_TITLES = Object.fromEntries(BENCHMARKS.map((m) => [m.id, m.title])) as Record<BenchId, string>;

export interface BenchInfo {
  id: BenchId;
  title: string;
  scale: 'percent' | 'points1000';
  /** What the README most likely reports. */
  reportedSplit: string;
  comparable: boolean;
  note: string;
  /** What cogeval measures (e.g. "DocVQA (validation)"), when known. */
  measuredSplit?: string;
}

export interface MeasuredCell {
  bench: BenchId;
  /** NaN when nothing counted. */
  value: number;
  display: string;
  ciLo: number;
  ciHi: number;
  ciMethod: string;
  n: number;
  profile: ProfileId;
  judgeMode: JudgeMode;
  /** The judge model the score relies on (MM-Vet; MMBench in llm mode), when recorded. */
  judgeModel: string | null;
  reported?: number;
  /** value − reported on the table's scale. */
  delta?: number;
  verdict: Verdict;
  counts: Record<ItemStatus, number>;
  samples: { selected: number; predicted: number; failed: number; missing: number };
  failedByKind: Record<string, number>;
  judgeFailures: number;
  multiImageItems: number;
  /** Where the run's data came from (hf, vlmevalkit, official, demo). */
  dataSource?: string;
}

export interface SensitivityEntry {
  profile: ProfileId;
  value: number;
  display: string;
  ciLo: number;
  ciHi: number;
  n: number;
  primary: boolean;
  randomFallbacks: number;
  needsJudge: number;
  /** Units not counted in the score (judge failures, not applicable, MM-Vet items without a judge). */
  excluded: number;
  /** The score an imported run's source printed itself under this profile's rules (table scale). */
  printed?: { value: number; label: string };
}

export interface RunRow {
  kind: 'run';
  runId: string;
  dir: string;
  /** The run's model; a random-weight model's name and id carry "(RANDOM WEIGHTS)". */
  model: { name: string; hfId: string };
  protocol: string;
  /** Set for a run made by `cogeval import`: where its predictions came from. */
  imported?: { source: string; label: string };
  template: string;
  decoding: string;
  judgeMode: JudgeMode | null;
  /** The README row this run is compared with, if any. */
  reportedRow?: string;
  /** Benchmarks in the run's configuration. */
  benches: BenchId[];
  cells: Partial<Record<BenchId, MeasuredCell>>;
  categories: Partial<Record<BenchId, Record<string, Record<string, CategoryScore>>>>;
  sensitivity: Partial<Record<BenchId, SensitivityEntry[]>>;
  throughput: (Throughput & { session?: string; engine?: string }) | null;
  harness: { version: string; gitCommit: string | null };
  createdAt: string;
  scoredAt: string | null;
  limit: number | null;
  shard: { index: number; count: number } | null;
  problems: string[];
}

export interface ReportedRowView {
  kind: 'reported';
  name: string;
  openSource: boolean | null;
  llmSize: string | null;
  /** Column key → value (null = "-" in the README). */
  scores: Record<string, number | null>;
  best: string[];
  /** cogeval models this row reports (the CogVLM2 rows). */
  models: string[];
}

export type LeaderboardRow = RunRow | ReportedRowView;

export interface Leaderboard {
  title: string;
  generatedAt: string;
  reportedTitle: string;
  reportedSource: ReportedTable['source'];
  benches: BenchInfo[];
  /** Score columns of the README that cogeval does not measure (VCR). */
  extraColumns: ReportedColumn[];
  /** Display order: each README row, followed by the runs compared with it; runs without a row last. */
  rows: LeaderboardRow[];
  runs: RunRow[];
  skipped: { dir: string; reason: string }[];
  verdictRules: typeof VERDICT_RULES;
}

export interface LeaderboardOptions {
  title?: string;
  generatedAt?: string;
  /** What cogeval measures per benchmark (the data catalogs' titles). */
  measuredSplits?: Partial<Record<BenchId, string>>;
  skipped?: { dir: string; reason: string }[];
}

/** Formats a table-scale value as the README does: percent with one decimal (more if given), points whole. */
export function formatReported(value: number, scale: 'percent' | 'points1000'): string {
  if (scale === 'points1000') return value.toFixed(0);
  const decimals = Math.min(3, Math.max(1, (String(value).split('.')[1] ?? '').length));
  return value.toFixed(decimals);
}

export function formatScore(value: number, scale: 'percent' | 'points1000'): string {
  if (!Number.isFinite(value)) return 'n/a';
  return scale === 'percent' ? value.toFixed(1) : value.toFixed(0);
}

function partialWhy(run: LoadedRun, samples: MeasuredCell['samples']): string | undefined {
  const parts: string[] = [];
  const c = run.manifest.config;
  if (c.limit !== null && c.limit !== undefined) parts.push(`--limit ${c.limit}`);
  if (c.shard) parts.push(`shard ${c.shard.index}/${c.shard.count}`);
  if (samples.missing > 0) parts.push(`${samples.missing} sample(s) not run yet`);
  if (samples.failed > 0) parts.push(`${samples.failed} failed sample(s) excluded`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The scores an imported run's source printed (run.json `imported.printed`), checked field by field. */
function printedScores(m: LoadedRun['manifest']): { bench: string; profile: string; value: number; label: string }[] {
  const imported = (m as { imported?: { printed?: unknown } }).imported;
  const raw = imported?.printed;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (p): p is { bench: string; profile: string; value: number; label: string } =>
      typeof p === 'object' && p !== null && typeof p.bench === 'string' && typeof p.profile === 'string' && typeof p.value === 'number' && typeof p.label === 'string',
  );
}

function importedOf(m: LoadedRun['manifest']): RunRow['imported'] {
  const imported = (m as { imported?: { source?: unknown; label?: unknown } }).imported;
  if (!imported || typeof imported.label !== 'string') return undefined;
  return { source: typeof imported.source === 'string' ? imported.source : 'unknown', label: imported.label };
}

function printedFor(printed: readonly { profile: string; value: number; label: string }[], profile: ProfileId): Pick<SensitivityEntry, 'printed'> {
  const hit = printed.find((x) => x.profile === profile);
  return hit ? { printed: { value: hit.value, label: hit.label } } : {};
}

function sensitivityOf(profiles: readonly BenchScore[], primary: ProfileId, printed: readonly { profile: string; value: number; label: string }[] = []): SensitivityEntry[] {
  return profiles.map((p) => ({
    ...printedFor(printed, p.profile),
    profile: p.profile,
    value: p.value,
    display: p.display,
    ciLo: p.ci.lo,
    ciHi: p.ci.hi,
    n: p.n,
    primary: p.profile === primary,
    randomFallbacks: p.counts.random_fallback,
    needsJudge: p.counts.needs_judge,
    excluded: Math.max(0, Object.values(p.counts).reduce((a, b) => a + b, 0) - p.n),
  }));
}

function runRow(run: LoadedRun, table: ReportedTable, benches: readonly BenchInfo[]): RunRow {
  const m = run.manifest;
  // A random-weight model is labelled in every row and never compared with a reported score.
  const random = (m.config as { identity?: { randomWeights?: boolean } | null }).identity?.randomWeights === true;
  const label = (s: string): string => (random && !s.includes(RANDOM_WEIGHTS_LABEL) ? `${s} (${RANDOM_WEIGHTS_LABEL})` : s);
  const model = { name: label(m.config.model.name), hfId: label(m.config.model.hfId ?? '') };
  const reportedAs = (m.config.model as { reportedAs?: string }).reportedAs;
  const row = random ? undefined : reportedRowFor(table, reportedAs !== undefined ? { name: reportedAs } : model);
  const configured = m.config.benches.filter((b) => (BENCH_IDS as readonly string[]).includes(b));
  const out: RunRow = {
    kind: 'run',
    runId: run.id,
    dir: run.dir,
    model,
    protocol: String(m.config.protocol),
    ...(importedOf(m) ? { imported: importedOf(m) } : {}),
    template: String(m.config.template ?? ''),
    decoding: String(m.config.decoding ?? ''),
    judgeMode: run.scores?.judgeMode ?? null,
    reportedRow: row?.name,
    benches: configured,
    cells: {},
    categories: {},
    sensitivity: {},
    throughput: run.throughput,
    harness: { version: String(m.harness?.version ?? ''), gitCommit: m.harness?.gitCommit ?? null },
    createdAt: String(m.createdAt ?? ''),
    scoredAt: run.scores?.scoredAt ?? null,
    limit: m.config.limit ?? null,
    shard: m.config.shard ?? null,
    problems: run.problems,
  };
  for (const info of benches) {
    const bench = info.id;
    if (!configured.includes(bench)) continue;
    const s = run.scores?.benches[bench];
    const dataSource = m.config.datasets?.[bench]?.source;
    const reportedValue = row?.scores[bench] ?? undefined;
    const noReportedWhy = random
      ? 'random weights: never compared with a reported score'
      : row
        ? `the README leaves ${row.name}'s ${info.title} cell empty`
        : `model "${model.name}" has no row in the README table`;
    if (!s) {
      const why = run.scores === null ? 'the run was never scored (cogeval rescore)' : (run.scores.unscored[bench] ?? 'no predictions for this benchmark yet');
      const verdict = decideVerdict({ value: Number.NaN, ciLo: Number.NaN, ciHi: Number.NaN, n: 0, scale: info.scale, reported: reportedValue, noScoreWhy: why });
      out.cells[bench] = {
        bench,
        value: Number.NaN,
        display: 'n/a',
        ciLo: Number.NaN,
        ciHi: Number.NaN,
        ciMethod: '',
        n: 0,
        profile: 'official',
        judgeMode: 'exact-matching',
        judgeModel: null,
        reported: reportedValue,
        verdict,
        counts: { scored: 0, random_fallback: 0, needs_judge: 0, judge_failed: 0, not_applicable: 0 },
        samples: { selected: m.config.datasets?.[bench]?.count ?? 0, predicted: 0, failed: 0, missing: 0 },
        failedByKind: {},
        judgeFailures: 0,
        multiImageItems: 0,
        dataSource,
      };
      continue;
    }
    const p = s.primary;
    const notComparableWhy = !info.comparable
      ? `the README most likely reports ${info.reportedSplit}; cogeval measures ${info.measuredSplit ?? 'another split'}`
      : dataSource === 'demo'
        ? 'the run used the bundled demo set (a handful of items, not the benchmark)'
        : undefined;
    const verdict = decideVerdict({
      value: p.value,
      ciLo: p.ci.lo,
      ciHi: p.ci.hi,
      n: p.n,
      scale: info.scale,
      reported: reportedValue,
      noReportedWhy,
      notComparableWhy,
      partialWhy: partialWhy(run, s.samples),
      noScoreWhy: p.n === 0 ? `no item counted (${p.counts.needs_judge} need a judge, ${p.counts.judge_failed} judge failures, ${p.counts.not_applicable} not applicable, ${s.samples.failed} failed)` : undefined,
    });
    out.cells[bench] = {
      bench,
      value: p.value,
      display: p.display,
      ciLo: p.ci.lo,
      ciHi: p.ci.hi,
      ciMethod: p.ci.method,
      n: p.n,
      profile: p.profile,
      judgeMode: p.judgeMode,
      judgeModel: s.judgeModel,
      reported: reportedValue,
      delta: reportedValue !== undefined && Number.isFinite(p.value) ? p.value - reportedValue : undefined,
      verdict,
      counts: p.counts,
      samples: s.samples,
      failedByKind: s.failedByKind,
      judgeFailures: s.judgeFailures,
      multiImageItems: s.multiImageItems,
      dataSource,
    };
    out.categories[bench] = p.byCategory;
    out.sensitivity[bench] = sensitivityOf(
      s.profiles,
      p.profile,
      printedScores(m).filter((x) => x.bench === bench),
    );
  }
  return out;
}

/** Builds the leaderboard: pure, deterministic for the same inputs and options. */
export function buildLeaderboard(runs: readonly LoadedRun[], table: ReportedTable, opts: LeaderboardOptions = {}): Leaderboard {
  const benches: BenchInfo[] = BENCH_IDS.map((id) => {
    const col = table.columns.find((c) => c.bench === id);
    const b = table.benchmarks[id];
    return {
      id,
      title: BENCH_TITLES[id],
      scale: col?.scale ?? benchmark(id).scorer.scale,
      reportedSplit: b?.reportedSplit ?? 'unknown',
      comparable: b?.comparable ?? false,
      note: b?.note ?? 'configs/reported.json says nothing about this benchmark',
      measuredSplit: opts.measuredSplits?.[id],
    };
  });
  const runRows = runs.map((r) => runRow(r, table, benches));
  const rows: LeaderboardRow[] = [];
  for (const r of table.rows) {
    rows.push({ kind: 'reported', name: r.name, openSource: r.openSource, llmSize: r.llmSize, scores: r.scores, best: r.best, models: r.models });
    rows.push(...runRows.filter((run) => run.reportedRow === r.name));
  }
  rows.push(...runRows.filter((run) => run.reportedRow === undefined));
  return {
    title: opts.title ?? 'CogVLM2 reproduction report',
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    reportedTitle: table.title,
    reportedSource: table.source,
    benches,
    extraColumns: table.columns.filter((c) => c.kind === 'score' && (c.bench === null || c.bench === undefined)),
    rows,
    runs: runRows,
    skipped: opts.skipped ?? [],
    verdictRules: VERDICT_RULES,
  };
}
