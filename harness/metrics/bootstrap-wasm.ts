// The bootstrap's inner loop in WebAssembly SIMD128, assembled here from named instructions (no
// binary blob, no build step): four resamples side by side, their mulberry32 states in the four
// i32 lanes, each resample's sum a separate f64 added in draw order (so every mean is bit-identical
// to the JavaScript loop in stats.ts, which is used where WebAssembly SIMD is unavailable).

import { F64, I32, V128, section, simd, sleb, uleb, utf8, vec, type WasmApi, type WasmMemory } from '../util/wasm-encode.js';

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f64zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32mul: [0x6c],
  i32shl: [0x74],
  i32geU: [0x4f],
  /** f64.load / f64.store with alignment 2^3 and an immediate offset. */
  f64load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  f64add: [0xa0],
  f64div: [0xa3],
  f64ConvertI32U: [0xb8],
  v128load: [...simd(0x00), 4, 0],
  i32x4splat: simd(0x11),
  i32x4lane: (l: number) => [...simd(0x1b), l],
  v128or: simd(0x50),
  v128xor: simd(0x51),
  i32x4shrU: simd(0xad),
  i32x4add: simd(0xae),
  i32x4mul: simd(0xb5),
  /** i64x2.extmul_low/high_i32x4_u: unsigned 32 × 32 → 64-bit products of lanes 0–1 / 2–3. */
  extmulLowU: simd(0xde),
  extmulHighU: simd(0xdf),
};

/** mulberry32's increment (its state after k draws is seed + k · STEP mod 2^32). */
export const STEP = 0x6d2b79f5;

/**
 * boot(starts, groups, n, out): values are f64s at address 0 (n of them). For each group g, the
 * four resamples whose mulberry32 states start at the i32x4 at starts + 16g draw n indices each
 * (index = the high 32 bits of u · n, which is floor(u / 2^32 · n)) and write their means as four
 * f64s at out + 32g.
 */
function bootBody(): number[] {
  const [starts, groups, n, out] = [0, 1, 2, 3];
  const [g, i] = [4, 5];
  const [s0, s1, s2, s3, nF] = [6, 7, 8, 9, 10];
  const [a, t, lo, hi, nv, one, c61, step] = [11, 12, 13, 14, 15, 16, 17, 18];
  const locals = vec([
    [2, I32],
    [5, F64],
    [8, V128],
  ]);
  const draw = (s: number, v: number, lane: number): number[] => [
    ...op.get(s), ...op.get(v), ...op.i32x4lane(lane), ...op.i32(3), ...op.i32shl, ...op.f64load(), ...op.f64add, ...op.set(s),
  ];
  const mean = (s: number, offset: number): number[] => [
    ...op.get(out), ...op.get(g), ...op.i32(32), ...op.i32mul, ...op.i32add,
    ...op.get(s), ...op.get(nF), ...op.f64div, ...op.f64store(offset),
  ];
  const code = [
    ...op.get(n), ...op.i32x4splat, ...op.set(nv),
    ...op.i32(1), ...op.i32x4splat, ...op.set(one),
    ...op.i32(61), ...op.i32x4splat, ...op.set(c61),
    ...op.i32(STEP | 0), ...op.i32x4splat, ...op.set(step),
    ...op.get(n), ...op.f64ConvertI32U, ...op.set(nF),
    ...op.i32(0), ...op.set(g),
    ...op.block,
    ...op.loop, // groups of four resamples
    ...op.get(g), ...op.get(groups), ...op.i32geU, ...op.brIf(1),
    ...op.get(starts), ...op.get(g), ...op.i32(16), ...op.i32mul, ...op.i32add, ...op.v128load, ...op.set(a),
    ...op.f64zero, ...op.set(s0), ...op.f64zero, ...op.set(s1), ...op.f64zero, ...op.set(s2), ...op.f64zero, ...op.set(s3),
    ...op.get(n), ...op.set(i),
    ...op.loop, // draws (n ≥ 1)
    // a += STEP; t = imul(a ^ a >>> 15, a | 1); t ^= t + imul(t ^ t >>> 7, t | 61); u = t ^ t >>> 14
    ...op.get(a), ...op.get(step), ...op.i32x4add, ...op.tee(a),
    ...op.get(a), ...op.i32(15), ...op.i32x4shrU, ...op.v128xor,
    ...op.get(a), ...op.get(one), ...op.v128or, ...op.i32x4mul, ...op.tee(t),
    ...op.get(t), ...op.get(t), ...op.i32(7), ...op.i32x4shrU, ...op.v128xor,
    ...op.get(t), ...op.get(c61), ...op.v128or, ...op.i32x4mul, ...op.i32x4add, ...op.get(t), ...op.v128xor, ...op.tee(t),
    ...op.get(t), ...op.i32(14), ...op.i32x4shrU, ...op.v128xor, ...op.tee(t),
    ...op.get(nv), ...op.extmulLowU, ...op.set(lo),
    ...op.get(t), ...op.get(nv), ...op.extmulHighU, ...op.set(hi),
    // little-endian: i32 lane 1 / 3 of a 64-bit product pair is the high word of product 0 / 1
    ...draw(s0, lo, 1),
    ...draw(s1, lo, 3),
    ...draw(s2, hi, 1),
    ...draw(s3, hi, 3),
    ...op.get(i), ...op.i32(1), ...op.i32sub, ...op.tee(i), ...op.brIf(0),
    ...op.end,
    ...mean(s0, 0),
    ...mean(s1, 8),
    ...mean(s2, 16),
    ...mean(s3, 24),
    ...op.get(g), ...op.i32(1), ...op.i32add, ...op.set(g),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const body = (b: number[]): number[] => [...uleb(b.length), ...b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(7, vec([
      [...vec(utf8('boot').map((c) => [c])), 0x00, 0],
      [...vec(utf8('mem').map((c) => [c])), 0x02, 0],
    ])),
    ...section(10, vec([body(bootBody())])),
  ]);
}

