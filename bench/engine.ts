// Benchmark of the openai engine against the loopback fake server in a child process (20 ms
// latency, 100 KB images, concurrency 16): achieved requests/s vs the ideal 800/s, client CPU per request.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOpenAIEngine } from '../harness/engine/openai/engine.js';
import type { EngineOutput, EngineRequest } from '../harness/engine/types.js';
import { FAKE_SERVER_OPTIONS_ENV, type ChildMessage, type FakeServerOptions, type FakeServerStats } from '../tests/support/fake-openai-server.js';
import type { BenchResult } from './result.js';

/** The target: at least 85% of the ideal request rate. */
const TARGET_FRACTION = 0.85;

const LATENCY_MS = 20;
const CONCURRENCY = 16;
const IMAGE_BYTES = 100 * 1024;
const REQUESTS = 1600;
const WARMUP = 480;
const IDEAL_RPS = (CONCURRENCY * 1000) / LATENCY_MS;

function serverScript(): string {
  // Compiled layout: dist/bench/engine.js -> dist/tests/support/fake-openai-server.js
  const path = fileURLToPath(new URL('../tests/support/fake-openai-server.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`bench/engine needs the compiled fake server at ${path}; run \`npm run build\` first`);
  return path;
}

async function startServerChild(options: FakeServerOptions): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(serverScript(), [], { env: { ...process.env, [FAKE_SERVER_OPTIONS_ENV]: JSON.stringify(options) }, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake server child exited with code ${code}`)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve(m.url);
    });
  });
  return { child, url };
}

function serverStats(child: ChildProcess): Promise<FakeServerStats & { cpuUs: number }> {
  return new Promise((resolve) => {
    const onMessage = (m: ChildMessage): void => {
      if (m.type === 'stats') {
        child.off('message', onMessage);
        resolve({ ...m.stats, cpuUs: m.cpuUs });
      }
    };
    child.on('message', onMessage);
    child.send({ type: 'stats' });
  });
}

/** A 100 KB "image": a PNG signature (so the MIME sniffer accepts it) and pseudo-random bytes. */
function fakeImage(): Uint8Array {
  const bytes = new Uint8Array(IMAGE_BYTES);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

function* makeRequests(n: number, prefix: string, image: Uint8Array): Generator<EngineRequest> {
  for (let i = 0; i < n; i++) {
    yield {
      id: `${prefix}${i}`,
      prompt: `What is written in image ${prefix}${i}?`,
      images: [{ origin: `bench image ${i}`, bytes: async () => image }],
      generation: { maxNewTokens: 32, temperature: 0, doSample: false },
    };
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(stream: boolean, url: string, child: ChildProcess, image: Uint8Array): Promise<BenchResult[]> {
  const engine = createOpenAIEngine({ endpoints: url, model: 'fake-cogvlm2', concurrency: CONCURRENCY, stream, timeoutMs: 30_000 }, { env: {} });
  const label = `engine.openai ${stream ? 'streaming' : 'non-streaming'}, c=${CONCURRENCY}, ${LATENCY_MS} ms server, 100 KB image`;
  try {
    for await (const _ of engine.generate(makeRequests(WARMUP, `w${stream ? 's' : 'n'}`, image))) {
      // warm-up: connections, JIT
    }
    const before = await serverStats(child);
    const outputs: EngineOutput[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const out of engine.generate(makeRequests(REQUESTS, `m${stream ? 's' : 'n'}`, image))) outputs.push(out);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const after = await serverStats(child);
    const failed = outputs.filter((o) => o.error !== undefined).length;
    const rps = (outputs.length * 1000) / wallMs;
    const cpuUsPerRequest = (cpu.user + cpu.system) / outputs.length;
    const latencies = outputs.map((o) => o.timings.latencyMs);
    const serverCpuUs = (after.cpuUs - before.cpuUs) / outputs.length;
    const note =
      `${REQUESTS} requests in ${wallMs.toFixed(0)} ms; ${failed} failed; server max in flight ${after.maxInFlight}, ` +
      `${after.connections - before.connections} new connections; server CPU ${serverCpuUs.toFixed(0)} us/request (same machine)`;
    const results: BenchResult[] = [
      {
        name: label,
        metric: `achieved requests/s as a percentage of the ideal ${IDEAL_RPS}/s (${CONCURRENCY} in flight / ${LATENCY_MS} ms)`,
        value: Math.round((1000 * rps) / IDEAL_RPS) / 10,
        unit: '%',
        target: `>= ${TARGET_FRACTION * 100}%`,
        pass: rps / IDEAL_RPS >= TARGET_FRACTION,
        note,
      },
      { name: label, metric: 'requests per second', value: Math.round(rps), unit: 'req/s' },
      {
        name: label,
        metric: 'client CPU per request',
        value: Math.round(cpuUsPerRequest),
        unit: 'us',
        note: `process.cpuUsage of the client (user ${(cpu.user / outputs.length).toFixed(0)} + system ${(cpu.system / outputs.length).toFixed(0)} us); the server runs in a child process`,
      },
      { name: label, metric: 'latency p50 (send to last byte)', value: round1(percentile(latencies, 50)), unit: 'ms' },
      { name: label, metric: 'latency p99', value: round1(percentile(latencies, 99)), unit: 'ms' },
    ];
    if (stream) {
      const ttft = outputs.flatMap((o) => (o.timings.ttftMs === undefined ? [] : [o.timings.ttftMs]));
      results.push({ name: label, metric: 'time to first token p50', value: round1(percentile(ttft, 50)), unit: 'ms' });
    }
    return results;
  } finally {
    await engine.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const { child, url } = await startServerChild({ latencyMs: LATENCY_MS, inspectImages: false, chunkChars: 8 });
  try {
    const image = fakeImage();
    return [...(await measure(true, url, child, image)), ...(await measure(false, url, child, image))];
  } finally {
    child.disconnect();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }
}
