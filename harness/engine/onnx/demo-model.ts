// The embedded default of `cogeval eval`: where the bundled tiny CogVLM2 (random weights, made by
// tools/export/make_tiny.py) lives in a clone, the banner that says its scores mean nothing, and
// the cap on its answers' length.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';

/** Said loudly before and after every run of the demo model. */
export const DEMO_BANNER = 'demo model with random weights: these scores mean nothing';

/**
 * New tokens per answer in the demo run. The protocols allow up to 2048, and random weights never
 * emit a stop token, so without a cap the 61 demo samples would generate ~60k tokens; 16 tokens
 * exercise every stage (prefill, cached decoding, detokenisation, scoring) in a short run.
 */
export const DEMO_MAX_NEW_TOKENS = 16;

/** The repository path of the tiny model, relative to the package root. */
export const DEMO_MODEL_PATH = join('tests', 'fixtures', 'tiny-model');

/** The cogeval package root: the nearest folder above this file whose package.json is named cogeval. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'cogeval') return dir;
      } catch {
        // an unreadable package.json above us is not ours; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new ConfigError('cannot find the cogeval package root (package.json) above the installed harness');
    dir = up;
  }
}

/** The tiny model's directory in this installation; an error says how to get it when it is missing. */
export function demoModelDir(): string {
  const dir = join(packageRoot(), DEMO_MODEL_PATH);
  if (!existsSync(join(dir, 'config.json'))) {
    throw new ConfigError(
      `the bundled demo model is missing (${dir}); it is part of a git clone of cogeval. ` +
        'Regenerate it with `python3 tools/export/make_tiny.py --out tests/fixtures/tiny-model`, or run against a model: --endpoint URL or --engine onnx --model-dir DIR',
    );
  }
  return dir;
}
