// The benchmark modules' data catalogs (data.json) and locating data offline: the HF cache (pinned, locked, refs/main), every
// --data-dir layout, and the errors that name what is missing and the command that fetches it.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBenchDataConfigs, benchDataConfig, demoRoot, locateBenchData, parseBenchConfig } from '../../harness/datasets/catalog.js';
import { matchesShard } from '../../harness/datasets/hub/hf-cache.js';
import { DataMissingError } from '../../harness/datasets/hub/errors.js';
import { ConfigError } from '../../harness/errors.js';
import { COMMIT_B, populateHfCache, tempDir } from './fixtures.js';

const DEMO_TEXTVQA = join(demoRoot(), 'textvqa', 'data', 'validation-00000-of-00001.parquet');

describe('data catalogs (harness/benchmarks/<id>/data.json)', () => {
  it('load for all nine benchmarks; known files fit the shard pattern; revisions are commits or null', () => {
    const cfgs = allBenchDataConfigs();
    expect(cfgs.map((c) => c.bench)).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmvet', 'mmbench', 'vcr_easy', 'vcr_hard']);
    for (const c of cfgs) {
      for (const f of c.hf.knownFiles) expect(matchesShard(f, c.hf.dir, c.hf.pattern), `${c.bench} ${f}`).toBe(true);
      expect(c.hf.revision === null || /^[0-9a-f]{40}$/.test(c.hf.revision)).toBe(true);
      expect(c.vlmevalkit.md5).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(cfgs.filter((c) => c.hf.revision !== null).map((c) => c.bench)).toEqual(['docvqa', 'mmmu', 'mmbench']);
  });

  it('rejects a bad config naming the file and the field', () => {
    const good = JSON.parse(JSON.stringify(benchDataConfig('chartqa'))) as Record<string, Record<string, unknown>>;
    good['hf']['revision'] = 'main';
    expect(() => parseBenchConfig(good, 'x/chartqa.json')).toThrow(ConfigError);
    expect(() => parseBenchConfig(good, 'x/chartqa.json')).toThrow(/x\/chartqa\.json \(hf\): field "revision" must be a 40-hex commit hash or null/);
    const bad2 = JSON.parse(JSON.stringify(benchDataConfig('chartqa'))) as Record<string, Record<string, unknown>>;
    bad2['vlmevalkit']['md5'] = 'abc';
    expect(() => parseBenchConfig(bad2, 'y.json')).toThrow(/y\.json \(vlmevalkit\): field "md5" must be a 32-hex MD5/);
  });
});

describe('locateBenchData in the HF cache', () => {
  it('reports missing data with the exact pull command and the demo alternative', async () => {
    const dir = await tempDir('loc');
    const err = await locateBenchData('docvqa', {}, { env: { HF_HUB_CACHE: join(dir, 'hub') }, cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    const msg = (err as Error).message;
    expect(msg).toContain('lmms-lab/DocVQA (config DocVQA, split validation) at commit 539088ef8a8ada01ac8e2e6d4e372586748a265e is not in the cache');
    expect(msg).toContain('Fetch it with: cogeval data pull --bench docvqa --source hf (or use --data demo');
  });

  it('an unpinned dataset: refs/main from the cache when no lock, the lock when there is one', async () => {
    const dir = await tempDir('loc');
    const bytes = await readFile(DEMO_TEXTVQA);
    const cfg = benchDataConfig('textvqa');
    const env = { HF_HUB_CACHE: join(dir, 'hub') };
    await populateHfCache(env.HF_HUB_CACHE, cfg.hf.repo, COMMIT_B, [{ path: 'data/validation-00000-of-00001.parquet', bytes }], { main: COMMIT_B });
    // 8 demo rows are not the 5000 of the real split: without a lock the split counts as partial.
    await expect(locateBenchData('textvqa', {}, { env, cwd: dir })).rejects.toThrow(/hold 8 rows, the split has 5000/);
    const lock = { version: 1, entries: { 'textvqa/hf': { source: 'hf', bench: 'textvqa', repo: cfg.hf.repo, config: 'default', split: 'validation', revision: COMMIT_B, pinned: false, resolvedFrom: 'main', files: [{ path: 'data/validation-00000-of-00001.parquet', size: bytes.length, sha256: 'x' }], rows: 8, pulledAt: '2026-01-01T00:00:00Z' } } };
    await writeFile(join(dir, 'cogeval.lock.json'), JSON.stringify(lock));
    const hit = await locateBenchData('textvqa', {}, { env, cwd: dir });
    expect(hit).toMatchObject({ kind: 'parquet', source: 'hf', revision: COMMIT_B, revisionState: 'locked' });
    expect(hit.description).toContain(`lmms-lab/textvqa (default/validation) @ ${COMMIT_B.slice(0, 12)} [locked]`);
  });
});

describe('--data-dir layouts', () => {
  const ctxFor = (dir: string) => ({ env: {}, cwd: dir });

  it('a repository copy, an org/name tree, the demo layout, an HF cache, and LMUData TSVs', async () => {
    const root = await tempDir('dd');
    // 1. repository copy (huggingface-cli download --local-dir)
    const copy = join(root, 'copy');
    await mkdir(join(copy, 'data'), { recursive: true });
    await copyFile(DEMO_TEXTVQA, join(copy, 'data', 'validation-00000-of-00001.parquet'));
    expect(await locateBenchData('textvqa', { dataDir: 'copy' }, ctxFor(root))).toMatchObject({ source: 'hf', revisionState: 'content', location: copy });
    // 2. several repositories side by side: DIR/org/name/…
    const tree = join(root, 'tree');
    await mkdir(join(tree, 'lmms-lab', 'textvqa', 'data'), { recursive: true });
    await copyFile(DEMO_TEXTVQA, join(tree, 'lmms-lab', 'textvqa', 'data', 'validation-00000-of-00001.parquet'));
    expect(await locateBenchData('textvqa', { dataDir: tree }, ctxFor(root))).toMatchObject({ source: 'hf', location: join(tree, 'lmms-lab', 'textvqa') });
    // 3. the demo layout
    expect(await locateBenchData('mmbench', { dataDir: demoRoot() }, ctxFor(root))).toMatchObject({ source: 'demo' });
    // 4. an HF cache
    const cache = join(root, 'cache');
    await populateHfCache(cache, 'lmms-lab/MMBench', '56ba1af8954932c4804bd3f522e05ed96e63b654', [{ path: 'en/dev-00000-of-00001.parquet', bytes: await readFile(join(demoRoot(), 'mmbench', 'en', 'dev-00000-of-00001.parquet')) }]);
    await expect(locateBenchData('mmbench', { dataDir: cache }, ctxFor(root))).rejects.toThrow(/hold 11 rows, the split has 4329.*Point --data-dir/);
    // 5. LMUData
    const lmu = join(root, 'lmu');
    await mkdir(lmu);
    await writeFile(join(lmu, 'MMVet.tsv'), 'index\tquestion\tanswer\tcategory\timage\n0\tq\ta\trec\tiVBOR\n');
    const tsv = await locateBenchData('mmvet', { dataDir: lmu }, ctxFor(root));
    expect(tsv).toMatchObject({ kind: 'tsv', source: 'vlmevalkit', revisionState: 'md5' });
    expect(tsv.description).toContain('EXPECTED 748aa6d4aa9d4de798306a63718455e3');
  });

  it('names every place it looked when nothing fits', async () => {
    const empty = await tempDir('dd-empty');
    const err = await locateBenchData('chartqa', { dataDir: empty }, { env: {}, cwd: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMissingError);
    const msg = (err as Error).message;
    expect(msg).toContain('datasets--lmms-lab--ChartQA/ (HF cache)');
    expect(msg).toContain(join(empty, 'data', 'test-*.parquet'));
    expect(msg).toContain(join(empty, 'ChartQA_TEST.tsv'));
    await expect(locateBenchData('chartqa', { dataDir: join(empty, 'nope') }, { env: {}, cwd: empty })).rejects.toThrow(/no such folder/);
  });
});
