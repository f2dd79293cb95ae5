// data pull --source hf: offline use of a pre-populated cache (zero network calls), downloads from
// a loopback Hub, checksum mismatches, file-level resume, refs and the lock file.
import { lstat, readFile, readlink, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullHf, type HfPullOptions } from '../../harness/datasets/hub/hf-pull.js';
import { plainProgress } from '../../harness/datasets/hub/progress.js';
import { readLock } from '../../harness/datasets/hub/lock.js';
import { DataFetchError, DataMissingError } from '../../harness/datasets/hub/errors.js';
import { COMMIT_A, offlineFetch, populateHfCache, sha256, shard, startFakeHub, tempDir, testSpec, tinyRepo, type FakeHub } from './fixtures.js';

const REPO = 'test-org/tiny-vqa';
let hub: FakeHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function options(over: Partial<HfPullOptions>): Promise<HfPullOptions & { log: string[] }> {
  const dir = await tempDir('pull');
  const log: string[] = [];
  return {
    bench: 'textvqa',
    spec: testSpec(),
    cacheDir: join(dir, 'hub'),
    lockFile: join(dir, 'cogeval.lock.json'),
    hubUrl: 'http://127.0.0.1:9',
    offline: false,
    concurrency: 2,
    update: false,
    progress: plainProgress((l) => log.push(l)),
    log,
    ...over,
  };
}

