// Dataset content hashes for run provenance: sha256 over the source files' bytes, and a running
// sha256 over the streamed samples' ids and references (no extra I/O when done during a run).
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataError, errorMessage } from './errors.js';
import { canonicalJson } from '../util/canonical-json.js';
import { updateHashWithFile } from '../util/hash.js';
import type { Sample } from './types.js';

/**
 * `sha256:<hex>` over the files in the given order: for each, its base name, size and bytes.
 * Streams the files (about 1 GB/s); the same files in the same order always give the same hash.
 */
export async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      throw new DataError(`${file}: cannot hash the dataset file (${errorMessage(err)})`, file);
    }
    hash.update(`${basename(file)}\0${size}\0`);
    await updateHashWithFile(hash, file);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * A running `sha256:<hex>` over samples' ids and references, in stream order: feed it every
 * sample while a run streams them, read `digest()` at the end. Images are not hashed.
 */
export class SampleHasher {
  private readonly hash = createHash('sha256');
  private n = 0;

  update(sample: Pick<Sample, 'id' | 'references'>): void {
    this.hash.update(`${canonicalJson({ id: sample.id, references: sample.references })}\n`);
    this.n += 1;
  }

  get count(): number {
    return this.n;
  }

  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}
