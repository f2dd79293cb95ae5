// Streaming checksums of files (sha256 for LFS objects, git blob sha1 for small git files, md5 for
// VLMEvalKit TSVs), reading in chunks so multi-GB files never sit in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export type HashAlgorithm = 'sha256' | 'md5' | 'git-sha1';

/** Hex digest of a file; `git-sha1` is git's blob id: sha1("blob <size>\0" + content). */
export async function hashFile(path: string, algorithm: HashAlgorithm, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash(algorithm === 'git-sha1' ? 'sha1' : algorithm);
  if (algorithm === 'git-sha1') {
    const { size } = await stat(path);
    hash.update(`blob ${size}\0`);
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}

export function sha256Bytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The algorithm a content address implies: 64 hex = sha256 (LFS oid), 40 hex = git blob sha1. */
export function algorithmOfContentAddress(name: string): HashAlgorithm | undefined {
  if (/^[0-9a-f]{64}$/.test(name)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(name)) return 'git-sha1';
  return undefined;
}
