// The eval runner: streams each benchmark's samples through the protocol into an engine, appends
// every finished sample to predictions.jsonl at once, resumes without repeating or duplicating a
// sample, and refuses to mix a changed configuration into an old run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import type { BenchDataset, Sample } from '../datasets/types.js';
import { isSampleFailure } from '../datasets/types.js';
import { checkSampleImages } from '../datasets/images.js';
import type { Engine, EngineOutput, EngineRequest } from '../engine/types.js';
import type { BenchId } from '../metrics/types.js';
import { buildRequest, type Decoding } from '../protocols/protocol.js';
import type { Cogvlm2Template } from '../protocols/cogvlm2-template.js';
import type { ProtocolId } from '../protocols/types.js';
import {
  configDiff,
  defaultRunId,
  fingerprint,
  harnessProvenance,
  type DatasetProvenance,
  type RunConfig,
} from './config.js';
import type { ModelEntry } from './models.js';
import { createProgress, type Progress } from './progress.js';
import { inShard, shardSize, type Shard } from './shard.js';
import { JsonlAppender, latestPredictions, predictionKey, repairTornLine } from './store.js';
import { RUN_FORMAT_VERSION, predictionLines, readManifest, readThroughput, runPath, type PredictionLine, type RunManifest, type Throughput } from './run-format.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { sha256Hex } from '../util/hash.js';
import { ThroughputMeter, combineSessions } from './throughput.js';
import { acquireRunLock, type RunLock } from './lock.js';
import { RANDOM_WEIGHTS_LABEL } from './identity.js';
import { countReasons, type ReasonCount } from './failure-reasons.js';
import type { EngineIdentity } from '../engine/types.js';
import { existsSync as fileExists } from 'node:fs';
import { promptConfigs } from './prompt-configs.js';
import { benchmark } from '../benchmarks/registry.js';


export interface EvalPlan {
  runsDir: string;
  runId?: string;
  newRun: boolean;
  model: ModelEntry;
  benches: BenchId[];
  protocol: ProtocolId;
  template?: Cogvlm2Template;
  decoding: Decoding;
  engine: Engine;
  engineServer: string;
  openDataset: (bench: BenchId) => Promise<BenchDataset>;
  shard: Shard | null;
  limit: number | null;
  log: (line: string) => void;
  progress?: (label: string) => Progress;
  signal?: AbortSignal;
  /** Keep the run directory's lock after returning (outcome.lock): the caller judges and scores, then releases. */
  keepLock?: boolean;
}

export interface EvalOutcome {
  runDir: string;
  manifest: RunManifest;
  requested: number;
  failed: number;
  skippedDone: number;
  /** Lines written this session (requests answered or failed, and samples failed before sending). */
  attempted: number;
  /** This session's failure reasons with counts, most frequent first. */
  failureReasons: ReasonCount[];
  throughput: Throughput;
  /** Held when plan.keepLock; release it when done with the run directory. */
  lock?: RunLock;
}

function promptTemplateHash(benches: readonly BenchId[]): string {
  return sha256Hex(JSON.stringify(promptConfigs(benches))).slice(0, 16);
}

