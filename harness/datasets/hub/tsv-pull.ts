// `data pull --source vlmevalkit`: downloads a VLMEvalKit TSV into LMUData ($LMUData or
// ~/LMUData), resuming a partial download with an HTTP Range request, and checks its MD5 against
// VLMEvalKit's DATASET_MD5. A present file with the right MD5 is never fetched again.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BenchId } from '../../metrics/types.js';
import { DataFetchError, DataIntegrityError, DataMissingError, describeError } from './errors.js';
import { hashFile } from '../../util/hash.js';
import { tsvRecordCount } from './counts.js';
import { lockKey, readLock, updateLock, type TsvLockEntry } from './lock.js';
import { pullCommand } from './hf-pull.js';
import { formatBytes, type PullProgress } from './progress.js';
import type { TsvDatasetSpec } from './specs.js';
import { dataCatalogFile } from '../catalog.js';

export interface TsvPullOptions {
  bench: BenchId;
  spec: TsvDatasetSpec;
  /** The LMUData folder. */
  dir: string;
  lockFile: string;
  fetch?: typeof fetch;
  offline: boolean;
  progress: PullProgress;
}

export interface TsvPullOutcome {
  bench: BenchId;
  source: 'vlmevalkit';
  file: string;
  md5: string;
  size: number;
  rows: number;
  status: 'verified' | 'downloaded' | 'resumed';
  networkUsed: boolean;
  warnings: string[];
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function record(opts: TsvPullOptions, file: string, md5: string): Promise<{ size: number; rows: number }> {
  const st = await stat(file);
  const rows = await tsvRecordCount(file);
  const entry: TsvLockEntry = { source: 'vlmevalkit', bench: opts.bench, file: opts.spec.file, md5, size: st.size, mtimeMs: st.mtimeMs, rows, pulledAt: new Date().toISOString() };
  await updateLock(opts.lockFile, lockKey(opts.bench, 'vlmevalkit'), entry);
  return { size: st.size, rows };
}

export function missingTsvMessage(bench: BenchId, spec: TsvDatasetSpec, dir: string, why: string): string {
  return `${bench}: the VLMEvalKit file ${spec.file} (${spec.name}, md5 ${spec.md5}) is not in ${dir}. ${why}`;
}

export async function pullTsv(opts: TsvPullOptions): Promise<TsvPullOutcome> {
  const { bench, spec, dir, progress } = opts;
  const file = join(dir, spec.file);
  const partial = `${file}.incomplete`;
  const warnings: string[] = [];
  const lock = await readLock(opts.lockFile);
  const locked = lock.entries[lockKey(bench, 'vlmevalkit')];

  if ((await sizeOf(file)) !== undefined) {
    const md5 = await hashFile(file, 'md5');
    if (md5 === spec.md5) {
      const { size, rows } = locked?.source === 'vlmevalkit' && locked.md5 === md5 ? { size: locked.size, rows: locked.rows } : await record(opts, file, md5);
      progress.log(`  ${spec.file}: present, md5 verified`);
      return { bench, source: 'vlmevalkit', file, md5, size, rows, status: 'verified', networkUsed: false, warnings };
    }
    if (opts.offline) {
      throw new DataIntegrityError(`${bench}: ${file} has md5 ${md5}, VLMEvalKit expects ${spec.md5}. HF_HUB_OFFLINE=1 forbids fetching it again; unset it and run: ${pullCommand(bench, 'vlmevalkit')}`);
    }
    warnings.push(`${file} had md5 ${md5} instead of ${spec.md5}; downloading it again`);
    await rm(file, { force: true });
  }
  if (opts.offline) {
    throw new DataMissingError(missingTsvMessage(bench, spec, dir, `HF_HUB_OFFLINE=1 is set, so nothing can be downloaded. Copy the file from a machine that has it (or point LMUData at it), or unset HF_HUB_OFFLINE and run: ${pullCommand(bench, 'vlmevalkit')}`));
  }

  await mkdir(dir, { recursive: true });
  const already = (await sizeOf(partial)) ?? 0;
  const doFetch = opts.fetch ?? fetch;
  const fail = (what: string, partialKept: boolean): DataFetchError =>
    new DataFetchError(missingTsvMessage(bench, spec, dir, `Downloading ${spec.url} failed: ${what}. ${partialKept ? `The partial file ${partial} is kept and the next pull resumes it. ` : ''}Check the network and run again: ${pullCommand(bench, 'vlmevalkit')}`));
  let resp: Response;
  try {
    resp = await doFetch(spec.url, { headers: already > 0 ? { Range: `bytes=${already}-` } : {} });
  } catch (err) {
    throw fail(describeError(err), already > 0);
  }
  if (!resp.ok || resp.body === null) {
    await resp.body?.cancel();
    throw fail(`HTTP ${resp.status}`, already > 0);
  }
  const resumed = already > 0 && resp.status === 206;
  const start = resumed ? already : 0;
  const length = Number(resp.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : start;
  progress.start(`${bench} ${spec.file}${resumed ? ` (resuming at ${formatBytes(start)})` : ''}`, total, 1);
  let done = start;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      progress.update(done, 0);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(resp.body as import('node:stream/web').ReadableStream<Uint8Array>), counter, createWriteStream(partial, { flags: resumed ? 'a' : 'w' }));
  } catch (err) {
    progress.stop();
    throw fail(`${describeError(err)} after ${formatBytes(done)}`, (await sizeOf(partial)) !== undefined);
  }
  progress.update(done, 1);
  progress.stop();
  const md5 = await hashFile(partial, 'md5');
  if (md5 !== spec.md5) {
    await rm(partial, { force: true });
    throw new DataIntegrityError(`${bench}: downloaded ${spec.file} has md5 ${md5}, VLMEvalKit expects ${spec.md5}; the file was deleted. Run again: ${pullCommand(bench, 'vlmevalkit')} (if it persists, the server's file changed: check VLMEvalKit's DATASET_MD5)`);
  }
  await rename(partial, file);
  const { size, rows } = await record(opts, file, md5);
  if (rows !== spec.rows) warnings.push(`${bench}: ${spec.file} has ${rows} rows, ${dataCatalogFile(bench)} expects ${spec.rows}`);
  progress.log(`  ${spec.file}: ${resumed ? 'resumed and completed' : 'downloaded'} ${formatBytes(size)}, md5 verified`);
  return { bench, source: 'vlmevalkit', file, md5, size, rows, status: resumed ? 'resumed' : 'downloaded', networkUsed: true, warnings };
}
