// The CI regression gate: compares a run with a baseline (a run or saved baseline with per-unit
// results → paired test; reported scores → threshold only), decides pass/fail per benchmark, and
// renders the Markdown table and the JSON report. Pure: reading sources is baseline.ts's job.
import { InputError } from '../errors.js';
import { SCORERS } from '../metrics/registry.js';
import { type BenchId, type JudgeMode, type ProfileId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import type { BenchEntry, ScoreSource, UnitOutcome } from './baseline.js';
import { PAIRED_BOOTSTRAP_RESAMPLES, PAIRED_BOOTSTRAP_SEED, allBinary, discordantCounts, mcnemarExactOneSided, pairedBootstrap, type DiscordantCounts } from './paired.js';

export const DEFAULT_TOLERANCE = 1.0;
export const DEFAULT_ALPHA = 0.05;

export interface GateOptions {
  /** Allowed drop in percentage points; OCRBench (points of 1000) allows 10 × this. */
  tolerance: number;
  /** Per-benchmark allowed drop on that benchmark's table scale (wins over `tolerance`). */
  benchTolerance: Partial<Record<BenchId, number>>;
  /** One-sided significance level of the paired tests. */
  alpha: number;
  resamples: number;
  seed: number;
  /** Gate only these benchmarks (default: all of the run's). */
  benches?: readonly BenchId[];
  /** Compare on the ids present in both when the sample sets differ (otherwise bad input). */
  allowSubset: boolean;
  /** Do not fail on failed/missing samples or judge failures in the current run (still reported). */
  allowIncomplete: boolean;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  tolerance: DEFAULT_TOLERANCE,
  benchTolerance: {},
  alpha: DEFAULT_ALPHA,
  resamples: PAIRED_BOOTSTRAP_RESAMPLES,
  seed: PAIRED_BOOTSTRAP_SEED,
  allowSubset: false,
  allowIncomplete: false,
};

/** `none`: the run has nothing scored to compare (every sample failed, or nothing judged). */
export type GateTest = 'mcnemar-exact' | 'paired-bootstrap' | 'threshold' | 'none';
export type BenchVerdict = 'pass' | 'regression' | 'incomplete';

export interface BenchGate {
  bench: BenchId;
  scale: 'percent' | 'points1000';
  profile?: ProfileId;
  judgeMode?: JudgeMode;
  test: GateTest;
  /** Scores compared, on the table scale: on the paired units for paired tests. */
  baseline: number;
  current: number;
  /** current − baseline, table scale. */
  delta: number;
  /** The allowed drop, table scale. */
  tolerance: number;
  /** Two-sided (1 − 2α) paired-bootstrap interval of Δ (table scale); its upper end is the one-sided (1 − α) bound. */
  ci: { lo: number; hi: number; level: number } | null;
  /** One-sided p-value for a drop (null without per-unit baseline results). */
  pValue: number | null;
  /** Units compared (paired tests). */
  n: number | null;
  /** 0/1 benchmarks: pairs right before and wrong now (losses), the reverse (gains), same (ties). */
  discordant?: DiscordantCounts;
  /** Units left out of the pairing because one side has no value, by side and status. */
  excluded?: { baseline: Record<string, number>; current: Record<string, number> };
  /** With --allow-subset: ids present in only one of the two. */
  subset?: { onlyCurrent: number; onlyBaseline: number };
  /** The two sides' own scores (all their units), table scale. */
  ownScores: { baseline: number; current: number };
  /** What the current run could not score: failed or missing samples, judge failures, items still needing a judge. */
  incomplete: { failed: number; missing: number; judgeFailed: number; needsJudge: number };
  verdict: BenchVerdict;
  reason: string;
}

export interface GateReport {
  format: 'cogeval-gate';
  version: 1;
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1;
  current: { label: string; path: string; model?: string; protocol?: string };
  baseline: { label: string; path: string; kind: ScoreSource['kind']; model?: string; row?: string; protocol?: string };
  settings: {
    tolerance: number;
    tolerances: Partial<Record<BenchId, number>>;
    alpha: number;
    ciLevel: number;
    resamples: number;
    seed: number;
    allowSubset: boolean;
    allowIncomplete: boolean;
  };
  benches: BenchGate[];
  /**
   * Benchmarks not compared, with why: reported baselines without a (comparable) score for them,
   * and benchmarks with no score on one side or none scored on both ("not gated").
   */
  skipped: { bench: BenchId; why: string }[];
  notes: string[];
  method: string[];
}

/** Bad gate input (mismatched benchmarks, sample sets, profiles): exit 2, every problem listed. */
export class GateInputError extends InputError {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `the gate cannot compare these inputs:\n  - ${problems.join('\n  - ')}`);
    this.name = 'GateInputError';
  }
}

