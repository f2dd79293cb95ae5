// `cogeval merge`: combines shard runs (same configuration, different --shard) into one run,
// after checking that the configurations match; predictions, judge replies and throughput merge.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { configDiff, fingerprint, type RunConfig } from './config.js';
import { JsonlAppender, ensureDir, latestPredictions, readJsonlRepairing } from './store.js';
import { predictionLines, readManifest, readThroughput, runPath, type PredictionLine, type RunManifest, type Throughput } from './run-format.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { percentiles } from './throughput.js';
import type { JudgeEntry } from './judge.js';

export interface MergeResult {
  dir: string;
  manifest: RunManifest;
  predictions: number;
  failed: number;
  duplicates: number;
  missingShards: number[];
}

function withoutShard(config: RunConfig): RunConfig {
  return { ...config, shard: null };
}

export function mergeRuns(runDirs: readonly string[], outDir: string): MergeResult {
  if (runDirs.length < 2) throw new InputError('merge needs at least two run directories');
  if (existsSync(runPath(outDir, 'manifest'))) throw new InputError(`${outDir} already holds a run; choose another --out`);
  const manifests = runDirs.map((d) => {
    if (!existsSync(runPath(d, 'manifest'))) throw new InputError(`${d} is not a run directory (no run.json)`);
    return readManifest(d);
  });
  const base = withoutShard(manifests[0].config);
  manifests.forEach((m, i) => {
    const diff = configDiff(base, withoutShard(m.config));
    if (diff.length > 0) throw new InputError(`${runDirs[i]} was run with another configuration than ${runDirs[0]}:\n  ${diff.slice(0, 10).join('\n  ')}`);
  });
  const shardCount = manifests[0].config.shard?.count;
  const seen = new Set<number>();
  for (const [i, m] of manifests.entries()) {
    if (!m.config.shard || m.config.shard.count !== shardCount) throw new InputError(`${runDirs[i]} is not a shard of the same --shard i/${shardCount ?? 'n'} split`);
    if (seen.has(m.config.shard.index)) throw new InputError(`shard ${m.config.shard.index}/${shardCount} is given twice (${runDirs[i]})`);
    seen.add(m.config.shard.index);
  }
  const missingShards = Array.from({ length: shardCount ?? 0 }, (_, k) => k + 1).filter((k) => !seen.has(k));

  const all: PredictionLine[] = [];
  const judge = new Map<string, JudgeEntry>();
  let wall = 0;
  let retries = 0;
  for (const d of runDirs) {
    for (const l of predictionLines(d)) all.push(l);
    for (const e of readJsonlRepairing<JudgeEntry>(runPath(d, 'judge'), false).rows) if (!judge.has(e.key) || judge.get(e.key)?.error) judge.set(e.key, e);
    const problems: string[] = [];
    const t = readThroughput(d, problems);
    if (problems.length > 0) throw new InputError(`${problems.join('; ')} (shard ${d})`);
    if (t) {
      wall = Math.max(wall, t.wallSeconds);
      retries += t.retries;
    }
  }
  const { done, failed, duplicates } = latestPredictions(all);
  ensureDir(outDir);
  const preds = new JsonlAppender(runPath(outDir, 'predictions'));
  for (const l of done.values()) preds.append(l);
  for (const l of failed.values()) preds.append(l);
  preds.close();
  const judgeOut = new JsonlAppender(runPath(outDir, 'judge'));
  for (const e of judge.values()) judgeOut.append(e);
  judgeOut.close();

  const lines = [...done.values()];
  const outputTokens = lines.reduce((s, l) => s + (l.outputTokens ?? 0), 0);
  const throughput: Throughput = {
    wallSeconds: wall,
    requests: lines.length + failed.size,
    completed: lines.length,
    errors: failed.size,
    retries,
    samplesPerSecond: wall > 0 ? lines.length / wall : 0,
    outputTokens,
    outputTokensPerSecond: wall > 0 ? outputTokens / wall : 0,
    latencyMs: percentiles(lines.flatMap((l) => (l.latencyMs === undefined ? [] : [l.latencyMs]))),
    ttftMs: percentiles(lines.flatMap((l) => (l.ttftMs === undefined ? [] : [l.ttftMs]))),
    errorsByKind: {},
  };
  for (const l of failed.values()) throughput.errorsByKind[l.error?.kind ?? 'unknown'] = (throughput.errorsByKind[l.error?.kind ?? 'unknown'] ?? 0) + 1;
  writeJsonAtomic(runPath(outDir, 'throughput'), { ...throughput, mergedFrom: runDirs.length, note: 'wall time: the longest shard (shards run in parallel)' });

  const now = new Date().toISOString();
  const config = base;
  const multiImageItems: RunManifest['multiImageItems'] = {};
  for (const m of manifests) for (const [b, n] of Object.entries(m.multiImageItems)) multiImageItems[b as keyof typeof multiImageItems] = (multiImageItems[b as keyof typeof multiImageItems] ?? 0) + (n ?? 0);
  const manifest: RunManifest = {
    ...manifests[0],
    id: outDir.split(/[\\/]/).filter(Boolean).pop() ?? outDir,
    fingerprint: fingerprint(config),
    config,
    createdAt: now,
    updatedAt: now,
    sessions: manifests.flatMap((m) => m.sessions),
    multiImageItems,
    // The merged run is unsharded: its selection is the whole (limited) dataset again.
    shardSelected: undefined,
    mergedFrom: runDirs.map((d) => join(d)),
  };
  writeJsonAtomic(runPath(outDir, 'manifest'), manifest);
  return { dir: outDir, manifest, predictions: lines.length, failed: failed.size, duplicates, missingShards };
}
