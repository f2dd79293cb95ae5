// Finds a benchmark's HF parquet shards in the local cache with zero network calls: which commit
// (pinned in the config, locked by a previous pull, or refs/main), which shard files, and
// whether the set is complete.
import type { BenchId } from '../../metrics/types.js';
import { cachedRepoName, listShards, readRef, snapshotDir, type LocalFile } from './hf-cache.js';
import { parquetRowCounts } from './counts.js';
import { lockKey, type HfLockEntry, type LockFile } from './lock.js';
import type { HfDatasetSpec } from './specs.js';
import { dataCatalogFile } from '../catalog.js';

/** Where the commit came from: the benchmark's data.json (pinned), cogeval.lock.json (locked), or the cache's refs/main (ref). */
export type RevisionState = 'pinned' | 'locked' | 'ref';

export interface HfCacheLookup {
  /** The repository name whose cache folder holds (or will hold) the data. */
  repo: string;
  commit?: string;
  revisionState?: RevisionState;
  snapshot?: string;
  files: LocalFile[];
  dangling: string[];
  lockEntry?: HfLockEntry;
  complete: boolean;
  /** Why the data is not usable, for messages (absent when complete). */
  reason?: string;
}

export function lockedEntry(lock: LockFile, bench: BenchId, spec: HfDatasetSpec): HfLockEntry | undefined {
  const entry = lock.entries[lockKey(bench, 'hf')];
  if (entry === undefined || entry.source !== 'hf') return undefined;
  if (entry.repo !== spec.repo && !spec.aliases.includes(entry.repo)) return undefined;
  if (entry.config !== spec.config || entry.split !== spec.split) return undefined;
  return entry;
}

export async function lookupHfCache(bench: BenchId, spec: HfDatasetSpec, cacheDir: string, lock: LockFile): Promise<HfCacheLookup> {
  const names = [spec.repo, ...spec.aliases];
  const repo = (await cachedRepoName(cacheDir, names)) ?? spec.repo;
  const entry = lockedEntry(lock, bench, spec);
  let commit: string | undefined;
  let revisionState: RevisionState | undefined;
  if (spec.revision !== null) {
    commit = spec.revision;
    revisionState = 'pinned';
  } else if (entry !== undefined) {
    commit = entry.revision;
    revisionState = 'locked';
  } else {
    commit = await readRef(cacheDir, repo, 'main');
    revisionState = commit === undefined ? undefined : 'ref';
  }
  const base: HfCacheLookup = { repo, commit, revisionState, files: [], dangling: [], lockEntry: entry, complete: false };
  if (commit === undefined) {
    return { ...base, reason: `no commit known for ${spec.repo}: not pinned in ${dataCatalogFile(bench)}, not in the lock file, and no refs/main in the cache` };
  }
  const snapshot = snapshotDir(cacheDir, repo, commit);
  const { files, dangling } = await listShards(snapshot, spec.dir, spec.pattern);
  const found = { ...base, snapshot, files, dangling };
  const wanted = `${spec.dir === '' ? '' : spec.dir + '/'}${spec.pattern}`;
  if (dangling.length > 0) {
    return { ...found, reason: `broken link(s) in the snapshot (blob deleted?): ${dangling.join(', ')}` };
  }
  if (files.length === 0) {
    return { ...found, reason: `no ${wanted} in ${snapshot}` };
  }
  if (entry !== undefined && entry.revision === commit) {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const missing = entry.files.filter((f) => byPath.get(f.path)?.size !== f.size).map((f) => f.path);
    if (missing.length > 0) return { ...found, reason: `missing or incomplete shard(s): ${missing.join(', ')}` };
    return { ...found, complete: true };
  }
  // No record of what a complete download holds (e.g. a cache filled by Python's huggingface_hub):
  // complete when the shards present hold the split's known number of rows.
  let rows: number;
  try {
    rows = await parquetRowCounts(files.map((f) => f.file));
  } catch (err) {
    return { ...found, reason: (err as Error).message };
  }
  if (rows !== spec.rows) {
    return { ...found, reason: `the ${files.length} shard(s) present hold ${rows} rows, the split has ${spec.rows}: part of the split is missing` };
  }
  return { ...found, complete: true };
}