function scaleOf(bench: BenchId): number {
  return SCORERS[bench].scale === 'points1000' ? 1000 : 100;
}

/** The allowed drop of a benchmark on its table scale. */
export function toleranceFor(bench: BenchId, opts: Pick<GateOptions, 'tolerance' | 'benchTolerance'>): number {
  return opts.benchTolerance[bench] ?? opts.tolerance * (SCORERS[bench].scale === 'points1000' ? 10 : 1);
}

function countBy(units: readonly UnitOutcome[], pred: (u: UnitOutcome) => boolean): number {
  let k = 0;
  for (const u of units) if (pred(u)) k++;
  return k;
}

function incompleteOf(cur: BenchEntry): BenchGate['incomplete'] {
  const units = cur.units ?? [];
  return {
    failed: countBy(units, (u) => u.status === 'failed') || (cur.failedSamples ?? 0),
    missing: cur.missingSamples ?? 0,
    judgeFailed: countBy(units, (u) => u.status === 'judge_failed'),
    needsJudge: countBy(units, (u) => u.status === 'needs_judge' && u.value === null),
  };
}

function incompleteText(inc: BenchGate['incomplete']): string {
  const parts: string[] = [];
  if (inc.failed) parts.push(`${inc.failed} failed sample(s)`);
  if (inc.missing) parts.push(`${inc.missing} sample(s) not run`);
  if (inc.judgeFailed) parts.push(`${inc.judgeFailed} judge failure(s)`);
  if (inc.needsJudge) parts.push(`${inc.needsJudge} item(s) never judged`);
  return parts.join(', ');
}

const sample = (ids: string[]): string => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', …' : '');

interface Pairing {
  base: Float64Array;
  cur: Float64Array;
  excluded: { baseline: Record<string, number>; current: Record<string, number> };
  subset?: { onlyCurrent: number; onlyBaseline: number };
}

function pairUnits(
  bench: BenchId,
  base: readonly UnitOutcome[],
  cur: readonly UnitOutcome[],
  missing: number,
  opts: GateOptions,
  problems: string[],
  notGated: (why: string) => void,
): Pairing | null {
  const baseById = new Map(base.map((u) => [u.id, u]));
  const curIds = new Set(cur.map((u) => u.id));
  const onlyCurrent = cur.filter((u) => !baseById.has(u.id)).map((u) => u.id);
  const onlyBaseline = base.filter((u) => !curIds.has(u.id)).map((u) => u.id);
  if ((onlyCurrent.length > 0 || onlyBaseline.length > 0) && !opts.allowSubset) {
    const parts: string[] = [];
    if (onlyCurrent.length) parts.push(`${onlyCurrent.length} id(s) only in the current run (${sample(onlyCurrent)})`);
    if (onlyBaseline.length) parts.push(`${onlyBaseline.length} id(s) only in the baseline (${sample(onlyBaseline)})`);
    problems.push(
      `${bench}: the sample sets differ: ${parts.join('; ')}; ${cur.length} units in the run, ${base.length} in the baseline — ` +
        (missing > 0
          ? `the run has ${missing} sample(s) not yet run: re-run the same cogeval eval command to finish it`
          : 'gate runs made with the same dataset, --limit and --shard, or pass --allow-subset to compare the ids present in both'),
    );
    return null;
  }
  const excluded = { baseline: {} as Record<string, number>, current: {} as Record<string, number> };
  const b: number[] = [];
  const c: number[] = [];
  for (const u of cur) {
    const v = baseById.get(u.id);
    if (!v) continue;
    if (v.value === null || u.value === null) {
      if (v.value === null) excluded.baseline[v.status] = (excluded.baseline[v.status] ?? 0) + 1;
      if (u.value === null) excluded.current[u.status] = (excluded.current[u.status] ?? 0) + 1;
      continue;
    }
    b.push(v.value);
    c.push(u.value);
  }
  if (b.length === 0) {
    const why = (r: Record<string, number>): string => Object.entries(r).map(([s, k]) => `${k} ${s}`).join(', ') || 'none';
    notGated(`no unit is scored in both (excluded in the run: ${why(excluded.current)}; in the baseline: ${why(excluded.baseline)}) — nothing to compare; run it with a judge`);
    return null;
  }
  return {
    base: Float64Array.from(b),
    cur: Float64Array.from(c),
    excluded,
    ...(opts.allowSubset && (onlyCurrent.length || onlyBaseline.length) ? { subset: { onlyCurrent: onlyCurrent.length, onlyBaseline: onlyBaseline.length } } : {}),
  };
}

