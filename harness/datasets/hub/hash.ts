// Which checksum a Hub file's content address implies (sha256 for LFS objects, git blob sha1 for
// small git files); the streamed digests themselves are harness/util/hash.ts.
import type { HashAlgorithm } from '../../util/hash.js';

/** The algorithm a content address implies: 64 hex = sha256 (LFS oid), 40 hex = git blob sha1. */
export function algorithmOfContentAddress(name: string): HashAlgorithm | undefined {
  if (/^[0-9a-f]{64}$/.test(name)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(name)) return 'git-sha1';
  return undefined;
}
