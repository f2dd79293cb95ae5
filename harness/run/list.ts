// `cogeval runs ls`: one summary per run directory under a runs folder (id, the model as served,
// benchmarks, samples predicted and failed, creation time), read from run.json and predictions.jsonl.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { RANDOM_WEIGHTS_LABEL } from './identity.js';
import { lockHolder } from './lock.js';
import { latestPredictions } from './store.js';
import { predictionLines, readManifest, runPath } from './run-format.js';

export interface RunSummary {
  id: string;
  dir: string;
  /** The model as served (identity), with the run's model name; labelled when its weights are random. */
  model: string;
  benches: string[];
  /** Samples with a prediction. */
  predicted: number;
  /** Samples whose latest line is a failure. */
  failed: number;
  createdAt: string;
  /** `in use by …`, or why the folder could not be read. */
  note: string;
}

export function listRuns(runsDir: string): RunSummary[] {
  if (!existsSync(runsDir)) throw new InputError(`--runs-dir ${runsDir} does not exist`);
  if (!statSync(runsDir).isDirectory()) throw new InputError(`--runs-dir ${runsDir} is a file, not a directory`);
  const out: RunSummary[] = [];
  for (const name of readdirSync(runsDir).sort()) {
    const dir = join(runsDir, name);
    if (!statSync(dir).isDirectory() || !existsSync(runPath(dir, 'manifest'))) continue;
    try {
      const m = readManifest(dir);
      const { done, failed } = latestPredictions(predictionLines(dir));
      const served = m.config.identity?.model ?? m.config.model.servedModel;
      const random = m.config.identity?.randomWeights === true;
      const holder = lockHolder(dir);
      out.push({
        id: m.id,
        dir,
        model: `${m.config.model.name} (${served})${random ? ` ${RANDOM_WEIGHTS_LABEL}` : ''}`,
        benches: m.config.benches,
        predicted: done.size,
        failed: failed.size,
        createdAt: m.createdAt,
        note: holder ? `in use by cogeval ${holder.command} (pid ${holder.pid} on ${holder.host})` : '',
      });
    } catch (err) {
      out.push({ id: name, dir, model: '?', benches: [], predicted: 0, failed: 0, createdAt: '', note: `unreadable: ${(err as Error).message}` });
    }
  }
  return out;
}