function meanOf(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s / a.length;
}

/** Exact-ish comparison that ignores floating residue (a drop of exactly T is not "more than T"). */
const EPS = 1e-9;

function fmtNum(x: number, dec: number): string {
  return Number.isFinite(x) ? x.toFixed(dec) : 'n/a';
}

/** A benchmark of the run with nothing scored (every sample failed, nothing judged) against a baseline that has a score: incomplete. */
function nothingScored(bench: BenchId, cur: BenchEntry, base: BenchEntry, opts: GateOptions): BenchGate {
  const inc = incompleteOf(cur);
  return {
    bench,
    scale: SCORERS[bench].scale,
    profile: cur.profile,
    judgeMode: cur.judgeMode,
    test: 'none',
    baseline: base.value,
    current: Number.NaN,
    delta: Number.NaN,
    tolerance: toleranceFor(bench, opts),
    ci: null,
    pValue: null,
    n: 0,
    ownScores: { baseline: base.value, current: Number.NaN },
    incomplete: inc,
    verdict: 'incomplete',
    // --allow-incomplete allows a score over part of the items, not the absence of any.
    reason: `nothing of it is scored in the run (${cur.noScore ?? incompleteText(inc)})${opts.allowIncomplete ? '; --allow-incomplete does not apply when nothing can be compared' : ''}`,
  };
}

