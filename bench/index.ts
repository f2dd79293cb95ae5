// `npm run bench`: runs the benchmark modules, prints their results and rewrites their sections
// of BENCHMARKS.md (with the machine they ran on). `npm run bench -- scorers` runs one module.
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './result.js';

type Module = { run: () => Promise<BenchResult[]> };
const MODULES: Record<string, { title: string; load: () => Promise<Module> }> = {
  scorers: { title: 'Scorers (issue #2)', load: () => import('./scorers.js') },
  datasets: { title: 'Dataset streaming (issue #3)', load: () => import('./datasets.js') },
  'data-cli': { title: 'Data files: checksums and counts (issue #3)', load: () => import('./data-cli.js') },
  gate: { title: 'Regression gate (issue #5)', load: () => import('./gate.js') },
  report: { title: 'Report building (issue #5)', load: () => import('./report.js') },
  engine: { title: 'Engine against a loopback server (issue #4)', load: () => import('./engine.js') },
  onnx: { title: 'ONNX engine on the tiny demo model (issue #6)', load: () => import('./onnx.js') },
  'onnx-batch': { title: 'ONNX engine: batched decoding, --concurrency 1 vs 4, on the CPU (issue #11)', load: () => import('./onnx-batch.js') },
  preprocess: { title: 'Pillow-exact image preprocessing (issue #6)', load: () => import('./preprocess.js') },
  import: { title: 'Importing other harnesses\' results (issue #12)', load: () => import('./import.js') },
  demo: { title: 'The embedded default `cogeval eval` (README, issue #10)', load: () => import('./demo.js') },
  cli: { title: 'Command-line start-up and scoring processes, with the Python reference (issue #10)', load: () => import('./cli.js') },
};

const FILE = new URL('../../BENCHMARKS.md', import.meta.url);
const HEADER = `# Benchmarks

Produced by \`npm run bench\` (each section is rewritten when its module runs; \`npm run bench -- NAME\`
runs one). Figures are medians or ratios measured on the machine named in each section.
`;

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function section(name: string, title: string, results: BenchResult[]): string {
  const rows = results
    .map((r) => {
      const verdict = r.pass === undefined ? '' : r.pass ? 'met' : '**not met**';
      return `| ${r.name} | ${r.value.toLocaleString('en')} ${r.unit} | ${r.target ?? ''} | ${verdict} | ${r.metric}${r.note ? `; ${r.note}` : ''} |`;
    })
    .join('\n');
  return `<!-- bench:${name} -->
## ${title}

Machine: ${machine()}. Run: ${new Date().toISOString().slice(0, 10)}.

| benchmark | result | target | verdict | how measured |
|---|---|---|---|---|
${rows}
<!-- /bench:${name} -->`;
}

async function mainBench(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(MODULES);
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  let failed = false;
  for (const name of names) {
    const mod = MODULES[name];
    if (!mod) throw new Error(`unknown benchmark module "${name}"; known: ${Object.keys(MODULES).join(', ')}`);
    process.stderr.write(`running ${name}…\n`);
    const results = await (await mod.load()).run();
    for (const r of results) {
      process.stdout.write(`${name}: ${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target}: ${r.pass ? 'met' : 'NOT MET'})` : ''}\n`);
      if (r.pass === false) failed = true;
    }
    const text = section(name, mod.title, results);
    const re = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
    doc = re.test(doc) ? doc.replace(re, text) : `${doc.trimEnd()}\n\n${text}\n`;
  }
  writeFileSync(FILE, doc.endsWith('\n') ? doc : doc + '\n');
  if (failed) process.stderr.write('some targets were not met (see BENCHMARKS.md)\n');
}

await mainBench();
