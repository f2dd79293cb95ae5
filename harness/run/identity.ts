// What really answers a run: the model id each endpoint lists, the ids the responses carry, and for
// the onnx engine the model directory's model_id, random_weights and a content hash of its graphs,
// their external data and its tokenizer. Part of a run's configuration, checked on resume.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { OnnxModelInfo } from '../engine/onnx/model-dir.js';
import { updateHashWithFile } from '../util/hash.js';

export type { EngineIdentity } from '../engine/types.js';

async function hashFileInto(hash: ReturnType<typeof createHash>, path: string): Promise<void> {
  hash.update(`\u0000${path.split('/').pop() ?? path}\u0000`);
  await updateHashWithFile(hash, path);
}

/** The files whose bytes make the model: graphs, their external-data files, tokenizer.json. */
export function modelDirFiles(info: OnnxModelInfo): string[] {
  const files = [info.graphs.vision, info.graphs.embed, info.graphs.decoder];
  try {
    const config = JSON.parse(readFileSync(join(info.dir, 'config.json'), 'utf8')) as { cogeval_onnx?: { external_data?: Record<string, unknown> } };
    for (const name of Object.values(config.cogeval_onnx?.external_data ?? {})) {
      if (typeof name === 'string' && name !== '') {
        const p = resolve(dirname(info.graphs.decoder), name);
        if (existsSync(p)) files.push(p);
      }
    }
  } catch {
    // readModelDir already validated config.json; an unreadable one here only drops external data
  }
  files.push(info.tokenizer.json);
  return files;
}

/** sha256 (first 16 hex digits) of the model directory's graphs, external data and tokenizer, streamed. */
export async function modelDirContentHash(info: OnnxModelInfo): Promise<string> {
  const hash = createHash('sha256');
  for (const f of modelDirFiles(info)) await hashFileInto(hash, f);
  return hash.digest('hex').slice(0, 16);
}

/** The label a random-weight model carries in run ids, names and report rows. */
export const RANDOM_WEIGHTS_LABEL = 'RANDOM WEIGHTS';