function compareBench(
  bench: BenchId,
  cur: BenchEntry,
  base: BenchEntry,
  opts: GateOptions,
  ciLevel: number,
  problems: string[],
  notGated: (why: string) => void,
): BenchGate | null {
  const scorer = SCORERS[bench];
  const f = scaleOf(bench);
  const dec = scorer.scale === 'percent' ? 2 : 1;
  const tolerance = toleranceFor(bench, opts);
  const incomplete = incompleteOf(cur);
  const isIncomplete = incomplete.failed + incomplete.missing + incomplete.judgeFailed + incomplete.needsJudge > 0;
  if (base.profile !== undefined && cur.profile !== base.profile) {
    problems.push(`${bench}: scored under profile ${cur.profile} in the run but ${base.profile} in the baseline — rescore one of them (cogeval rescore RUN --profile ${bench}=${base.profile})`);
  }
  if (base.judgeMode !== undefined && cur.judgeMode !== base.judgeMode) {
    problems.push(`${bench}: judge mode ${cur.judgeMode} in the run but ${base.judgeMode} in the baseline — rescore with the same --judge-mode`);
  }
  if (problems.some((p) => p.startsWith(`${bench}:`))) return null;
  const common = {
    bench,
    scale: scorer.scale,
    profile: cur.profile,
    judgeMode: cur.judgeMode,
    tolerance,
    ownScores: { baseline: base.value, current: cur.value },
    incomplete,
  };
  const incompleteSuffix = isIncomplete ? `; the run is incomplete: ${incompleteText(incomplete)}` : '';

  if (!base.units) {
    // Threshold only: reported scores (or a baseline saved without units) carry no per-unit results.
    const delta = cur.value - base.value;
    const drop = delta < -tolerance - EPS;
    let verdict: BenchVerdict = drop ? 'regression' : 'pass';
    const reason = drop
      ? `dropped ${fmtNum(-delta, dec)} > ${fmtNum(tolerance, dec)} (no per-unit baseline: threshold only)`
      : delta >= 0
        ? 'no drop'
        : `drop ${fmtNum(-delta, dec)} within tolerance ${fmtNum(tolerance, dec)}`;
    if (isIncomplete && !opts.allowIncomplete && verdict === 'pass') verdict = 'incomplete';
    const ci = cur.ci && Number.isFinite(cur.ci.lo) ? { lo: cur.ci.lo - base.value, hi: cur.ci.hi - base.value, level: 0.95 } : null;
    return { ...common, test: 'threshold', baseline: base.value, current: cur.value, delta, ci, pValue: null, n: cur.n ?? null, verdict, reason: reason + incompleteSuffix };
  }

  const pairing = pairUnits(bench, base.units, cur.units ?? [], incomplete.missing, opts, problems, notGated);
  if (!pairing) return null;
  const boot = pairedBootstrap(pairing.base, pairing.cur, { resamples: opts.resamples, seed: opts.seed, level: ciLevel });
  const binary = scorer.binary && allBinary(pairing.base) && allBinary(pairing.cur);
  let pValue = boot.pValue;
  let discordant: DiscordantCounts | undefined;
  if (binary) {
    discordant = discordantCounts(pairing.base, pairing.cur);
    pValue = mcnemarExactOneSided(discordant.losses, discordant.gains);
  }
  const baseline = meanOf(pairing.base) * f;
  const current = meanOf(pairing.cur) * f;
  const delta = boot.delta * f;
  const beyond = delta < -tolerance - EPS;
  const significant = pValue < opts.alpha;
  let verdict: BenchVerdict;
  let reason: string;
  if (beyond && significant) {
    verdict = 'regression';
    reason = `dropped ${fmtNum(-delta, dec)} > ${fmtNum(tolerance, dec)} and ${pIs(pValue)} < ${opts.alpha}`;
  } else {
    verdict = 'pass';
    reason = delta >= -EPS ? 'no drop' : beyond ? `drop ${fmtNum(-delta, dec)} is not significant (${pIs(pValue)} ≥ ${opts.alpha}): noise` : `drop ${fmtNum(-delta, dec)} within tolerance ${fmtNum(tolerance, dec)}`;
  }
  if (isIncomplete && !opts.allowIncomplete && verdict === 'pass') verdict = 'incomplete';
  reason += incompleteSuffix;
  return {
    ...common,
    test: binary ? 'mcnemar-exact' : 'paired-bootstrap',
    baseline,
    current,
    delta,
    ci: { lo: boot.lo * f, hi: boot.hi * f, level: ciLevel },
    pValue,
    n: pairing.base.length,
    ...(discordant ? { discordant } : {}),
    excluded: pairing.excluded,
    ...(pairing.subset ? { subset: pairing.subset } : {}),
    verdict,
    reason,
  };
}

/** p-values as the table prints them. */
export function fmtP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  if (p < 1e-4) return '<0.0001';
  return p >= 0.01 ? p.toFixed(3) : p.toPrecision(2);
}

/** `p = 0.012` or `p < 0.0001`, for sentences. */
function pIs(p: number): string {
  const t = fmtP(p);
  return t.startsWith('<') ? `p < ${t.slice(1)}` : `p = ${t}`;
}

function benchOrder(a: BenchId, b: BenchId): number {
  return BENCH_IDS.indexOf(a) - BENCH_IDS.indexOf(b);
}

/**
 * Compares `current` (a scored run) with `baseline`. Throws GateInputError listing every
 * mismatch (benchmarks, sample sets, profiles, judge modes); otherwise returns the report.
 */
