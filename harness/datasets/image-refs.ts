// Lazy ImageRef implementations: bytes already in memory (parquet), base64 text (VLMEvalKit TSV)
// decoded on demand, and image files (official layouts) read on demand.
import { readFile } from 'node:fs/promises';
import type { ImageRef } from './types.js';

/** Bytes held in memory. The caller passes bytes it owns (not a view into a larger buffer). */
export function bytesImage(bytes: Uint8Array, origin: string): ImageRef {
  return { origin, bytes: () => Promise.resolve(bytes) };
}

/** A base64 cell (VLMEvalKit TSV), decoded only when asked for. */
export function base64Image(base64: string, origin: string): ImageRef {
  return {
    origin,
    bytes: () => {
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) return Promise.reject(new Error(`${origin}: the base64 image cell decodes to no bytes`));
      return Promise.resolve(bytes);
    },
  };
}

/** Bytes produced by a loader run on demand (e.g. a TSV row read again from disk). */
export function loaderImage(origin: string, load: () => Promise<Uint8Array>): ImageRef {
  return { origin, bytes: load };
}

/**
 * An image file; `candidates` are the paths where the layout may keep it, tried in order (the
 * official downloads are unpacked in slightly different ways). The error lists every path tried.
 */
export function fileImage(candidates: readonly string[]): ImageRef {
  if (candidates.length === 0) throw new Error('fileImage needs at least one candidate path');
  return {
    origin: candidates[0],
    async bytes() {
      for (const path of candidates) {
        try {
          return await readFile(path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      const tried = candidates.length === 1 ? candidates[0] : candidates.join(', ');
      throw new Error(`image file not found (tried ${tried}); check that the benchmark's images were unpacked next to its JSON file`);
    },
  };
}
