// `data pull --source hf`: lists the split's parquet shards at a commit, downloads each with
// @huggingface/hub into the standard cache (behind p-limit), checks every file's SHA-256 against
// the Hub's LFS oid, and records commit and checksums in cogeval.lock.json. Files already present
// and verified are skipped, so an interrupted pull resumes file by file; nothing touches the
// network when everything is present.
import { rm, stat, unlink } from 'node:fs/promises';
import { datasetInfo, downloadFileToCacheDir, listFiles, type ListFileEntry } from '@huggingface/hub';
import pLimit from 'p-limit';
import type { BenchId } from '../../metrics/types.js';
import { DataFetchError, DataIntegrityError, DataMissingError, describeError } from './errors.js';
import { blobPath, isCommitHash, listShards, matchesShard, repoFolderName, snapshotDir, writeRef, type LocalFile } from './hf-cache.js';
import { hashFile, type HashAlgorithm } from '../../util/hash.js';
import { lookupHfCache, type HfCacheLookup } from './hf-lookup.js';
import { parquetRowCounts } from './counts.js';
import { lockKey, readLock, updateLock, type HfLockEntry, type LockedFile } from './lock.js';
import { formatBytes, type PullProgress } from './progress.js';
import type { HfDatasetSpec } from './specs.js';
import { dataCatalogFile } from '../catalog.js';

export interface HfPullOptions {
  bench: BenchId;
  spec: HfDatasetSpec;
  cacheDir: string;
  lockFile: string;
  hubUrl: string;
  /** Injected for tests and proxies; the global fetch otherwise. */
  fetch?: typeof fetch;
  accessToken?: string;
  /** HF_HUB_OFFLINE: never call the network. */
  offline: boolean;
  concurrency: number;
  /** Re-resolve 'main' for an unpinned dataset instead of keeping the locked commit. */
  update: boolean;
  progress: PullProgress;
}

export type FileStatus = 'verified' | 'downloaded' | 'failed';

export interface PulledFile {
  path: string;
  size: number;
  status: FileStatus;
  detail?: string;
}

export interface HfPullOutcome {
  bench: BenchId;
  source: 'hf';
  repo: string;
  revision: string;
  pinned: boolean;
  files: PulledFile[];
  rows: number;
  networkUsed: boolean;
  errors: string[];
  warnings: string[];
}

export function pullCommand(bench: BenchId, source: 'hf' | 'vlmevalkit'): string {
  return `cogeval data pull --bench ${bench} --source ${source}`;
}

/** Expected checksum of a listed file: its LFS sha256, else the git blob id of a small file. */
function expectedChecksum(entry: ListFileEntry): { algorithm: HashAlgorithm; value: string } | undefined {
  if (entry.lfs?.oid !== undefined) return { algorithm: 'sha256', value: entry.lfs.oid };
  if (entry.oid !== undefined && /^[0-9a-f]{40}$/.test(entry.oid)) return { algorithm: 'git-sha1', value: entry.oid };
  return undefined;
}

/** Verifies every file of a complete cache lookup against the lock (or the blob names); failures listed. */
async function verifyPresent(found: HfCacheLookup): Promise<{ files: PulledFile[]; locked: LockedFile[] }> {
  const entry = found.lockEntry;
  const lockedByPath = new Map((entry !== undefined && entry.revision === found.commit ? entry.files : []).map((f) => [f.path, f]));
  const files: PulledFile[] = [];
  const locked: LockedFile[] = [];
  for (const f of found.files) {
    const sha = await hashFile(f.target, 'sha256');
    const expected = lockedByPath.get(f.path)?.sha256 ?? contentAddressSha(f);
    if (expected !== undefined && expected !== sha) {
      files.push({ path: f.path, size: f.size, status: 'failed', detail: `sha256 ${sha} differs from the expected ${expected}` });
    } else {
      files.push({ path: f.path, size: f.size, status: 'verified' });
      locked.push({ path: f.path, size: f.size, sha256: sha });
    }
  }
  return { files, locked };
}

function contentAddressSha(f: LocalFile): string | undefined {
  const name = f.target.split(/[\\/]/).pop() ?? '';
  return /^[0-9a-f]{64}$/.test(name) ? name : undefined;
}

/**
 * `HF_HUB_OFFLINE` or a failed network call while data is missing: names what is missing, where
 * it was looked for, and the exact command that fetches it.
 */
export function missingHfMessage(bench: BenchId, spec: HfDatasetSpec, cacheDir: string, found: HfCacheLookup, why: string): string {
  const at = found.commit !== undefined ? ` at commit ${found.commit}` : '';
  const where = found.commit !== undefined ? `${repoFolderName(found.repo)}/snapshots/${found.commit}/` : `${repoFolderName(found.repo)}/`;
  return (
    `${bench}: the Hugging Face dataset ${spec.repo} (config ${spec.config}, split ${spec.split})${at} is not in the cache ${cacheDir}: ` +
    `${found.reason ?? 'incomplete'} (looked for ${where}${spec.dir === '' ? '' : spec.dir + '/'}${spec.pattern}). ${why}`
  );
}

