// Test helpers for runs: an in-memory DocVQA-like dataset with real PNG bytes, and a run plan.
import { deflateSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchDataset, Sample, SampleOrFailure } from '../../harness/datasets/types.js';
import type { Engine } from '../../harness/engine/types.js';
import { resolveModel } from '../../harness/run/models.js';
import type { EvalPlan } from '../../harness/run/runner.js';

/** A valid 2×2 RGB PNG (CRCs computed), different per seed so images are distinguishable. */
export function tinyPng(seed: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer): number => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const raw = Buffer.from([0, seed & 255, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10, 11]);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]),
  );
}

/** DocVQA samples whose gold answer is the question's first line (the fake server's answer function echoes it). */
export function docvqaDataset(n: number, opts: { failAt?: number[]; corruptImageAt?: number[] } = {}): BenchDataset {
  return {
    bench: 'docvqa',
    source: 'hf',
    description: `synthetic docvqa (${n})`,
    revision: `synthetic-${n}`,
    count: async () => n,
    async *samples(o = {}) {
      const end = Math.min(n, o.limit ?? n);
      for (let i = o.offset ?? 0; i < end; i++) {
        if (opts.failAt?.includes(i)) {
          const failure: SampleOrFailure = { failed: true, id: `q${i}`, index: i, bench: 'docvqa', reason: `row ${i} column image: corrupt bytes` };
          yield failure;
          continue;
        }
        const question = `question number ${i}?`;
        const bytes = opts.corruptImageAt?.includes(i) ? tinyPng(i).slice(0, 40) : tinyPng(i);
        const sample: Sample = {
          id: `q${i}`,
          bench: 'docvqa',
          index: i,
          question,
          images: [{ origin: `row ${i}`, bytes: async () => bytes }],
          prompt: { bench: 'docvqa', question },
          references: { id: `q${i}`, answers: [question], question_types: [i % 2 ? 'form' : 'layout'] },
          categories: { question_type: [i % 2 ? 'form' : 'layout'] },
          extra: {},
        };
        yield sample;
      }
    },
  };
}

/** The fake server's answer for our prompts: the first line of the user text (the question). */
export function echoQuestion(key: string): string {
  return key.split('\n')[0];
}

export function tempRunsDir(): string {
  return mkdtempSync(join(tmpdir(), 'cogeval-runs-'));
}

export function plan(engine: Engine, runsDir: string, dataset: BenchDataset, extra: Partial<EvalPlan> = {}): EvalPlan {
  return {
    runsDir,
    newRun: false,
    model: resolveModel('chat'),
    benches: ['docvqa'],
    protocol: 'cogvlm2',
    decoding: 'greedy',
    engine,
    engineServer: 'openai',
    openDataset: async () => dataset,
    shard: null,
    limit: null,
    log: () => {},
    progress: () => ({ update: () => {}, stop: () => {} }),
    ...extra,
  };
}
