// Generates the bundled demo set (data/demo): about eight items per benchmark with images rendered
// here from SVG, written as parquet in each benchmark's Hugging Face layout, plus manifest.json
// (sha256 per file). Deterministic: the same bytes on every run.
//   npm run build && node dist/tools/demo/make-demo-data.js [--out DIR]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import type { BenchId } from '../../harness/metrics/types.js';
import { sha256Hex } from '../../harness/util/hash.js';
import { hfParquet } from './hf-parquet-writer.js';
import { docvqaTable, ocrbenchTable, textvqaTable, type DemoTable } from './samples-text.js';
import { chartqaTable, mmbenchTable, mmmuTable, mmvetTable } from './samples-visual.js';
import { vcrTable } from './samples-vcr.js';

const BUILDERS: Record<BenchId, () => Promise<DemoTable>> = {
  textvqa: textvqaTable,
  docvqa: docvqaTable,
  chartqa: chartqaTable,
  ocrbench: ocrbenchTable,
  mmmu: mmmuTable,
  mmvet: mmvetTable,
  mmbench: mmbenchTable,
  vcr_easy: () => vcrTable('easy'),
  vcr_hard: () => vcrTable('hard'),
};

export interface DemoManifest {
  generator: string;
  /** `<bench>/<path>` → sha256 of the file. */
  files: Record<string, string>;
  rows: Record<string, number>;
  totalBytes: number;
}

/** Writes the demo set into `outDir` (its benchmark folders are replaced) and returns the manifest. */
export async function makeDemoData(outDir: string): Promise<DemoManifest> {
  const manifest: DemoManifest = { generator: 'tools/demo/make-demo-data.ts', files: {}, rows: {}, totalBytes: 0 };
  for (const [bench, build] of Object.entries(BUILDERS) as [BenchId, () => Promise<DemoTable>][]) {
    const table = await build();
    const bytes = hfParquet(table.columns, table.rows);
    const benchDir = join(outDir, bench);
    await rm(benchDir, { recursive: true, force: true });
    const file = join(benchDir, ...table.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
    manifest.files[`${bench}/${table.path}`] = sha256Hex(bytes);
    manifest.rows[bench] = table.rows.length;
    manifest.totalBytes += bytes.length;
  }
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The repository root: the nearest folder above this file holding configs/reported.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'configs', 'reported.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (configs/reported.json)');
    dir = up;
  }
  return dir;
}

async function cli(argv: string[]): Promise<void> {
  const i = argv.indexOf('--out');
  const out = i >= 0 && argv[i + 1] !== undefined ? resolve(argv[i + 1]) : join(repoRoot(), 'data', 'demo');
  const manifest = await makeDemoData(out);
  const lines = Object.entries(manifest.rows).map(([b, n]) => `${b} ${n}`);
  process.stdout.write(`wrote ${out}: ${lines.join(', ')} rows; ${manifest.totalBytes} bytes\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
