// Tests for the hashed prompt configuration (harness/run/prompt-configs.ts): assembled from the
// benchmark modules' prompts.json, it must hash exactly as the protocol files did before the
// settings moved, whatever benchmarks a run includes, so existing runs still resume.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BENCH_IDS } from '../../harness/benchmarks/registry.js';
import { promptConfigs } from '../../harness/run/prompt-configs.js';

// promptTemplateHash of every run made before the move (run.json config.promptTemplateHash of a
// main-branch run at e0c2e91); a changed prompt string or generation limit changes it on purpose.
const HASH_BEFORE_THE_MOVE = '20d6aa4be4b56606';

/** The benchmarks every protocol file listed (benchmarkOrder); VCR came later. */
const SEVEN = BENCH_IDS.filter((b) => b !== 'vcr_easy' && b !== 'vcr_hard');

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

describe('promptConfigs', () => {
  it('hashes as the protocol files did, for the seven original benchmarks and for any subset', () => {
    expect(hash(promptConfigs(SEVEN))).toBe(HASH_BEFORE_THE_MOVE);
    expect(hash(promptConfigs(['docvqa']))).toBe(HASH_BEFORE_THE_MOVE);
    expect(hash(promptConfigs([]))).toBe(HASH_BEFORE_THE_MOVE);
  });

  it('hashes a benchmark added later (VCR) only into the runs that include it', () => {
    const withVcr = hash(promptConfigs(BENCH_IDS));
    expect(withVcr).not.toBe(HASH_BEFORE_THE_MOVE);
    expect(hash(promptConfigs(['vcr_easy']))).not.toBe(HASH_BEFORE_THE_MOVE);
    expect(hash(promptConfigs(['vcr_easy']))).not.toBe(hash(promptConfigs(['vcr_hard'])));
    expect(hash(promptConfigs(['docvqa', 'vcr_easy', 'vcr_hard']))).toBe(withVcr);
    const cfg = promptConfigs(['vcr_hard']) as Record<string, { benchmarks: Record<string, unknown> }>;
    expect(Object.keys(cfg['cogvlm2'].benchmarks)).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmvet', 'mmmu', 'mmbench', 'vcr_hard']);
    // A protocol without a VCR prompt hashes the reason it refuses VCR.
    expect(cfg['lmmsEval2024'].benchmarks['vcr_hard']).toEqual({ unavailable: expect.stringMatching(/^VCR reached lmms-eval in 2024-06/) });
  });

  it('keeps each protocol file order of benchmarks and drops the order list itself', () => {
    const cfg = promptConfigs(SEVEN) as Record<string, { benchmarks?: Record<string, unknown>; benchmarkOrder?: unknown }>;
    expect(Object.keys(cfg['cogvlm2'].benchmarks ?? {})).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmvet', 'mmmu', 'mmbench']);
    expect(Object.keys(cfg['lmmsEval'].benchmarks ?? {})).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmvet', 'mmbench']);
    expect(Object.keys(cfg['officialMmmu'])).toEqual(['source', 'mmmu']);
    for (const section of Object.values(cfg)) expect(section.benchmarkOrder).toBeUndefined();
  });
});