interface Kernel {
  boot: (starts: number, groups: number, n: number, out: number) => void;
  mem: WasmMemory;
}

/** Memory above this is given back after a call (the instance is made again when next needed). */
const KEEP_BYTES = 64 * 2 ** 20;

/** Groups of four resamples per call of the kernel (see bootstrapGroupsWasm). */
const SLICE = 16;

let kernel: Kernel | null | undefined;

/** The compiled kernel, or null where this Node has no WebAssembly SIMD. */
function getKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return (kernel = null);
  try {
    const e = new wasm.Instance(new wasm.Module(moduleBytes())).exports;
    if (!(e.mem instanceof wasm.Memory) || typeof e.boot !== 'function') throw new Error('missing exports');
    kernel = { mem: e.mem, boot: e.boot as Kernel['boot'] };
  } catch {
    kernel = null;
  }
  return kernel;
}

/**
 * Means of resamples 0 … 4·groups − 1 into `means` (same numbers as stats.ts' loop), or false
 * where WebAssembly SIMD is unavailable. `startOf(r)` is resample r's initial mulberry32 state.
 */
export function bootstrapGroupsWasm(data: Float64Array, groups: number, startOf: (r: number) => number, means: Float64Array): boolean {
  const k = getKernel();
  if (k === null || groups === 0) return k !== null;
  const n = data.length;
  const startsAt = Math.ceil((n * 8) / 16) * 16;
  const outAt = startsAt + groups * 16;
  const need = outAt + groups * 32;
  const have = k.mem.buffer.byteLength;
  if (need > have) k.mem.grow(Math.ceil((need - have) / 65536));
  const buf = k.mem.buffer;
  new Float64Array(buf, 0, n).set(data);
  const starts = new Int32Array(buf, startsAt, groups * 4);
  for (let r = 0; r < groups * 4; r++) starts[r] = startOf(r);
  // In slices of groups: V8 first runs the kernel from its baseline compiler and swaps in the
  // optimised code only for later calls (there is no on-stack replacement in WebAssembly), so one
  // long call would run unoptimised to the end.
  for (let g = 0; g < groups; g += SLICE) k.boot(startsAt + g * 16, Math.min(SLICE, groups - g), n, outAt + g * 32);
  means.set(new Float64Array(k.mem.buffer, outAt, groups * 4));
  if (k.mem.buffer.byteLength > KEEP_BYTES) kernel = undefined;
  return true;
}
