// Tests for the benchmark registry (harness/benchmarks/registry.ts): every module agrees with
// itself (ids of scorer, adapter and data catalog; a prompt per protocol; unique vector metrics),
// and benchmark names resolve as users type them.
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, BENCH_IDS, benchIdsInWords, benchmark } from '../../harness/benchmarks/registry.js';
import { ConfigError } from '../../harness/errors.js';
import { resolveBench } from '../../harness/metrics/registry.js';
import { userPrompt } from '../../harness/protocols/protocol.js';
import { PROTOCOL_IDS } from '../../harness/protocols/types.js';
import { SCORER_BENCH_IDS, SCORER_LOADERS } from '../../harness/benchmarks/scorer-loaders.js';

describe('benchmark registry', () => {
  it('lists the nine modules in report order, each findable by id', () => {
    expect(BENCH_IDS).toEqual(['textvqa', 'docvqa', 'chartqa', 'ocrbench', 'mmmu', 'mmvet', 'mmbench', 'vcr_easy', 'vcr_hard']);
    for (const id of BENCH_IDS) expect(benchmark(id).id).toBe(id);
    expect(benchIdsInWords()).toBe('textvqa, docvqa, chartqa, ocrbench, mmmu, mmvet, mmbench, vcr_easy or vcr_hard');
  });

  it("the lazy scorer loaders (cogeval score's fast start) list the same ids in the same order and load each module's scorer", async () => {
    expect(SCORER_BENCH_IDS).toEqual([...BENCH_IDS]);
    for (const m of BENCHMARKS) {
      const lazy = await SCORER_LOADERS[m.id]();
      expect(lazy.bench, m.id).toBe(m.id);
      expect(lazy.profiles, m.id).toEqual(m.scorer.profiles);
      expect(lazy.defaultProfile, m.id).toBe(m.scorer.defaultProfile);
      expect(lazy.scale, m.id).toBe(m.scorer.scale);
      expect(lazy.binary, m.id).toBe(m.scorer.binary);
      expect(lazy.recordFields, m.id).toEqual(m.scorer.recordFields);
      expect(lazy.parseRecord.toString(), m.id).toBe(m.scorer.parseRecord.toString());
    }
  });

  it('each module names itself the same everywhere', () => {
    for (const m of BENCHMARKS) {
      expect(m.scorer.bench, m.id).toBe(m.id);
      expect(m.dataset.bench, m.id).toBe(m.id);
      expect((m.dataCatalog as { bench: string }).bench, m.id).toBe(m.id);
      expect(m.prompts.dummy.bench, m.id).toBe(m.id);
      expect(m.dataset.hf.repo, m.id).toBe((m.dataCatalog as { hf: { repo: string } }).hf.repo);
    }
  });

  it('each module has a prompt and generation settings under every protocol, or says why not', () => {
    const unavailable: string[] = [];
    for (const m of BENCH_IDS.map(benchmark)) {
      for (const protocol of PROTOCOL_IDS) {
        const section = m.prompts.settings[protocol];
        if ('unavailable' in section) {
          unavailable.push(`${m.id} ${protocol}`);
          expect(() => userPrompt(protocol, m.prompts.dummy), `${m.id} ${protocol}`).toThrow(ConfigError);
          continue;
        }
        expect(section.generation.maxNewTokens, `${m.id} ${protocol}`).toBeGreaterThan(0);
        expect(m.prompts.userPrompt(protocol, m.prompts.dummy).length, `${m.id} ${protocol}`).toBeGreaterThan(0);
      }
    }
    // Only VCR lacks a prompt: under the two harness revisions older than it.
    expect(unavailable).toEqual(['vcr_easy lmms-eval@2024-05', 'vcr_easy vlmevalkit@2024-05', 'vcr_hard lmms-eval@2024-05', 'vcr_hard vlmevalkit@2024-05']);
  });

  it('no vector metric is defined by two modules', () => {
    const metrics = BENCHMARKS.flatMap((m) => Object.keys(m.vectorChecks));
    expect(new Set(metrics).size).toBe(metrics.length);
  });

  it('resolves names as typed (case, spaces, - and _ ignored) and lists the valid ones otherwise', () => {
    expect(resolveBench('MM-Vet')).toBe('mmvet');
    expect(resolveBench(' mm_bench ')).toBe('mmbench');
    expect(() => resolveBench('vqav2')).toThrow(ConfigError);
    expect(() => resolveBench('vqav2')).toThrow(/valid benchmarks: textvqa, docvqa, chartqa, ocrbench, mmmu, mmvet, mmbench, vcr_easy, vcr_hard/);
    expect(resolveBench('VCR-Easy')).toBe('vcr_easy');
  });
});
