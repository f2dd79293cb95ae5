// Test helper: runs one fixture vector file through the vector checks and returns mismatches.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { checkVectorFile } from '../harness/verify/compare.js';
import type { VectorChecks } from '../harness/verify/markers.js';

export const VECTORS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'vectors');

export function vectorMismatches(fileName: string, checks: VectorChecks) {
  const r = checkVectorFile(join(VECTORS_DIR, fileName), checks);
  return { ...r, problems: r.problems.map((p) => p.message) };
}
