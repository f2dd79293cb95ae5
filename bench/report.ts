// Report building: 20 synthetic runs × every registered benchmark (≈2,900 scored samples per benchmark with realistic text,
// written with the run store and scored by scoreRun, as `cogeval eval` leaves them) turned into
// leaderboard.html/.csv/.md with thumbnails made from real-size document images — median wall
// time of a few builds, and the HTML size, against the targets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { BenchDataset, Sample } from '../harness/datasets/types.js';
import { type BenchId } from '../harness/metrics/types.js';
import { BENCH_IDS } from '../harness/benchmarks/registry.js';
import { buildReport, DEFAULT_THUMBNAIL_BUDGET_BYTES } from '../harness/report/build.js';
import { JsonlAppender, ensureDir } from '../harness/run/store.js';
import { RUN_FORMAT_VERSION, runPath, type PredictionLine, type RunManifest } from '../harness/run/run-format.js';
import { writeJsonAtomic } from '../harness/util/atomic-write.js';
import { resolveModel } from '../harness/run/models.js';
import { scoreRun } from '../harness/run/score-run.js';
import { mulberry32 } from '../harness/metrics/stats.js';
import { syntheticRecords } from './synthetic.js';
import type { BenchResult } from './result.js';

const RUNS = 20;
/** Scored units per benchmark per run (MMBench: circular groups of four rows). */
const UNITS = 143;
const BUILDS = 3;
const TARGET_MS = 5000;
const TARGET_BYTES = 15_000_000;

const QUESTIONS: Record<BenchId, readonly string[]> = {
  textvqa: ['what is written on the sign above the door?', 'what brand is the soda can on the table?', 'what number is on the jersey of the player on the left?', 'what time does the clock show?'],
  docvqa: ['What is the date mentioned in the letter?', 'What is the total amount due on this invoice?', 'Who is the sender of this memorandum?', 'What is the title of the table on page 3?'],
  chartqa: ['What is the value of the tallest bar?', 'What is the difference between the highest and the lowest value in 2019?', 'How many categories are shown in the chart?', 'Which year had the largest share of renewable energy?'],
  ocrbench: ['what is written in the image?', 'What is the name of the store?', 'what is the total amount in the receipt?', 'Please write out the expression of the formula in the image using LaTeX format.'],
  mmmu: ['<image 1> Which of the following best describes the artistic movement shown?', '<image 1> What is the output voltage of the circuit in the figure?', '<image 1> Based on the graph, what is the equilibrium price?', '<image 1> Which structure is indicated by the arrow?'],
  mmvet: ['What is x in the equation?', 'What should I do after kneading the dough, before dividing it into pieces?', 'Can you explain this meme?', 'What is the total price of the two items?'],
  mmbench: ['Which animal barks?', 'Which of the following captions best describes this image?', 'What is the relationship between the two people in the image?', 'Which material is this object made of?'],
  vcr_easy: ['What is the covered texts in the image? Please restore the covered texts without outputting the explanations.'],
  vcr_hard: ['What is the covered texts in the image? Please restore the covered texts without outputting the explanations.'],
};

const LONG_ANSWER =
  'The equation shows a quadratic expression set equal to zero. Factoring it gives (x + 1)(x + 5) = 0, so the solutions are x = -1 or x = -5, which can be checked by substituting both values back into the original equation.';

/** Rows per benchmark per run so that every benchmark has UNITS scored units. */
function rowsFor(bench: BenchId): number {
  return bench === 'mmbench' ? UNITS * 4 : UNITS;
}

/** The prediction lines of one run: the same items in every run, predictions varying by run. */
function predictionLines(bench: BenchId, run: number): PredictionLine[] {
  const n = rowsFor(bench);
  const base = syntheticRecords(bench, n, 11);
  const alt = syntheticRecords(bench, n, 100 + run);
  const rand = mulberry32(run * 7919 + bench.length);
  return base.map((rec, i) => {
    const { id, index, prediction, ...references } = rec;
    let text = rand() < 0.75 ? String(prediction) : String(alt[i]['prediction']);
    if (bench === 'mmvet') text = rand() < 0.5 ? LONG_ANSWER : text;
    const key = bench === 'mmbench' ? String(index) : String(id);
    return {
      bench,
      id: key,
      index: i,
      promptHash: 'bench',
      prediction: text,
      references: bench === 'mmbench' ? { index, ...references } : references,
      question: String(references['question'] ?? QUESTIONS[bench][i % QUESTIONS[bench].length]),
      promptTokens: 2400,
      outputTokens: 4 + (i % 40),
      latencyMs: 300 + (i % 17) * 40,
      ttftMs: 250 + (i % 13) * 10,
      at: 0,
    };
  });
}

function manifest(id: string, run: number): RunManifest {
  const model = resolveModel(run % 2 === 0 ? 'chat' : 'chinese-chat');
  const protocol = (['cogvlm2', 'lmms-eval', 'vlmevalkit'] as const)[run % 3];
  const now = new Date(Date.UTC(2026, 0, 1 + run)).toISOString();
  return {
    formatVersion: RUN_FORMAT_VERSION,
    id,
    fingerprint: `bench${run}`,
    config: {
      model: { name: model.name, hfId: model.hfId, revision: null, variant: model.variant, servedModel: model.servedModelName },
      benches: [...BENCH_IDS],
      protocol,
      template: 'chat',
      decoding: 'greedy',
      generation: {},
      promptTemplateHash: 'bench',
      datasets: Object.fromEntries(BENCH_IDS.map((b) => [b, { source: 'hf', description: `synthetic ${b}`, revision: `bench-${b}`, count: rowsFor(b) }])),
      engine: { kind: 'openai', server: 'lmdeploy' },
      shard: null,
      limit: null,
    },
    harness: { version: 'bench', gitCommit: null, node: process.version, host: 'bench' },
    engine: { kind: 'openai' },
    createdAt: now,
    updatedAt: now,
    sessions: [],
    multiImageItems: {},
  };
}

