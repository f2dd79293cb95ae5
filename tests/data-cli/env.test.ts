// Cache-location and offline rules, as huggingface_hub and VLMEvalKit define them.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hfEndpoint, hfHubCacheDir, hfOffline, lmuDataDir, lockFilePath } from '../../harness/datasets/hub/env.js';
import { globToRegExp, matchesShard, repoFolderName } from '../../harness/datasets/hub/hf-cache.js';

describe('hfHubCacheDir', () => {
  it('follows huggingface_hub: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub', () => {
    const all = { HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c', XDG_CACHE_HOME: '/d' };
    expect(hfHubCacheDir(all)).toBe('/a');
    expect(hfHubCacheDir({ ...all, HF_HUB_CACHE: undefined })).toBe('/b');
    expect(hfHubCacheDir({ HF_HOME: '/c', XDG_CACHE_HOME: '/d' })).toBe('/c/hub');
    expect(hfHubCacheDir({ XDG_CACHE_HOME: '/d' })).toBe('/d/huggingface/hub');
    expect(hfHubCacheDir({})).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(hfHubCacheDir({ HF_HOME: '~/hf' })).toBe(join(homedir(), 'hf', 'hub'));
    expect(hfHubCacheDir({ HF_HUB_CACHE: '', HF_HOME: '/c' })).toBe('/c/hub');
  });

  it('reads HF_HUB_OFFLINE as huggingface_hub does (1/ON/YES/TRUE, any case)', () => {
    for (const v of ['1', 'true', 'TRUE', 'yes', 'On']) expect(hfOffline({ HF_HUB_OFFLINE: v })).toBe(true);
    for (const v of ['0', 'false', '', 'no']) expect(hfOffline({ HF_HUB_OFFLINE: v })).toBe(false);
    expect(hfOffline({})).toBe(false);
  });

  it('LMUData, HF_ENDPOINT and the lock file location', () => {
    expect(lmuDataDir({ LMUData: '/data/lmu' })).toBe('/data/lmu');
    expect(lmuDataDir({})).toBe(join(homedir(), 'LMUData'));
    expect(hfEndpoint({ HF_ENDPOINT: 'https://mirror.example/' })).toBe('https://mirror.example');
    expect(hfEndpoint({})).toBe('https://huggingface.co');
    expect(lockFilePath({}, '/w')).toBe('/w/cogeval.lock.json');
    expect(lockFilePath({ COGEVAL_LOCK: 'locks/x.json' }, '/w')).toBe('/w/locks/x.json');
    expect(lockFilePath({ COGEVAL_LOCK: '/y.json' }, '/w', 'z.json')).toBe('/w/z.json');
  });
});

describe('cache layout helpers', () => {
  it('names repository folders and matches shards of one split only', () => {
    expect(repoFolderName('lmms-lab/DocVQA')).toBe('datasets--lmms-lab--DocVQA');
    expect(globToRegExp('validation-*.parquet').test('validation-00000-of-00006.parquet')).toBe(true);
    expect(globToRegExp('validation-*.parquet').test('validationX00000.parquet')).toBe(false);
    expect(matchesShard('DocVQA/validation-00001-of-00006.parquet', 'DocVQA', 'validation-*.parquet')).toBe(true);
    expect(matchesShard('DocVQA/test-00001-of-00006.parquet', 'DocVQA', 'validation-*.parquet')).toBe(false);
    expect(matchesShard('InfographicVQA/validation-00000-of-00003.parquet', 'DocVQA', 'validation-*.parquet')).toBe(false);
    expect(matchesShard('data/sub/validation-0.parquet', 'data', 'validation-*.parquet')).toBe(false);
  });
});