function nextFreeRunId(runsDir: string, base: string): string {
  const taken = existsSync(runsDir) ? new Set(readdirSync(runsDir)) : new Set<string>();
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Opens the datasets and builds the configuration that identifies this run. */
async function planConfig(plan: EvalPlan, datasets: Map<BenchId, BenchDataset>, identity: EngineIdentity | null): Promise<RunConfig> {
  const generation: RunConfig['generation'] = {};
  const provenance: Partial<Record<BenchId, DatasetProvenance>> = {};
  for (const bench of plan.benches) {
    const ds = await plan.openDataset(bench);
    datasets.set(bench, ds);
    provenance[bench] = { source: ds.source, description: ds.description, revision: ds.revision, count: await ds.count() };
    // Generation settings depend only on protocol and benchmark; build them from a dummy sample.
    generation[bench] = buildRequest(plan.protocol, dummyPrompt(bench), { variant: plan.model.variant, template: plan.template, decoding: plan.decoding }).generation;
  }
  // A random-weight model is what it is, whatever --model said: its own name, labelled, no README row.
  const random = identity?.randomWeights === true;
  const model = random
    ? { name: `random-weights-${identity.model.replace(/[^A-Za-z0-9._-]+/g, '_')}`, hfId: `${identity.model} (${RANDOM_WEIGHTS_LABEL})`, revision: null }
    : { name: plan.model.name, hfId: plan.model.hfId, revision: plan.model.revision };
  return {
    model: {
      ...model,
      variant: plan.model.variant,
      servedModel: identity?.model ?? plan.model.servedModelName,
      ...(plan.model.reportedAs !== undefined && !random ? { reportedAs: plan.model.reportedAs } : {}),
    },
    benches: plan.benches,
    protocol: plan.protocol,
    template: plan.template ?? plan.model.template,
    decoding: plan.decoding,
    generation,
    promptTemplateHash: promptTemplateHash(plan.benches),
    datasets: provenance,
    engine: { kind: plan.engine.kind, server: plan.engineServer },
    identity: identity === null ? null : { model: identity.model, randomWeights: identity.randomWeights, contentHash: identity.contentHash },
    shard: plan.shard,
    limit: plan.limit,
  };
}

function dummyPrompt(bench: BenchId): Sample['prompt'] {
  return benchmark(bench).prompts.dummy;
}

/**
 * Takes the run directory's lock (before anything is written), then creates the run or reopens it
 * for resume after checking the configuration (identity included).
 */
function openRun(plan: EvalPlan, config: RunConfig, identity: EngineIdentity | null): { dir: string; manifest: RunManifest; lock: RunLock } {
  const base = plan.runId ?? defaultRunId(config);
  const id = plan.newRun ? nextFreeRunId(plan.runsDir, base) : base;
  const dir = join(plan.runsDir, id);
  if (fileExists(plan.runsDir) && !statIsDir(plan.runsDir)) throw new InputError(`--runs-dir ${plan.runsDir} is a file, not a directory; pass another --runs-dir`);
  const lock = acquireRunLock(dir, 'eval');
  try {
    const fp = fingerprint(config);
    const now = new Date().toISOString();
    const identityRecord = identity === null ? undefined : { endpoints: identity.endpoints, ...(identity.modelDir ? { modelDir: identity.modelDir } : {}), responseModels: {} };
    if (existsSync(runPath(dir, 'manifest'))) {
      const old = readManifest(dir);
      if (old.fingerprint !== fp) {
        const diff = configDiff(old.config, config).slice(0, 12);
        throw new ConfigError(
          `run ${dir} was made with another configuration; refusing to mix predictions.\n  ` +
            diff.join('\n  ') +
            `\nRe-run with --new-run to start a new run beside it, or --run-id NAME to pick another directory.`,
        );
      }
      const manifest: RunManifest = { ...old, updatedAt: now };
      if (identityRecord) manifest.identity = { ...identityRecord, responseModels: old.identity?.responseModels ?? {} };
      return { dir, manifest, lock };
    }
    const manifest: RunManifest = {
      formatVersion: RUN_FORMAT_VERSION,
      id,
      fingerprint: fp,
      config,
      harness: harnessProvenance(),
      engine: plan.engine.describe(),
      createdAt: now,
      updatedAt: now,
      sessions: [],
      multiImageItems: {},
      ...(identityRecord ? { identity: identityRecord } : {}),
    };
    writeJsonAtomic(runPath(dir, 'manifest'), manifest);
    return { dir, manifest, lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}

function statIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface Pending {
  sample: Sample;
  promptHash: string;
}

export async function runEval(plan: EvalPlan): Promise<EvalOutcome> {
  // Pre-flight (endpoints reachable, served model known) and the datasets, before any directory exists.
  const identity = plan.engine.identify ? await plan.engine.identify(plan.signal) : null;
  const datasets = new Map<BenchId, BenchDataset>();
  const config = await planConfig(plan, datasets, identity);
  const { dir, manifest, lock } = openRun(plan, config, identity);
  try {
    const outcome = await runOpened(plan, config, datasets, dir, manifest);
    if (plan.keepLock) return { ...outcome, lock };
    lock.release();
    return outcome;
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function runOpened(plan: EvalPlan, config: RunConfig, datasets: Map<BenchId, BenchDataset>, dir: string, manifest: RunManifest): Promise<EvalOutcome> {
  const predictionsFile = runPath(dir, 'predictions');
  const tornBytes = repairTornLine(predictionsFile);
  if (tornBytes > 0) plan.log(`dropped a torn last line (${tornBytes} bytes) of ${predictionsFile} left by an interrupted run`);
  const { done } = latestPredictions(predictionLines(dir));
  const resumedFrom = done.size;
  if (resumedFrom > 0) plan.log(`resuming ${manifest.id}: ${resumedFrom} sample(s) already predicted, they are not requested again`);

  let total = 0;
  const estimated: Partial<Record<BenchId, number>> = {};
  for (const bench of plan.benches) {
    const n = config.datasets[bench]?.count ?? 0;
    estimated[bench] = manifest.shardSelected?.[bench] ?? shardSize(plan.limit === null ? n : Math.min(n, plan.limit), plan.shard);
    total += estimated[bench] ?? 0;
  }
  const shardSelected: Partial<Record<BenchId, number>> = {};
  const session: RunManifest['sessions'][number] = { startedAt: new Date().toISOString(), requested: 0, failed: 0, resumedFrom, host: manifest.harness.host };
  if (manifest.identity && manifest.identity.endpoints.length > 0) session.endpoints = manifest.identity.endpoints.map((e) => e.host);
  manifest.sessions.push(session);
  writeJsonAtomic(runPath(dir, 'manifest'), manifest);

  const out = new JsonlAppender(predictionsFile);
  const meter = new ThroughputMeter();
  const progress = (plan.progress ?? ((label: string) => createProgress(label)))(manifest.id);
  const pending = new Map<string, Pending>();
  let finished = resumedFrom;
  let failed = 0;
  const failureMessages: string[] = [];
  const responseModels: Record<string, number> = {};
  const multiImage: Partial<Record<BenchId, number>> = {};

  const writeLine = (line: PredictionLine): void => {
    out.append(line);
    finished++;
    if (line.error) {
      failed++;
      failureMessages.push(line.error.message);
    }
    progress.update({ done: finished, total, errors: failed, elapsedSeconds: meter.elapsedSeconds() });
  };

  async function* requests(): AsyncGenerator<EngineRequest> {
    for (const bench of plan.benches) {
      const ds = datasets.get(bench) as BenchDataset;
      let selected = 0;
      for await (const item of ds.samples({ limit: plan.limit ?? undefined })) {
        if (plan.signal?.aborted) return;
        // Whole scoring units (an MMBench circular group) go to one shard.
        if (!inShard(bench, item, plan.shard)) continue;
        selected++;
        // CogVLM2 takes one image per conversation: count the items with several (all of them,
        // finished ones included, so a resumed session reports the whole selection).
        if (!isSampleFailure(item) && item.images.length > 1) multiImage[bench] = (multiImage[bench] ?? 0) + 1;
        if (done.has(predictionKey(bench, item.id))) continue;
        if (isSampleFailure(item)) {
          writeLine({ bench, id: item.id, index: item.index, promptHash: '', prediction: '', references: {}, error: { kind: 'sample', message: item.reason }, at: Date.now() });
          continue;
        }
        let built;
        try {
          built = buildRequest(plan.protocol, item.prompt, { variant: plan.model.variant, template: plan.template, decoding: plan.decoding });
        } catch (err) {
          writeLine({ bench, id: item.id, index: item.index, promptHash: '', prediction: '', references: item.references, error: { kind: 'prompt', message: (err as Error).message }, at: Date.now() });
          continue;
        }
        // Send the first image, as VLMEvalKit does (cogvlm2.md §7.1); lmms-eval would stop the run.
        const images = item.images.slice(0, 1);
        // Corrupt, truncated or oversized (> 100 MP) images fail their sample here, never scored.
        const imageProblem = await checkSampleImages({ images });
        if (imageProblem !== null) {
          writeLine({ bench, id: item.id, index: item.index, promptHash: '', prediction: '', references: item.references, question: item.question, error: { kind: 'image', message: imageProblem }, at: Date.now() });
          continue;
        }
        const promptHash = sha256Hex(`${built.query}\u0000${JSON.stringify(built.generation)}\u0000${images.length}`).slice(0, 16);
        const key = predictionKey(bench, item.id);
        pending.set(key, { sample: item, promptHash });
        yield { id: key, prompt: built.query, images, generation: built.generation };
      }
      // The selection of this benchmark is now known exactly (the estimate is exact but for MMBench).
      shardSelected[bench] = selected;
      total += selected - (estimated[bench] ?? 0);
    }
  }

  progress.update({ done: finished, total, errors: failed, elapsedSeconds: 0 });
  try {
    for await (const o of plan.engine.generate(requests(), { signal: plan.signal })) {
      const p = pending.get(o.id);
      if (!p) continue;
      pending.delete(o.id);
      meter.record({ latencyMs: o.timings.latencyMs, ttftMs: o.timings.ttftMs, retries: o.retries, outputTokens: o.outputTokens, errorKind: o.error?.kind });
      if (o.model !== undefined) responseModels[o.model] = (responseModels[o.model] ?? 0) + 1;
      writeLine(predictionLine(p, o));
      session.requested++;
    }
  } finally {
    out.close();
    progress.stop();
    session.endedAt = new Date().toISOString();
    session.failed = failed;
    if (!plan.signal?.aborted) for (const bench of plan.benches) manifest.multiImageItems[bench] = multiImage[bench] ?? 0;
    if (plan.shard !== null && Object.keys(shardSelected).length > 0) manifest.shardSelected = { ...manifest.shardSelected, ...shardSelected };
    manifest.updatedAt = session.endedAt;
    if (manifest.identity) {
      for (const [m, n] of Object.entries(responseModels)) manifest.identity.responseModels[m] = (manifest.identity.responseModels[m] ?? 0) + n;
    }
    writeJsonAtomic(runPath(dir, 'manifest'), manifest);
  }
  const throughput = meter.summary();
  // Every session is kept; the combined numbers are those of the sessions that made requests.
  const throughputFile = runPath(dir, 'throughput');
  const problems: string[] = [];
  const previous = readThroughput(dir, problems);
  for (const p of problems) plan.log(`${p}; its earlier sessions are not combined`);
  const { done: allDone } = latestPredictions(predictionLines(dir));
  const perSample = { latencyMs: [] as number[], ttftMs: [] as number[] };
  for (const l of allDone.values()) {
    if (l.latencyMs !== undefined) perSample.latencyMs.push(l.latencyMs);
    if (l.ttftMs !== undefined) perSample.ttftMs.push(l.ttftMs);
  }
  writeJsonAtomic(throughputFile, combineSessions(previous, { ...throughput, session: session.startedAt, engine: plan.engine.kind }, perSample));
  const other = Object.keys(responseModels).filter((m) => config.identity && m !== config.identity.model);
  if (other.length > 0) plan.log(`note: responses named model(s) ${other.join(', ')}, while /v1/models listed ${config.identity?.model}; both are recorded in run.json (identity.responseModels)`);
  return {
    runDir: dir,
    manifest,
    requested: session.requested,
    failed,
    skippedDone: resumedFrom,
    attempted: finished - resumedFrom,
    failureReasons: countReasons(failureMessages),
    throughput,
  };
}

function predictionLine(p: Pending, o: EngineOutput): PredictionLine {
  const s = p.sample;
  const line: PredictionLine = {
    bench: s.bench,
    id: s.id,
    index: s.index,
    promptHash: p.promptHash,
    prediction: o.error ? '' : o.text,
    references: s.references,
    question: s.question,
    categories: s.categories,
    promptTokens: o.promptTokens,
    outputTokens: o.outputTokens,
    finishReason: o.finishReason,
    ttftMs: o.timings.ttftMs,
    latencyMs: o.timings.latencyMs,
    totalMs: o.timings.totalMs,
    attempts: o.attempts,
    endpoint: o.endpoint,
    at: Date.now(),
  };
  if (o.error) line.error = { kind: o.error.kind, message: o.error.message, status: o.error.status };
  return line;
}
