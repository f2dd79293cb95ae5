// `cogeval data ls|pull|verify` through the real CLI entry point, with the environment pointing
// at temp folders: a pre-populated HF cache, an empty one, HF_HUB_OFFLINE, HF_ENDPOINT on loopback.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.js';
import { benchDataConfig } from '../../harness/datasets/catalog.js';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { captureIo, COMMIT_A, plain, populateHfCache, sha256, startFakeHub, tempDir } from './fixtures.js';

const saved = { ...process.env };
let dir: string;

beforeEach(async () => {
  dir = await tempDir('cli');
  for (const k of ['HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_HOME', 'HF_HUB_OFFLINE', 'HF_ENDPOINT', 'HF_TOKEN', 'CI']) delete process.env[k];
  process.env['HF_HUB_CACHE'] = join(dir, 'hub');
  process.env['LMUData'] = join(dir, 'LMUData');
  process.env['COGEVAL_LOCK'] = join(dir, 'cogeval.lock.json');
  // A port nothing listens on: any network call fails at once (connection refused).
  process.env['HF_ENDPOINT'] = 'http://127.0.0.1:9';
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

/** The real demo parquet of a benchmark, placed in the HF cache at the config's pinned commit. */
async function cacheFromDemo(bench: 'mmbench' | 'docvqa'): Promise<{ commit: string; bytes: Buffer; path: string }> {
  const cfg = benchDataConfig(bench);
  const demoFile = bench === 'mmbench' ? 'data/demo/mmbench/en/dev-00000-of-00001.parquet' : 'data/demo/docvqa/DocVQA/validation-00000-of-00001.parquet';
  const bytes = await readFile(demoFile);
  const path = `${cfg.hf.dir}/${cfg.hf.pattern.replace('*', '00000-of-00001')}`;
  await populateHfCache(join(dir, 'hub'), cfg.hf.repo, cfg.hf.revision as string, [{ path, bytes }]);
  return { commit: cfg.hf.revision as string, bytes, path };
}

describe('cogeval data ls', () => {
  it('lists what a pre-populated cache holds (JSON), with no network', async () => {
    const { commit, bytes } = await cacheFromDemo('mmbench');
    // A lock entry as a previous pull would have written it, so the partial demo-sized split counts as complete.
    const lock = { version: 1, entries: { 'mmbench/hf': { source: 'hf', bench: 'mmbench', repo: 'lmms-lab/MMBench', config: 'en', split: 'dev', revision: commit, pinned: true, files: [{ path: 'en/dev-00000-of-00001.parquet', size: bytes.length, sha256: sha256(bytes) }], rows: 11, pulledAt: '2026-01-01T00:00:00.000Z' } } };
    await writeFile(join(dir, 'cogeval.lock.json'), JSON.stringify(lock));
    process.env['HF_HUB_OFFLINE'] = '1';
    const c = captureIo();
    expect(await main(['data', 'ls', '--bench', 'mmbench', '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out.join('\n')) as { offline: boolean; rows: Record<string, unknown>[] };
    expect(report.offline).toBe(true);
    const hf = report.rows.find((r) => r['source'] === 'hf');
    expect(hf).toMatchObject({ bench: 'mmbench', status: 'present', revision: commit, revisionState: 'pinned', samples: 11, expectedSamples: 4329, sizeBytes: bytes.length });
    expect(report.rows.find((r) => r['source'] === 'vlmevalkit')).toMatchObject({ status: 'missing', revision: 'b6caf1133a01c6bb705cf753bb527ed8' });
    expect(report.rows.find((r) => r['source'] === 'demo')).toMatchObject({ status: 'present', samples: 11, revisionState: 'content' });
  });

  it('prints a table naming pinned vs unresolved revisions and a partial split as incomplete', async () => {
    await cacheFromDemo('docvqa');
    const c = captureIo();
    expect(await main(['data', 'ls', '--bench', 'docvqa,textvqa', '--data', 'hf'], c.io)).toBe(0);
    const text = plain(c.out);
    expect(text).toMatch(/docvqa\s+hf\s+incomplete\s+539088ef8a8a \(pinned\)\s+8 of 5349/);
    expect(text).toMatch(/textvqa\s+hf\s+missing\s+- \(unresolved\)/);
    expect(plain(c.err)).toContain('the 1 shard(s) present hold 8 rows, the split has 5349');
  });
});

describe('cogeval data pull', () => {
  it('with a pre-populated cache: exit 0, every file verified, no network (the Hub address is dead)', async () => {
    const { commit, bytes } = await cacheFromDemo('mmbench');
    const lock = { version: 1, entries: { 'mmbench/hf': { source: 'hf', bench: 'mmbench', repo: 'lmms-lab/MMBench', config: 'en', split: 'dev', revision: commit, pinned: true, files: [{ path: 'en/dev-00000-of-00001.parquet', size: bytes.length, sha256: sha256(bytes) }], rows: 11, pulledAt: '2026-01-01T00:00:00.000Z' } } };
    await writeFile(join(dir, 'cogeval.lock.json'), JSON.stringify(lock));
    const c = captureIo();
    expect(await main(['data', 'pull', '--bench', 'mmbench'], c.io)).toBe(0);
    expect(plain(c.out)).toContain(`mmbench hf: lmms-lab/MMBench@${commit} (pinned), 1 file(s): 1 verified, 0 downloaded, 0 failed; 11 samples (no network used)`);
    expect(plain(c.err)).toContain('en/dev-00000-of-00001.parquet: present, sha256 verified');
  });

  it('downloads through HF_ENDPOINT (a loopback Hub), locks the resolved commit, then ls shows it', async () => {
    const bytes = await readFile('data/demo/chartqa/data/test-00000-of-00001.parquet');
    const hub = await startFakeHub('lmms-lab/ChartQA', COMMIT_A, [{ path: 'data/test-00000-of-00001.parquet', bytes }, { path: 'data/val-00000-of-00001.parquet', bytes }]);
    try {
      process.env['HF_ENDPOINT'] = hub.url;
      const c = captureIo();
      expect(await main(['data', 'pull', '--bench', 'chartqa'], c.io)).toBe(0);
      expect(plain(c.out)).toContain(`chartqa hf: lmms-lab/ChartQA@${COMMIT_A} (locked), 1 file(s): 0 verified, 1 downloaded, 0 failed; 8 samples`);
      expect(plain(c.err)).toContain('harness/benchmarks/chartqa/data.json expects 2500');
      const lock = JSON.parse(await readFile(join(dir, 'cogeval.lock.json'), 'utf8')) as { entries: Record<string, { revision: string; resolvedFrom?: string }> };
      expect(lock.entries['chartqa/hf']).toMatchObject({ revision: COMMIT_A, resolvedFrom: 'main' });
      process.env['HF_ENDPOINT'] = 'http://127.0.0.1:9';
      const ls = captureIo();
      expect(await main(['data', 'ls', '--bench', 'chartqa', '--data', 'hf'], ls.io)).toBe(0);
      expect(plain(ls.out)).toMatch(new RegExp(`chartqa\\s+hf\\s+present\\s+${COMMIT_A.slice(0, 12)} \\(locked\\)\\s+8 of 2500`));
    } finally {
      await hub.close();
    }
  });

  it('with an empty cache and the network off: exit 1, the message names what is missing and the command', async () => {
    const c = captureIo();
    expect(await main(['data', 'pull', '--bench', 'chartqa'], c.io)).toBe(1);
    const err = plain(c.err);
    expect(err).toContain('lmms-lab/ChartQA (config default, split test) is not in the cache');
    expect(err).toContain(join(dir, 'hub'));
    expect(err).toContain('cogeval data pull --bench chartqa --source hf');
  });

  it('with HF_HUB_OFFLINE=1 and an empty cache: exit 2 and never a network call', async () => {
    process.env['HF_HUB_OFFLINE'] = '1';
    const c = captureIo();
    expect(await main(['data', 'pull', '--bench', 'mmmu'], c.io)).toBe(2);
    const err = plain(c.err);
    expect(err).toContain('lmms-lab/MMMU (config default, split validation) at commit 364f2e2eb107b36e07ff4c5a15f5947a759cef47 is not in the cache');
    expect(err).toContain('HF_HUB_OFFLINE=1 is set');
    expect(err).toContain('cogeval data pull --bench mmmu --source hf');
  });

  it('VLMEvalKit TSV with the network off: exit 1 naming the file, LMUData and the command', async () => {
    const c = captureIo();
    expect(await main(['data', 'pull', '--bench', 'ocrbench', '--source', 'vlmevalkit'], c.io)).toBe(1);
    const err = plain(c.err);
    expect(err).toContain(`OCRBench.tsv (OCRBench, md5 e953d98a987cc6e26ef717b61260b778) is not in ${join(dir, 'LMUData')}`);
    expect(err).toContain('cogeval data pull --bench ocrbench --source vlmevalkit');
  });

  it('requires --bench and rejects an unknown benchmark', async () => {
    const c = captureIo();
    expect(await main(['data', 'pull'], c.io)).toBe(2);
    expect(plain(c.err)).toContain('--bench is required');
    const d = captureIo();
    expect(await main(['data', 'pull', '--bench', 'vqav2'], d.io)).toBe(2);
    expect(plain(d.err)).toContain('unknown benchmark "vqav2"');
  });
});

describe('cogeval data verify', () => {
  it('passes on intact files and fails (exit 1) on a corrupted blob, naming the file and both digests', async () => {
    const { bytes } = await cacheFromDemo('mmbench');
    const ok = captureIo();
    expect(await main(['data', 'verify', '--bench', 'mmbench', '--data', 'hf'], ok.io)).toBe(0);
    expect(plain(ok.out)).toContain('1 file(s) verified, 0 failed');
    const blob = join(dir, 'hub', 'datasets--lmms-lab--MMBench', 'blobs', sha256(bytes));
    const broken = Buffer.from(bytes);
    broken[100] ^= 0x01;
    await writeFile(blob, broken);
    const bad = captureIo();
    expect(await main(['data', 'verify', '--bench', 'mmbench', '--data', 'hf'], bad.io)).toBe(1);
    const text = plain(bad.out);
    expect(text).toContain('FAILED  mmbench hf');
    expect(text).toContain(`differs from ${sha256(bytes)} (its blob name)`);
  });

  it('checks the bundled demo set against its manifest', async () => {
    const c = captureIo();
    expect(await main(['data', 'verify', '--data', 'demo'], c.io)).toBe(0);
    // one demo file per registered benchmark, each with its own "ok" line
    const text = plain(c.out);
    expect(text).toContain(`${BENCH_IDS.length} file(s) verified, 0 failed, 0 unverifiable`);
    for (const bench of BENCH_IDS) expect(text).toMatch(new RegExp(`^ok  ${bench} demo  .*sha256 matches data/demo/manifest\\.json$`, 'm'));
  });
});
