// Writes the VCR demo folders data/demo/vcr_easy and data/demo/vcr_hard (HF parquet layout of
// vcr-org/VCR-wiki-en-{easy,hard}-test) and prints each file's SHA-256 for data/demo/manifest.json.
// Kept apart from make-demo-data.ts until vcr_easy/vcr_hard join BenchId (then it becomes two
// BUILDERS entries there). Deterministic.   npm run build && node dist/tools/demo/make-vcr-demo-data.js [--out DIR]
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hfParquet } from './hf-parquet-writer.js';
import { vcrTable } from './samples-vcr.js';

export async function makeVcrDemoData(outDir: string): Promise<Record<string, { sha256: string; rows: number; bytes: number }>> {
  const out: Record<string, { sha256: string; rows: number; bytes: number }> = {};
  for (const difficulty of ['easy', 'hard'] as const) {
    const bench = `vcr_${difficulty}`;
    const table = await vcrTable(difficulty);
    const bytes = hfParquet(table.columns, table.rows);
    const benchDir = join(outDir, bench);
    await rm(benchDir, { recursive: true, force: true });
    const file = join(benchDir, ...table.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    out[`${bench}/${table.path}`] = { sha256: createHash('sha256').update(bytes).digest('hex'), rows: table.rows.length, bytes: bytes.length };
  }
  return out;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'configs', 'benchmarks'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (configs/benchmarks)');
    dir = up;
  }
  return dir;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  const outDir = i >= 0 && argv[i + 1] !== undefined ? resolve(argv[i + 1]) : join(repoRoot(), 'data', 'demo');
  makeVcrDemoData(outDir)
    .then((files) => process.stdout.write(`${JSON.stringify(files, null, 2)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