function writeRun(runsDir: string, run: number): number {
  const id = `run-${String(run).padStart(2, '0')}-${run % 2 === 0 ? 'chat' : 'chinese-chat'}`;
  const dir = join(runsDir, id);
  ensureDir(dir);
  writeJsonAtomic(runPath(dir, 'manifest'), manifest(id, run));
  const out = new JsonlAppender(runPath(dir, 'predictions'));
  let lines = 0;
  for (const bench of BENCH_IDS) {
    for (const line of predictionLines(bench, run)) {
      out.append(line);
      lines++;
    }
  }
  out.close();
  writeJsonAtomic(runPath(dir, 'throughput'), {
    wallSeconds: 3600 + run * 60,
    requests: lines,
    completed: lines,
    errors: 0,
    retries: run % 4,
    samplesPerSecond: lines / (3600 + run * 60),
    outputTokens: lines * 24,
    outputTokensPerSecond: (lines * 24) / (3600 + run * 60),
    latencyMs: { p50: 820, p90: 1400, p99: 2900, n: lines },
    ttftMs: { p50: 610, p90: 990, p99: 2100, n: lines },
    errorsByKind: {},
    session: new Date(Date.UTC(2026, 0, 1 + run)).toISOString(),
    engine: 'openai',
  });
  scoreRun(dir);
  return lines;
}

/** A 1024×768 page of dark "words" on white: compresses like a scanned document. */
async function documentImage(seed: number): Promise<Buffer> {
  const rand = mulberry32(seed);
  const rects: string[] = [];
  for (let y = 60; y < 720; y += 22) {
    for (let x = 60; x < 960; ) {
      const w = 20 + Math.floor(rand() * 70);
      rects.push(`<rect x="${x}" y="${y}" width="${w}" height="12" fill="#${rand() < 0.8 ? '222' : '6a6'}"/>`);
      x += w + 9;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="768"><rect width="1024" height="768" fill="#fdfdf8"/>${rects.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The benchmark data of the synthetic runs: every item id with a real-size image. */
function datasetFor(bench: BenchId, ids: readonly string[], images: readonly Buffer[]): BenchDataset {
  return {
    bench,
    source: 'hf',
    description: `synthetic ${bench}`,
    revision: `bench-${bench}`,
    count: async () => ids.length,
    async *samples() {
      for (let i = 0; i < ids.length; i++) {
        const bytes = images[i % images.length];
        // Thumbnails read only the id and the image; the prompt is a placeholder of the right shape.
        const prompt: Sample['prompt'] = { bench: 'textvqa', question: 'q' };
        const sample: Sample = { id: ids[i], bench, index: i, question: 'q', images: [{ origin: `row ${i}`, bytes: async () => bytes }], prompt, references: {}, categories: {}, extra: {} };
        yield sample;
      }
    },
  };
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'cogeval-bench-report-'));
  try {
    const runsDir = join(root, 'runs');
    let predictions = 0;
    for (let r = 0; r < RUNS; r++) predictions += writeRun(runsDir, r);
    const images = await Promise.all(Array.from({ length: 12 }, (_, i) => documentImage(i + 1)));
    const ids = Object.fromEntries(BENCH_IDS.map((b) => [b, predictionLines(b, 0).filter((l) => b !== 'mmbench' || Number(l.id) < 1_000_000).map((l) => l.id)])) as Record<BenchId, string[]>;
    const openDataset = async (bench: BenchId): Promise<BenchDataset> => datasetFor(bench, ids[bench], images);

    const times: number[] = [];
    let html = 0;
    let samples = 0;
    let thumbs = 0;
    for (let i = 0; i < BUILDS; i++) {
      const t = performance.now();
      const out = await buildReport({ runsDir, outDir: join(root, 'out'), openDataset });
      times.push(performance.now() - t);
      html = out.htmlBytes;
      thumbs = out.thumbnails.made;
      samples = out.board.runs.reduce((n, r) => n + Object.values(r.cells).reduce((m, c) => m + (c?.counts ? Object.values(c.counts).reduce((a, b) => a + b, 0) : 0), 0), 0);
    }
    const noThumbTimes: number[] = [];
    for (let i = 0; i < BUILDS; i++) {
      const t = performance.now();
      await buildReport({ runsDir, outDir: join(root, 'out-plain'), thumbnailBudgetBytes: 0 });
      noThumbTimes.push(performance.now() - t);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ms = Math.round(median(times));
    return [
      {
        name: `cogeval report: ${RUNS} runs × ${BENCH_IDS.length} benchmarks, ${samples.toLocaleString('en')} scored samples`,
        metric: `median wall time of ${BUILDS} builds (read runs, model, ${thumbs} thumbnails from 1024×768 PNGs within the ${DEFAULT_THUMBNAIL_BUDGET_BYTES / 1e6} MB default cap, HTML + CSV + MD written); ${predictions.toLocaleString('en')} prediction lines`,
        value: ms,
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS,
      },
      {
        name: 'the same, without thumbnails',
        metric: `median wall time of ${BUILDS} builds, --thumbnail-budget 0`,
        value: Math.round(median(noThumbTimes)),
        unit: 'ms',
      },
      {
        name: 'leaderboard.html size',
        metric: `bytes of the self-contained page for those runs, thumbnails included (${thumbs} thumbnails)`,
        value: Math.round(html / 1e4) / 100,
        unit: 'MB',
        target: `≤ ${TARGET_BYTES / 1e6} MB`,
        pass: html <= TARGET_BYTES,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