export async function pullHf(opts: HfPullOptions): Promise<HfPullOutcome> {
  const { bench, spec, cacheDir, progress } = opts;
  const lock = await readLock(opts.lockFile);
  const found = await lookupHfCache(bench, spec, cacheDir, lock);
  const warnings: string[] = [];
  const pinned = spec.revision !== null;

  // 1. Everything present: verify and stop, without the network.
  if (found.complete && found.commit !== undefined && !(opts.update && !pinned)) {
    const { files, locked } = await verifyPresent(found);
    const failed = files.filter((f) => f.status === 'failed');
    if (failed.length === 0) {
      const rows = await parquetRowCounts(found.files.map((f) => f.file));
      if (found.lockEntry?.revision !== found.commit || found.lockEntry.rows !== rows) {
        const from = found.lockEntry?.resolvedFrom ?? (found.revisionState === 'ref' ? 'main' : undefined);
        await updateLock(opts.lockFile, lockKey(bench, 'hf'), lockEntryOf(bench, spec, found.repo, found.commit, pinned, locked, rows, from));
      }
      for (const f of files) progress.log(`  ${f.path}: present, sha256 verified`);
      return { bench, source: 'hf', repo: found.repo, revision: found.commit, pinned, files, rows, networkUsed: false, errors: [], warnings };
    }
    if (opts.offline) {
      const list = failed.map((f) => `${f.path} (${f.detail})`).join('; ');
      throw new DataIntegrityError(`${bench}: corrupt file(s) in the Hugging Face cache: ${list}. HF_HUB_OFFLINE=1 forbids fetching them again; unset it and run: ${pullCommand(bench, 'hf')}`);
    }
    warnings.push(`re-downloading ${failed.length} file(s) that failed verification`);
  }

  if (opts.offline) {
    throw new DataMissingError(missingHfMessage(bench, spec, cacheDir, found, `HF_HUB_OFFLINE=1 is set, so nothing can be downloaded. Copy the cache from a machine that has it, or unset HF_HUB_OFFLINE and run: ${pullCommand(bench, 'hf')}`));
  }

  const repo = found.repo;
  const hub = { hubUrl: opts.hubUrl, fetch: opts.fetch, accessToken: opts.accessToken };
  const networkFailure = (what: string, err: unknown): DataFetchError =>
    new DataFetchError(
      missingHfMessage(bench, spec, cacheDir, found, `Downloading failed while ${what} from ${opts.hubUrl}: ${describeError(err)}. Check the network (or HF_ENDPOINT, HF_TOKEN for gated data) and run again: ${pullCommand(bench, 'hf')}`),
    );

  // 2. The commit: pinned, locked, or 'main' resolved once now.
  let commit: string;
  let resolvedFrom: string | undefined = found.lockEntry?.resolvedFrom;
  if (spec.revision !== null) {
    commit = spec.revision;
  } else if (found.lockEntry !== undefined && !opts.update) {
    commit = found.lockEntry.revision;
  } else {
    let info: { sha?: string };
    try {
      info = await datasetInfo({ name: repo, revision: 'main', additionalFields: ['sha'], ...hub });
    } catch (err) {
      throw networkFailure(`resolving 'main' of ${repo}`, err);
    }
    if (typeof info.sha !== 'string' || !isCommitHash(info.sha)) {
      throw new DataFetchError(`${bench}: the Hub answered without a commit hash for 'main' of ${repo}; try again later`);
    }
    commit = info.sha;
    resolvedFrom = 'main';
    progress.log(`${bench}: ${repo} 'main' is commit ${commit}; locking it in ${opts.lockFile}`);
  }

  // 3. The split's shards at that commit.
  const listed: ListFileEntry[] = [];
  try {
    for await (const entry of listFiles({ repo: { type: 'dataset', name: repo }, revision: commit, path: spec.dir === '' ? undefined : spec.dir, recursive: false, ...hub })) {
      if (entry.type === 'file' && matchesShard(entry.path, spec.dir, spec.pattern)) listed.push(entry);
    }
  } catch (err) {
    throw networkFailure(`listing ${spec.dir}/ of ${repo} at ${commit}`, err);
  }
  listed.sort((a, b) => a.path.localeCompare(b.path));
  if (listed.length === 0) {
    throw new DataFetchError(`${bench}: ${repo} at commit ${commit} has no file matching ${spec.dir}/${spec.pattern}; the dataset layout changed — update ${dataCatalogFile(bench)}`);
  }

  // 4. Download what is missing or wrong, verify everything.
  const snapshot = snapshotDir(cacheDir, repo, commit);
  const present = new Map((await listShards(snapshot, spec.dir, spec.pattern)).files.map((f) => [f.path, f]));
  const totalBytes = listed.reduce((s, e) => s + (e.lfs?.size ?? e.size), 0);
  progress.start(`${bench} ${repo}@${commit.slice(0, 8)}`, totalBytes, listed.length);
  let bytesDone = 0;
  let filesDone = 0;
  const inFlight = new Map<string, number>();
  const report = () => progress.update(bytesDone + [...inFlight.values()].reduce((a, b) => a + b, 0), filesDone);
  const limit = pLimit(Math.max(1, opts.concurrency));
  const locked: LockedFile[] = [];
  const silence = console.debug;
  // @huggingface/hub prints a console.debug line per download; the progress reporter says it better.
  console.debug = () => {};
  let results: PulledFile[];
  try {
    results = await Promise.all(
      listed.map((entry) =>
        limit(async (): Promise<PulledFile> => {
          const size = entry.lfs?.size ?? entry.size;
          const expected = expectedChecksum(entry);
          const known = spec.knownSha256[entry.path];
          const finish = (r: PulledFile, sha?: string): PulledFile => {
            inFlight.delete(entry.path);
            bytesDone += size;
            filesDone++;
            report();
            if (r.status !== 'failed' && sha !== undefined) locked.push({ path: entry.path, size, sha256: sha });
            const note = r.status === 'verified' ? 'present, checksum verified' : r.status === 'downloaded' ? `downloaded ${formatBytes(size)}, checksum verified` : `FAILED: ${r.detail}`;
            progress.log(`  ${entry.path}: ${note}`);
            return r;
          };
          const check = async (file: string): Promise<{ ok: boolean; sha: string; detail?: string }> => {
            const sha = await hashFile(file, 'sha256');
            if (expected !== undefined) {
              const got = expected.algorithm === 'sha256' ? sha : await hashFile(file, 'git-sha1');
              if (got !== expected.value) return { ok: false, sha, detail: `${expected.algorithm} ${got} differs from the Hub's ${expected.value}` };
            }
            if (known !== undefined && known !== sha) return { ok: false, sha, detail: `sha256 ${sha} differs from the published ${known}` };
            return { ok: true, sha };
          };
          const here = present.get(entry.path);
          if (here !== undefined) {
            const c = await check(here.target);
            if (c.ok) return finish({ path: entry.path, size, status: 'verified' }, c.sha);
            await rm(here.file, { force: true });
            await rm(here.target, { force: true });
          }
          const etag = entry.lfs?.oid ?? entry.xetHash ?? entry.oid;
          const incomplete = etag !== undefined ? `${blobPath(cacheDir, repo, etag)}.incomplete` : undefined;
          const poll = setInterval(() => {
            if (incomplete === undefined) return;
            stat(incomplete).then(
              (st) => {
                inFlight.set(entry.path, Math.min(st.size, size));
                report();
              },
              () => {},
            );
          }, 500);
          let pointer: string;
          try {
            pointer = await downloadFileToCacheDir({ repo: { type: 'dataset', name: repo }, path: entry.path, revision: commit, cacheDir, ...hub });
          } catch (err) {
            return finish({ path: entry.path, size, status: 'failed', detail: `download failed: ${describeError(err)}` });
          } finally {
            clearInterval(poll);
          }
          const target = (await listShards(snapshot, spec.dir, spec.pattern)).files.find((f) => f.path === entry.path)?.target ?? pointer;
          const c = await check(target);
          if (!c.ok) {
            // Never leave a corrupt blob under the name of the good content.
            await unlink(pointer).catch(() => {});
            await rm(target, { force: true });
            return finish({ path: entry.path, size, status: 'failed', detail: `checksum mismatch after download: ${c.detail}; the corrupt file was deleted` });
          }
          return finish({ path: entry.path, size, status: 'downloaded' }, c.sha);
        }),
      ),
    );
  } finally {
    console.debug = silence;
    progress.stop();
  }

  const errors = results.filter((r) => r.status === 'failed').map((r) => `${bench}: ${r.path}: ${r.detail}`);
  if (resolvedFrom !== undefined) await writeRef(cacheDir, repo, resolvedFrom, commit);
  let rows = 0;
  if (errors.length === 0) {
    const files = (await listShards(snapshot, spec.dir, spec.pattern)).files.filter((f) => listed.some((e) => e.path === f.path));
    rows = await parquetRowCounts(files.map((f) => f.file));
    if (rows !== spec.rows) warnings.push(`${bench}: ${rows} rows at ${commit}, ${dataCatalogFile(bench)} expects ${spec.rows}`);
    locked.sort((a, b) => a.path.localeCompare(b.path));
    await updateLock(opts.lockFile, lockKey(bench, 'hf'), lockEntryOf(bench, spec, repo, commit, pinned, locked, rows, resolvedFrom));
  } else {
    errors.push(`${bench}: ${errors.length} file(s) failed; files that passed are kept, run again to retry: ${pullCommand(bench, 'hf')}`);
  }
  return { bench, source: 'hf', repo, revision: commit, pinned, files: results, rows, networkUsed: true, errors, warnings };
}

function lockEntryOf(bench: BenchId, spec: HfDatasetSpec, repo: string, commit: string, pinned: boolean, files: LockedFile[], rows: number, resolvedFrom: string | undefined): HfLockEntry {
  return {
    source: 'hf',
    bench,
    repo,
    config: spec.config,
    split: spec.split,
    revision: commit,
    pinned,
    ...(resolvedFrom !== undefined && !pinned ? { resolvedFrom } : {}),
    files,
    rows,
    pulledAt: new Date().toISOString(),
  };
}
