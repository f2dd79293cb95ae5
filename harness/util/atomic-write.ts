// Atomic file writes (a temp file beside the target, then a rename), so a crash or a full disk
// never leaves half a file where a complete one was: the one implementation every module uses.
import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

/** The temp file beside `path` this process writes before renaming (same folder: rename is atomic). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/** Writes `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Writes `data` to `path` atomically, without blocking the event loop. */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Writes `value` as pretty JSON (2-space indent, final newline) to `path` atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
