// Shared helpers for the engine tests: requests, in-memory and on-disk images, collecting outputs.
import { readFile } from 'node:fs/promises';
import { afterEach } from 'vitest';
import type { ImageRef } from '../../harness/datasets/types.js';
import type { Engine, EngineOutput, EngineRequest } from '../../harness/engine/types.js';
import type { GenerationSettings } from '../../harness/protocols/types.js';

export const GREEDY: GenerationSettings = { maxNewTokens: 32, temperature: 0, doSample: false };

export function fileImage(path: string): ImageRef {
  return { origin: path, bytes: async () => new Uint8Array(await readFile(path)) };
}

export function memoryImage(bytes: Uint8Array, origin = 'memory'): ImageRef {
  return { origin, bytes: async () => bytes };
}

export function request(id: string, images: ImageRef[] = [], extra: Partial<EngineRequest> = {}): EngineRequest {
  return { id, prompt: `question ${id}?`, images, generation: GREEDY, ...extra };
}

export function requests(n: number, images: ImageRef[] = []): EngineRequest[] {
  return Array.from({ length: n }, (_, i) => request(`r${i}`, images));
}

export async function collect(engine: Engine, reqs: Iterable<EngineRequest> | AsyncIterable<EngineRequest>): Promise<EngineOutput[]> {
  const out: EngineOutput[] = [];
  for await (const o of engine.generate(reqs)) out.push(o);
  return out;
}

/** A tiny valid PNG (1x1, red), as real encoders write it. */
export const PNG_1X1 = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
);

/**
 * Servers and engines a test file starts; every one is closed after each test. Push what a test
 * starts onto the returned lists.
 */
export function closedAfterEach<S extends { stop(): Promise<void> }>(): { servers: S[]; engines: Engine[] } {
  const held = { servers: [] as S[], engines: [] as Engine[] };
  afterEach(async () => {
    await Promise.all(held.engines.splice(0).map((e) => e.close()));
    await Promise.all(held.servers.splice(0).map((s) => s.stop()));
  });
  return held;
}