export function gate(current: ScoreSource, baseline: ScoreSource, options: Partial<GateOptions> = {}): GateReport {
  const opts: GateOptions = { ...DEFAULT_GATE_OPTIONS, ...options, benchTolerance: { ...options.benchTolerance } };
  if (!(opts.alpha > 0 && opts.alpha < 0.5)) throw new InputError(`--alpha ${opts.alpha}: must be in (0, 0.5) (a one-sided level, e.g. 0.05)`);
  if (!(opts.tolerance >= 0) || !Number.isFinite(opts.tolerance)) throw new InputError(`--tolerance ${opts.tolerance}: must be a number ≥ 0 (percentage points)`);
  for (const [b, t] of Object.entries(opts.benchTolerance)) {
    if (!(typeof t === 'number' && t >= 0 && Number.isFinite(t))) throw new InputError(`--tolerance ${b}=${t}: must be a number ≥ 0 on ${b}'s table scale`);
  }
  const ciLevel = 1 - 2 * opts.alpha;
  const problems: string[] = [];
  const notes: string[] = [];
  const skipped: { bench: BenchId; why: string }[] = [];
  const curBenches = Object.keys(current.benches) as BenchId[];
  const baseBenches = Object.keys(baseline.benches) as BenchId[];
  const reported = baseline.kind === 'reported';
  let benches: BenchId[];
  if (opts.benches && opts.benches.length > 0) {
    benches = [...new Set(opts.benches)];
    for (const b of benches) {
      if (!current.benches[b]) problems.push(`${b}: not in the current run (${current.unscored?.[b] ? `not scored: ${current.unscored[b]}` : `it has ${curBenches.join(', ') || 'no benchmark'}`})`);
      if (!baseline.benches[b]) problems.push(`${b}: not in the baseline ${baseline.path} (it has ${baseBenches.join(', ') || 'no benchmark'})`);
    }
  } else if (reported) {
    // A reported number that is not the quantity cogeval measures (another split) is not gated
    // unless asked for by name with --bench.
    benches = curBenches.filter((b) => baseline.benches[b] && !baseline.notComparable?.[b]);
    for (const b of curBenches) {
      if (!baseline.benches[b]) skipped.push({ bench: b, why: `no reported ${b} score in ${baseline.label}` });
      else if (baseline.notComparable?.[b]) skipped.push({ bench: b, why: `not comparable — ${baseline.notComparable[b]} (gate it anyway with --bench ${b})` });
    }
    // Reported benchmarks the run did not evaluate are not listed (a reported row has all seven).
    if (benches.length === 0) {
      problems.push(
        `nothing to compare between the run (${curBenches.join(', ') || 'no scored benchmark'}) and ${baseline.label}: ${skipped.map((s) => `${s.bench}: ${s.why}`).join('; ') || 'no benchmark in common'}`,
      );
    }
  } else {
    benches = [...new Set([...curBenches, ...baseBenches])];
    for (const b of benches) {
      if (!current.benches[b]) {
        problems.push(`${b}: in the baseline but not in the current run${current.unscored?.[b] ? ` (not scored: ${current.unscored[b]})` : ''} — run it too, or gate a subset with --bench`);
      } else if (!baseline.benches[b]) {
        problems.push(`${b}: in the current run but not in the baseline ${baseline.path} — save a baseline that has it, or gate a subset with --bench`);
      }
    }
  }
  benches.sort(benchOrder);
  if (reported) {
    for (const b of benches) if (baseline.notComparable?.[b]) notes.push(`${b}: compared as asked (--bench), but the reported number is not the same quantity — ${baseline.notComparable[b]}`);
  }
  const results: BenchGate[] = [];
  const named = new Set(opts.benches ?? []);
  // A benchmark that cannot be compared is "not gated" with its reason, unless --bench names it.
  const notGatedFor =
    (b: BenchId) =>
    (why: string): void => {
      if (named.has(b)) problems.push(`${b}: cannot be compared, but --bench names it: ${why}`);
      else skipped.push({ bench: b, why: `not gated — ${why}` });
    };
  for (const b of benches) {
    const cur = current.benches[b];
    const base = baseline.benches[b];
    if (!cur || !base) continue;
    const notGated = notGatedFor(b);
    if (cur.noScore !== undefined) {
      const inc = incompleteOf(cur);
      // The run evaluated it but nothing came out (failures, no judge): incomplete, when there is something to compare with.
      if (base.noScore === undefined && inc.failed + inc.missing + inc.judgeFailed + inc.needsJudge > 0) results.push(nothingScored(b, cur, base, opts));
      else if (base.noScore === undefined) notGated(`the run has no score: ${cur.noScore}`);
      else notGated(base.noScore.endsWith(cur.noScore) ? `neither side has a score: ${cur.noScore}` : `neither side has a score (run: ${cur.noScore}; baseline: ${base.noScore})`);
      continue;
    }
    if (base.noScore !== undefined) {
      notGated(base.noScore);
      continue;
    }
    const r = compareBench(b, cur, base, opts, ciLevel, problems, notGated);
    if (r) results.push(r);
    if (base.datasetRevision && cur.datasetRevision && base.datasetRevision !== cur.datasetRevision) {
      notes.push(`${b}: dataset revision ${cur.datasetRevision} in the run, ${base.datasetRevision} in the baseline — the same ids may hold different data`);
    }
    if (r && r.test !== 'threshold') {
      const dec = SCORERS[b].scale === 'percent' ? 1 : 0;
      const own = r.ownScores;
      if (Math.abs(own.baseline - r.baseline) > 0.5 * 10 ** -dec || Math.abs(own.current - r.current) > 0.5 * 10 ** -dec) {
        notes.push(`${b}: compared on the ${r.n} units scored in both; the runs' own scores are ${fmtNum(own.baseline, dec)} (baseline) and ${fmtNum(own.current, dec)} (current)`);
      }
      const ex = r.excluded;
      if (ex && (Object.keys(ex.baseline).length || Object.keys(ex.current).length)) {
        const list = (o: Record<string, number>): string => Object.entries(o).map(([s, k]) => `${k} ${s}`).join(', ');
        notes.push(`${b}: left out of the pairing — run: ${list(ex.current) || 'none'}; baseline: ${list(ex.baseline) || 'none'}`);
      }
      if (r.subset) notes.push(`${b}: --allow-subset: ${r.subset.onlyCurrent} id(s) only in the run and ${r.subset.onlyBaseline} only in the baseline were not compared`);
    }
  }
  if (problems.length === 0 && results.length === 0) {
    problems.push(`nothing to compare: ${skipped.map((x) => `${x.bench}: ${x.why}`).join('; ') || 'no benchmark in common'}`);
  }
  if (problems.length > 0) throw new GateInputError(problems);
  if (reported) notes.push(`${baseline.label} has no per-sample results: each benchmark fails when it is more than T below the reported score (no significance test); reported scores name no scorer profile, the run's are shown`);
  if (baseline.kind === 'baseline-file' && results.some((r) => r.test === 'threshold')) {
    notes.push(`${baseline.path} was saved without per-unit results (--no-units): threshold only, no significance test`);
  }
  if (current.protocol && baseline.protocol && current.protocol !== baseline.protocol) notes.push(`protocol ${current.protocol} in the run, ${baseline.protocol} in the baseline`);
  if (current.model && baseline.model && current.model !== baseline.model) notes.push(`model ${current.model} in the run, ${baseline.model} in the baseline`);
  const failed = results.some((r) => r.verdict !== 'pass');
  const tolerances: Partial<Record<BenchId, number>> = {};
  for (const r of results) tolerances[r.bench] = r.tolerance;
  return {
    format: 'cogeval-gate',
    version: 1,
    verdict: failed ? 'fail' : 'pass',
    exitCode: failed ? 1 : 0,
    current: { label: current.label, path: current.path, model: current.model, protocol: current.protocol },
    baseline: { label: baseline.label, path: baseline.path, kind: baseline.kind, model: baseline.model, row: baseline.row, protocol: baseline.protocol },
    settings: {
      tolerance: opts.tolerance,
      tolerances,
      alpha: opts.alpha,
      ciLevel,
      resamples: opts.resamples,
      seed: opts.seed,
      allowSubset: opts.allowSubset,
      allowIncomplete: opts.allowIncomplete,
    },
    benches: results,
    skipped,
    notes,
    method: methodText(opts, ciLevel, reported),
  };
}

