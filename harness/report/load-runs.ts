// Reads run directories for reports through run/run-format.ts: run.json, scores.json and
// throughput.json (versions checked) and samples.jsonl, checked field by field. A damaged file or
// line is reported (file:line: field) and skipped; it never stops the report and is never shown
// as a score.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { BenchId, JudgeMode } from '../metrics/types.js';
import { RUN_FILES, readRun, readSampleLines, runPath, type BenchRunScore, type RunManifest, type SampleLine, type Throughput } from '../run/run-format.js';

/** One scored unit of samples.jsonl (run-format.ts). */
export type ReportSample = SampleLine;

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
  const samples = readSampleLines(dir, problems).map((l) => l.sample);
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
