// Data integrity and fetch errors belong to the InputError family (harness/errors.ts): every
// command turns them into one `error: …` line and exit 2, while `data pull` still counts them as
// a failed pull (exit 1; tests/data-cli/cli.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/main.js';
import { InputError } from '../../harness/errors.js';
import { DataFetchError, DataIntegrityError } from '../../harness/datasets/hub/errors.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';

// `eval` opens its data through the catalog; this file's catalog fails the way a corrupt or
// undownloadable dataset does (no non-`data` command reaches the hub's pulls and counts today).
const failWith = vi.hoisted(() => ({ error: undefined as Error | undefined }));
vi.mock('../../harness/datasets/catalog.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../harness/datasets/catalog.js')>();
  return {
    ...original,
    openBenchDataset: async (...args: Parameters<typeof original.openBenchDataset>) => {
      if (failWith.error !== undefined) throw failWith.error;
      return await original.openBenchDataset(...args);
    },
  };
});

const dirs: string[] = [];
const servers: FakeOpenAIServer[] = [];
afterEach(async () => {
  failWith.error = undefined;
  while (servers.length) await servers.pop()?.stop();
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cogeval-data-errors-'));
  dirs.push(d);
  return d;
}

async function run(args: string[]): Promise<{ code: number; err: string[]; out: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Exactly one `error:` line, with no stack trace anywhere. */
function oneErrorLine(err: string[], pattern: RegExp): void {
  const errors = err.filter((l) => l.includes('error: '));
  expect(errors, err.join('\n')).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(err.join('\n')).not.toMatch(/\n\s+at /);
}

describe('data integrity and fetch errors are InputErrors', () => {
  it('both classes extend InputError and keep their names', () => {
    expect(new DataIntegrityError('x')).toBeInstanceOf(InputError);
    expect(new DataFetchError('x')).toBeInstanceOf(InputError);
    expect(new DataIntegrityError('x').name).toBe('DataIntegrityError');
    expect(new DataFetchError('x').name).toBe('DataFetchError');
  });
});

describe('every command exits 2 with one line on a data integrity or fetch error', () => {
  for (const [what, error] of [
    ['integrity', new DataIntegrityError('/data/DocVQA/val-0.parquet: not a readable parquet file (bad magic); run \'cogeval data verify\' and pull it again')],
    ['fetch', new DataFetchError('lmms-lab/DocVQA: downloading val-0.parquet failed: connection refused. Check the network and run again: cogeval data pull --bench docvqa')],
  ] as const) {
    it(`eval: a data ${what} error`, async () => {
      const s = await startFakeOpenAIServer({});
      servers.push(s);
      failWith.error = error;
      const r = await run(['eval', '--data', 'demo', '--bench', 'docvqa', '--limit', '1', '--endpoint', s.url, '--runs-dir', join(tempDir(), 'runs')]);
      expect(r.code).toBe(2);
      oneErrorLine(r.err, new RegExp(`^error: ${error.message.slice(0, 30).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    }, 60_000);
  }

  it('data ls: a TSV that ends inside a quoted cell (a real DataIntegrityError from the counter)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'lmu'));
    // The header VLMEvalKit's MMBench TSV has, then a row cut inside a quoted question.
    writeFileSync(join(dir, 'lmu', 'MMBench_DEV_EN.tsv'), 'index\tquestion\thint\tA\tB\tanswer\tcategory\timage\n0\t"What is cut');
    const r = await run(['data', 'ls', '--data-dir', join(dir, 'lmu'), '--data', 'vlmevalkit', '--bench', 'mmbench']);
    expect(r.code).toBe(2);
    oneErrorLine(r.err, /^error: .*MMBench_DEV_EN\.tsv: ends inside a quoted cell \(truncated download\?\)/);
  }, 60_000);
});
