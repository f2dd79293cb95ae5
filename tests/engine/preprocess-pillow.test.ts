// Recomputes the committed preprocessing goldens with the machine's own Pillow (Debian's
// /usr/bin/python3 with python3-pil and python3-numpy, or COGEVAL_TEST_PYTHON) and compares them
// with goldens.json. Skipped, saying why, where that Python lacks PIL/numpy.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_PYTHON as PYTHON } from '../support/python.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'tools', 'goldens', 'pillow_goldens.py');
const GOLDENS = join(ROOT, 'tests', 'fixtures', 'images', 'goldens.json');

function pillowVersion(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import PIL, numpy; print(PIL.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const version = pillowVersion();
const title = version
  ? `goldens.json equals what Pillow ${version} (${PYTHON}) computes now`
  : `goldens.json recomputed with Pillow — SKIPPED: ${PYTHON} with PIL and numpy is not available (apt-get install python3-pil python3-numpy)`;

describe('Pillow goldens', () => {
  // Pillow on 32 images at 1344×1344: a few seconds idle, far more with both cores busy.
  it.skipIf(version === undefined)(title, { timeout: 300_000 }, () => {
    const r = spawnSync(PYTHON, [SCRIPT, '--stdout', '--no-torch'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const fresh = JSON.parse(r.stdout) as Record<string, unknown>;
    const committed = JSON.parse(readFileSync(GOLDENS, 'utf8')) as Record<string, unknown>;
    const { generator: freshGen, ...freshData } = fresh;
    const { generator: committedGen, ...committedData } = committed;
    // Versions may differ between machines; the data must not (if it does, say which Pillow made which).
    expect(freshData, `Pillow ${JSON.stringify(freshGen)} disagrees with the committed goldens made by ${JSON.stringify(committedGen)}`).toEqual(committedData);
  });
});
