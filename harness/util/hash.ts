// Hashing helpers, the one place cogeval computes digests: sha256 of text or bytes, and streamed
// digests of files (read in 1 MiB chunks, so multi-GB files never sit in memory).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Hex sha256 of a string (as UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Base64 sha256 of a string (as UTF-8) or bytes (Content-Security-Policy hashes). */
export function sha256Base64(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/** Hex sha256 of a small file's bytes, read at once (for files that fit in memory, e.g. imported result files). */
export function sha256FileSync(path: string): string {
  return sha256Hex(readFileSync(path));
}

/** Feeds a file's bytes into `hash`, streamed; `onBytes` hears each chunk's size. */
export async function updateHashWithFile(hash: Hash, path: string, onBytes?: (n: number) => void): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
}

export type HashAlgorithm = 'sha256' | 'md5' | 'git-sha1';

/** Hex digest of a file, streamed; `git-sha1` is git's blob id: sha1("blob <size>\0" + content). */
export async function hashFile(path: string, algorithm: HashAlgorithm, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash(algorithm === 'git-sha1' ? 'sha1' : algorithm);
  if (algorithm === 'git-sha1') hash.update(`blob ${(await stat(path)).size}\0`);
  await updateHashWithFile(hash, path, onBytes);
  return hash.digest('hex');
}
