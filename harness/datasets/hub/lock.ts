// cogeval.lock.json: the commit each benchmark's data was pulled at (pinned in the benchmark's data.json,
// or resolved from 'main' once), with each file's size and checksum so `data verify` and offline
// runs need no network. One file per working directory, like a package lock: commit it.
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { dirname } from 'node:path';
import type { BenchId } from '../../metrics/types.js';
import { InputError } from '../../errors.js';

export interface LockedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface HfLockEntry {
  source: 'hf';
  bench: BenchId;
  repo: string;
  config: string;
  split: string;
  /** The commit the files were downloaded at. */
  revision: string;
  /** true: the commit comes from the benchmark's data.json; false: resolved from `resolvedFrom` at pull time. */
  pinned: boolean;
  resolvedFrom?: string;
  files: LockedFile[];
  rows: number;
  pulledAt: string;
}

export interface TsvLockEntry {
  source: 'vlmevalkit';
  bench: BenchId;
  file: string;
  md5: string;
  size: number;
  /** mtime when counted/verified: lets `data ls` reuse the row count without rereading the file. */
  mtimeMs: number;
  rows: number;
  pulledAt: string;
}

export type LockEntry = HfLockEntry | TsvLockEntry;

export interface LockFile {
  version: 1;
  entries: Record<string, LockEntry>;
}

export function lockKey(bench: BenchId, source: 'hf' | 'vlmevalkit'): string {
  return `${bench}/${source}`;
}

export async function readLock(file: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
    throw new InputError(`cannot read lock file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`lock file ${file} is not valid JSON (${(err as Error).message}); fix it or delete it and run 'cogeval data pull' again`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) {
    throw new InputError(`lock file ${file}: field "version" must be 1; delete the file and run 'cogeval data pull' again`);
  }
  const entries = (parsed as { entries?: unknown }).entries;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new InputError(`lock file ${file}: field "entries" must be an object`);
  }
  for (const [key, entry] of Object.entries(entries)) {
    const e = entry as { source?: unknown; revision?: unknown; files?: unknown; md5?: unknown };
    const where = `lock file ${file}, entry "${key}"`;
    if (e.source === 'hf') {
      if (typeof e.revision !== 'string' || !/^[0-9a-f]{40}$/.test(e.revision)) throw new InputError(`${where}: field "revision" must be a 40-hex commit`);
      if (!Array.isArray(e.files)) throw new InputError(`${where}: field "files" must be a list`);
    } else if (e.source === 'vlmevalkit') {
      if (typeof e.md5 !== 'string') throw new InputError(`${where}: field "md5" must be a string`);
    } else {
      throw new InputError(`${where}: field "source" must be "hf" or "vlmevalkit"`);
    }
  }
  return parsed as LockFile;
}

/** Writes the lock atomically with sorted keys, so it diffs cleanly. */
export async function writeLock(file: string, lock: LockFile): Promise<void> {
  const sorted: LockFile = { version: 1, entries: {} };
  for (const key of Object.keys(lock.entries).sort()) sorted.entries[key] = lock.entries[key];
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomicAsync(file, JSON.stringify(sorted, null, 2) + '\n');
}

/** Read-modify-write of one entry. */
export async function updateLock(file: string, key: string, entry: LockEntry): Promise<void> {
  const lock = await readLock(file);
  lock.entries[key] = entry;
  await writeLock(file, lock);
}