describe('pullHf against a pre-populated cache, network off', () => {
  it('uses a pinned commit without a single network call and records checksums in the lock', async () => {
    const o = await options({});
    await populateHfCache(o.cacheDir, REPO, COMMIT_A, tinyRepo());
    const net = offlineFetch();
    const r = await pullHf({ ...o, spec: testSpec({ revision: COMMIT_A }), fetch: net.fetch });
    expect(net.calls).toEqual([]);
    expect(r.networkUsed).toBe(false);
    expect(r.revision).toBe(COMMIT_A);
    expect(r.rows).toBe(5);
    expect(r.files.map((f) => [f.path, f.status])).toEqual([
      ['data/validation-00000-of-00002.parquet', 'verified'],
      ['data/validation-00001-of-00002.parquet', 'verified'],
    ]);
    const lock = await readLock(o.lockFile);
    const entry = lock.entries['textvqa/hf'];
    expect(entry).toMatchObject({ source: 'hf', repo: REPO, revision: COMMIT_A, pinned: true, rows: 5 });
    expect(entry.source === 'hf' && entry.files.map((f) => f.sha256)).toEqual(tinyRepo().slice(0, 2).map((f) => sha256(f.bytes)));
  });

  it('resolves an unpinned dataset through refs/main, offline (also with HF_HUB_OFFLINE)', async () => {
    const o = await options({ offline: true });
    await populateHfCache(o.cacheDir, REPO, COMMIT_A, tinyRepo(), { main: COMMIT_A });
    const net = offlineFetch();
    const r = await pullHf({ ...o, fetch: net.fetch });
    expect(net.calls).toEqual([]);
    expect(r.revision).toBe(COMMIT_A);
    expect(r.pinned).toBe(false);
    const entry = (await readLock(o.lockFile)).entries['textvqa/hf'];
    expect(entry).toMatchObject({ revision: COMMIT_A, pinned: false, resolvedFrom: 'main' });
  });

  it('finds a cache filled under the renamed repository (lmms-lab → lmms-lab-encoder)', async () => {
    const o = await options({});
    await populateHfCache(o.cacheDir, 'test-org-renamed/tiny-vqa', COMMIT_A, tinyRepo());
    const net = offlineFetch();
    const r = await pullHf({ ...o, spec: testSpec({ revision: COMMIT_A }), fetch: net.fetch });
    expect(net.calls).toEqual([]);
    expect(r.repo).toBe('test-org-renamed/tiny-vqa');
  });

  it('treats a partial cache as missing: offline it names what is missing and the pull command', async () => {
    const o = await options({ offline: true });
    await populateHfCache(o.cacheDir, REPO, COMMIT_A, tinyRepo().slice(0, 1));
    const net = offlineFetch();
    const err = await pullHf({ ...o, spec: testSpec({ revision: COMMIT_A }), fetch: net.fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    const msg = (err as Error).message;
    expect(msg).toContain('3 rows, the split has 5');
    expect(msg).toContain(`datasets--test-org--tiny-vqa/snapshots/${COMMIT_A}/data/validation-*.parquet`);
    expect(msg).toContain('HF_HUB_OFFLINE=1');
    expect(msg).toContain('cogeval data pull --bench textvqa --source hf');
    expect(net.calls).toEqual([]);
  });

  it('with an empty cache and no network: a DataFetchError naming the dataset, the cache and the command', async () => {
    const o = await options({});
    const net = offlineFetch();
    const err = await pullHf({ ...o, fetch: net.fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFetchError);
    const msg = (err as Error).message;
    expect(msg).toContain(`${REPO} (config default, split validation) is not in the cache ${o.cacheDir}`);
    expect(msg).toContain("resolving 'main'");
    expect(msg).toContain('network is off');
    expect(msg).toContain('cogeval data pull --bench textvqa --source hf');
    expect(net.calls.length).toBe(1);
  });
});

describe('pullHf from a loopback Hub', () => {
  it('downloads the split, lays out blobs/snapshots/refs like huggingface_hub, then needs no network', async () => {
    hub = await startFakeHub(REPO, COMMIT_A, tinyRepo());
    const o = await options({ hubUrl: hub.url });
    const r = await pullHf(o);
    expect(r.errors).toEqual([]);
    expect(r.revision).toBe(COMMIT_A);
    expect(r.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded']);
    expect(r.rows).toBe(5);
    const root = join(o.cacheDir, 'datasets--test-org--tiny-vqa');
    expect((await readFile(join(root, 'refs', 'main'), 'utf8')).trim()).toBe(COMMIT_A);
    const blobs = (await readdir(join(root, 'blobs'))).sort();
    expect(blobs).toEqual(tinyRepo().slice(0, 2).map((f) => sha256(f.bytes)).sort());
    const pointer = join(root, 'snapshots', COMMIT_A, 'data', 'validation-00000-of-00002.parquet');
    expect((await lstat(pointer)).isSymbolicLink()).toBe(true);
    expect(await readlink(pointer)).toMatch(/^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/);
    expect(hub.requests.some((q) => q.includes('/train-'))).toBe(false);
    expect(o.log.some((l) => l.includes('downloaded') && l.includes('checksum verified'))).toBe(true);
    expect((await readLock(o.lockFile)).entries['textvqa/hf']).toMatchObject({ revision: COMMIT_A, resolvedFrom: 'main', pinned: false });

    const before = hub.requests.length;
    const again = await pullHf(o);
    expect(again.networkUsed).toBe(false);
    expect(hub.requests.length).toBe(before);
  });

  it('rejects a download whose bytes do not match the LFS sha256, deletes it, keeps the good file, and resumes', async () => {
    const files = tinyRepo();
    hub = await startFakeHub(REPO, COMMIT_A, files);
    hub.corrupt.set(files[1].path, shard(2, 999));
    const o = await options({ hubUrl: hub.url, spec: testSpec({ revision: COMMIT_A }) });
    const r = await pullHf(o);
    const bad = r.files.find((f) => f.path === files[1].path);
    expect(bad?.status).toBe('failed');
    expect(bad?.detail).toContain(`differs from the Hub's ${sha256(files[1].bytes)}`);
    expect(r.errors.join('\n')).toContain('run again to retry: cogeval data pull --bench textvqa --source hf');
    const root = join(o.cacheDir, 'datasets--test-org--tiny-vqa');
    expect(await readdir(join(root, 'blobs'))).toEqual([sha256(files[0].bytes)]);
    expect((await readLock(o.lockFile)).entries['textvqa/hf']).toBeUndefined();

    hub.corrupt.clear();
    const downloadsBefore = hub.requests.filter((q) => q.startsWith('GET /datasets/')).length;
    const r2 = await pullHf(o);
    expect(r2.errors).toEqual([]);
    expect(r2.files.map((f) => f.status)).toEqual(['verified', 'downloaded']);
    const downloads = hub.requests.filter((q) => q.startsWith('GET /datasets/')).slice(downloadsBefore);
    expect(downloads.every((q) => q.includes(files[1].path))).toBe(true);
  });

  it('re-downloads a cached file that was corrupted on disk', async () => {
    const files = tinyRepo();
    hub = await startFakeHub(REPO, COMMIT_A, files);
    const o = await options({ hubUrl: hub.url, spec: testSpec({ revision: COMMIT_A }) });
    await populateHfCache(o.cacheDir, REPO, COMMIT_A, files);
    const blob = join(o.cacheDir, 'datasets--test-org--tiny-vqa', 'blobs', sha256(files[0].bytes));
    const bytes = await readFile(blob);
    bytes[bytes.length - 20] ^= 0xff;
    await writeFile(blob, bytes);
    const r = await pullHf(o);
    expect(r.warnings.join()).toContain('failed verification');
    expect(r.files.map((f) => f.status)).toEqual(['downloaded', 'verified']);
    expect(sha256(await readFile(blob))).toBe(sha256(files[0].bytes));
  });

  it('says so when the commit has no file of the split', async () => {
    hub = await startFakeHub(REPO, COMMIT_A, tinyRepo());
    const o = await options({ hubUrl: hub.url, spec: testSpec({ revision: COMMIT_A, pattern: 'test-*.parquet' }) });
    await expect(pullHf(o)).rejects.toThrow(/has no file matching data\/test-\*\.parquet; the dataset layout changed/);
  });
});

