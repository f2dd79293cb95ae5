// Benchmark of the Pillow-exact bicubic resize (issue #6): our time per 1344×1344 output against
// Pillow's Image.resize(BICUBIC) on the same RGB images, measured side by side (Pillow through
// /usr/bin/python3 when it has PIL); target: ours ≤ 2× Pillow's time. Also checks the outputs agree,
// and records the plain-JavaScript fallback and the whole bytes -> tensor step.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preprocessForCogvlm2 } from '../harness/engine/onnx/preprocess.js';
import { sha256Hex } from '../harness/util/hash.js';
import { resizeBicubicLikePillow, type ResizeImplementation } from '../harness/engine/onnx/resize.js';
import type { BenchResult } from './result.js';

const SIZE = 1344;
const PYTHON = '/usr/bin/python3';
const TARGET_RATIO = 2;
const ITERATIONS = 15;

/** Input shapes: a typical upscale (TextVQA/ChartQA-sized), a downscale, a strongly anisotropic one. */
const CASES = [
  { name: 'upscale 640×480', w: 640, h: 480 },
  { name: 'downscale 2000×1500', w: 2000, h: 1500 },
  { name: 'mixed 4000×300', w: 4000, h: 300 },
] as const;

/** Deterministic RGB content: gradients plus hashed noise (so no pass is trivially constant). */
function syntheticRgb(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  let s = 0x9e3779b9;
  for (let y = 0, o = 0; y < h; y++) {
    for (let x = 0; x < w; x++, o += 3) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[o] = (x * 255) / w;
      out[o + 1] = ((x + y) & 16) === 0 ? 30 : 220;
      out[o + 2] = s >>> 24;
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round2 = (x: number): number => Math.round(x * 100) / 100;

function timeOurs(rgb: Uint8Array, w: number, h: number, impl: ResizeImplementation = 'auto'): { ms: number; sha: string } {
  let out = resizeBicubicLikePillow(rgb, w, h, SIZE, SIZE, 3, impl); // warm-up (JIT)
  for (let i = 0; i < 3; i++) out = resizeBicubicLikePillow(rgb, w, h, SIZE, SIZE, 3, impl);
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    out = resizeBicubicLikePillow(rgb, w, h, SIZE, SIZE, 3, impl);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), sha: sha256Hex(out) };
}

const PILLOW_TIMER = `
import hashlib, json, sys, time
from PIL import Image
path, w, h, size, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
im = Image.frombytes('RGB', (w, h), open(path, 'rb').read())
for _ in range(3): out = im.resize((size, size), Image.BICUBIC)
times = []
for _ in range(n):
    t0 = time.perf_counter(); out = im.resize((size, size), Image.BICUBIC); times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({'ms': times[len(times) // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2,
                  'sha': hashlib.sha256(out.tobytes()).hexdigest(), 'pillow': Image.__version__}))
`;

function timePillow(file: string, w: number, h: number): { ms: number; sha: string; pillow: string } | string {
  const r = spawnSync(PYTHON, ['-c', PILLOW_TIMER, file, String(w), String(h), String(SIZE), String(ITERATIONS)], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} could not be run (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} has no usable PIL (${r.stderr.trim().split('\n').pop() ?? ''})`;
  return JSON.parse(r.stdout) as { ms: number; sha: string; pillow: string };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const fallbacks: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cogeval-bench-preprocess-'));
  try {
    for (const c of CASES) {
      const rgb = syntheticRgb(c.w, c.h);
      const ours = timeOurs(rgb, c.w, c.h);
      const file = join(dir, `${c.w}x${c.h}.rgb`);
      writeFileSync(file, rgb);
      const pil = timePillow(file, c.w, c.h);
      if (typeof pil === 'string') {
        results.push({ name: `resize ${c.name} → 1344²`, metric: `WebAssembly SIMD path, median of ${ITERATIONS} runs, one thread; Pillow not measured: ${pil}`, value: round2(ours.ms), unit: 'ms' });
      } else {
        const ratio = ours.ms / pil.ms;
        const same = ours.sha === pil.sha;
        results.push({
          name: `resize ${c.name} → 1344² vs Pillow`,
          metric: `ours (WebAssembly SIMD) ${round2(ours.ms)} ms / Pillow ${pil.pillow} ${round2(pil.ms)} ms (median of ${ITERATIONS}, one thread each, same input)`,
          value: round2(ratio),
          unit: '× Pillow',
          target: `≤ ${TARGET_RATIO}×`,
          pass: ratio <= TARGET_RATIO && same,
          note: same ? 'outputs bit-identical' : 'OUTPUTS DIFFER from Pillow',
        });
      }
      const js = timeOurs(rgb, c.w, c.h, 'js');
      fallbacks.push({
        name: `resize ${c.name} → 1344², JavaScript fallback`,
        metric: `median of ${ITERATIONS}, one thread; used only where WebAssembly SIMD is unavailable`,
        value: round2(js.ms),
        unit: 'ms',
        note: js.sha === ours.sha ? 'same bytes as the WebAssembly path' : 'DIFFERS from the WebAssembly path',
      });
    }
    results.push(...fallbacks);
    // End to end: PNG bytes -> CHW float32 tensor (decode with sharp, resize, normalise).
    const sharp = (await import('sharp')).default;
    const png = await sharp(Buffer.from(syntheticRgb(640, 480)), { raw: { width: 640, height: 480, channels: 3 } }).png().toBuffer();
    await preprocessForCogvlm2(png);
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      await preprocessForCogvlm2(png);
      times.push(performance.now() - t0);
    }
    results.push({ name: 'preprocessForCogvlm2 640×480 PNG → [3,1344,1344]', metric: `median of ${ITERATIONS}: sharp decode + resize + CLIP normalise`, value: round2(median(times)), unit: 'ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