function methodText(opts: GateOptions, ciLevel: number, reported: boolean): string[] {
  const pct = Math.round(ciLevel * 100);
  const lines = [
    `A benchmark fails when it drops by more than T (${opts.tolerance} percentage point(s); OCRBench ${opts.tolerance * 10} points of 1000${Object.keys(opts.benchTolerance).length ? '; per-benchmark overrides as given' : ''})` +
      (reported ? '.' : ` and the drop is significant on the paired units: one-sided p < α = ${opts.alpha}.`),
  ];
  if (!reported) {
    lines.push(
      '0/1 benchmarks (ChartQA, OCRBench, MMMU, MMBench circular groups): exact one-sided McNemar test — the losses among the discordant pairs against Binomial(losses + gains, 1/2), summed exactly.',
      `Graded benchmarks (TextVQA, DocVQA, MM-Vet): paired bootstrap of the mean difference, ${opts.resamples} resamples of the paired units, seed ${opts.seed}; p = (resamples with no drop + 1) / (resamples + 1).`,
      `Δ CI: ${pct}% paired-bootstrap interval (two-sided ${pct}% = one-sided ${Math.round((1 - opts.alpha) * 100)}% upper bound, matching the one-sided test). Units excluded on either side (failed, judge_failed, not_applicable) are left out of the pairing and counted.`,
    );
  }
  lines.push(
    `Failed or missing samples, judge failures and items never judged in the current run fail the gate (verdict "incomplete")${opts.allowIncomplete ? ' — disabled by --allow-incomplete' : ''}: a score over part of the items can hide a regression.`,
  );
  return lines;
}

const VERDICT_TEXT: Record<BenchVerdict, string> = { pass: 'pass', regression: '**FAIL** regression', incomplete: '**FAIL** incomplete' };
const TEST_TEXT: Record<GateTest, string> = { 'mcnemar-exact': 'McNemar exact', 'paired-bootstrap': 'paired bootstrap', threshold: 'threshold', none: 'none (nothing scored)' };

function signed(x: number, dec: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = x.toFixed(dec);
  return x >= 0 || Number(s) === 0 ? `+${s.replace('-', '')}` : s;
}

/** The Markdown report: heading, table (benchmark, baseline, current, Δ, CI, p, verdict), notes, method. */
export function formatGateMarkdown(r: GateReport): string[] {
  const pct = Math.round(r.settings.ciLevel * 100);
  const threshold = r.benches.every((b) => b.test === 'threshold');
  const out = [
    `## cogeval gate: ${r.verdict === 'pass' ? 'PASS' : 'FAIL'}`,
    '',
    `Current: ${r.current.label} (\`${r.current.path}\`) · baseline: ${r.baseline.label} · T = ${r.settings.tolerance} point(s), α = ${r.settings.alpha} (one-sided)`,
    '',
    `| benchmark | baseline | current | Δ | ${threshold ? '95% CI of current − baseline' : `${pct}% CI of Δ`} | p (one-sided) | n | test | verdict |`,
    '|---|---:|---:|---:|---|---:|---:|---|---|',
  ];
  for (const b of r.benches) {
    const dec = b.scale === 'percent' ? 1 : 0;
    const ddec = dec + 1;
    const ci = b.ci ? `[${signed(b.ci.lo, ddec)}, ${signed(b.ci.hi, ddec)}]` : '—';
    const disc = b.discordant ? ` (${b.discordant.losses} lost, ${b.discordant.gains} gained)` : '';
    out.push(
      `| ${b.bench}${b.profile ? ` (${b.profile})` : ''} | ${fmtNum(b.baseline, dec)} | ${fmtNum(b.current, dec)} | ${signed(b.delta, ddec)} | ${ci} | ${fmtP(b.pValue)} | ${b.n ?? '—'} | ${TEST_TEXT[b.test]}${disc} | ${VERDICT_TEXT[b.verdict]}: ${b.reason} |`,
    );
  }
  if (r.skipped.length > 0) out.push('', `Not compared: ${r.skipped.map((s) => `${s.bench} (${s.why})`).join('; ')}.`);
  if (r.notes.length > 0) out.push('', '**Notes**', '', ...r.notes.map((n) => `- ${n}`));
  out.push('', '<details><summary>Method</summary>', '', ...r.method.map((m) => `- ${m}`), '', '</details>');
  return out;
}
