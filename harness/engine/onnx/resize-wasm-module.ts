// The WebAssembly (SIMD128) kernels of the Pillow-exact resampler, assembled here from named
// instructions (no binary blob, no build step): hpass (horizontal) and vpass (vertical), the same
// integer arithmetic as Pillow's ImagingResampleHorizontal_8bpc / ImagingResampleVertical_8bpc.

import { I32, V128, section, simd, sleb, uleb, utf8, vec } from '../../util/wasm-encode.js';

/** memarg: alignment hint (log2, 0 = unaligned allowed) and offset 0. */
const mem = (op: number[]): number[] => [...op, 0, 0];

// The instructions the kernels use.
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  ne: [0x47],
  ltU: [0x49],
  load: mem([0x28]),
  store: mem([0x36]),
  v128load: mem(simd(0x00)),
  v128store: mem(simd(0x0b)),
  /** v128.load8x8_u: 8 bytes zero-extended to i16x8. */
  load8x8u: mem(simd(0x02)),
  i32x4splat: simd(0x11),
  i32x4lane0: [...simd(0x1b), 0],
  i16x8ExtLowU8: simd(0x89),
  i16x8ExtHighU8: simd(0x8a),
  i32x4ExtLowU16: simd(0xa9),
  i32x4ExtHighU16: simd(0xaa),
  i32x4shrS: simd(0xac),
  i32x4add: simd(0xae),
  i32x4mul: simd(0xb5),
  /** Saturating narrows: together they clip a shifted sum to 0..255 (Pillow's clip8). */
  i16x8NarrowI32S: simd(0x85),
  i8x16NarrowI16U: simd(0x66),
};

const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/**
 * hpass(src, stride, rows, dst, outW, starts, counts, weights, kbytes, channels)
 * For each of `rows` rows at src + y·stride and each output pixel xx: sum over counts[xx] input
 * pixels from src + starts[xx] (byte offsets) of pixel · weight, all channels at once (a pixel's
 * bytes widened to i32x4; lanes beyond `channels` are ignored), then clip8 and store 4 bytes at
 * dst (the extra byte is overwritten by the next pixel; the caller leaves slack at the end).
 */
function hpassBody(): number[] {
  // params 0..9, locals from 10
  const [src, stride, rows, dst, outW, starts, counts, weights, kbytes, channels] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [y, xx, rowp, p, n, kp, o] = [10, 11, 12, 13, 14, 15, 16];
  const acc = 17; // v128
  const locals = vec([
    [7, I32],
    [1, V128],
  ]);
  const code = [
    ...op.i32(0), ...op.set(y),
    ...op.get(dst), ...op.set(o),
    ...op.loop, // rows
    ...op.get(src), ...op.get(y), ...op.get(stride), ...op.mul, ...op.add, ...op.set(rowp),
    ...op.i32(0), ...op.set(xx),
    ...op.loop, // output pixels
    ...op.get(rowp), ...op.get(starts), ...op.get(xx), ...op.i32(4), ...op.mul, ...op.add, ...op.load, ...op.add, ...op.set(p),
    ...op.get(counts), ...op.get(xx), ...op.i32(4), ...op.mul, ...op.add, ...op.load, ...op.set(n),
    ...op.get(weights), ...op.get(xx), ...op.get(kbytes), ...op.mul, ...op.add, ...op.set(kp),
    ...op.i32(HALF), ...op.i32x4splat, ...op.set(acc),
    ...op.loop, // taps (counts are ≥ 1)
    ...op.get(acc),
    ...op.get(p), ...op.load8x8u, ...op.i32x4ExtLowU16,
    ...op.get(kp), ...op.load, ...op.i32x4splat,
    ...op.i32x4mul, ...op.i32x4add, ...op.set(acc),
    ...op.get(p), ...op.get(channels), ...op.add, ...op.set(p),
    ...op.get(kp), ...op.i32(4), ...op.add, ...op.set(kp),
    ...op.get(n), ...op.i32(1), ...op.sub, ...op.tee(n), ...op.brIf(0),
    ...op.end,
    ...op.get(o),
    ...op.get(acc), ...op.i32(PRECISION_BITS), ...op.i32x4shrS, ...op.get(acc), ...op.i32(PRECISION_BITS), ...op.i32x4shrS, ...op.i16x8NarrowI32S,
    ...op.tee(acc), ...op.get(acc), ...op.i8x16NarrowI16U, ...op.i32x4lane0,
    ...op.store,
    ...op.get(o), ...op.get(channels), ...op.add, ...op.set(o),
    ...op.get(xx), ...op.i32(1), ...op.add, ...op.tee(xx), ...op.get(outW), ...op.ne, ...op.brIf(0),
    ...op.end,
    ...op.get(y), ...op.i32(1), ...op.add, ...op.tee(y), ...op.get(rows), ...op.ne, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  return [...locals, ...code];
}

/**
 * vpass(src, rowLen, outH, dst, starts, counts, weights, kbytes)
 * Output row yy (rowLen bytes at dst + yy·rowLen) = clip8 of the weighted sum of counts[yy] input
 * rows starting at src + starts[yy] (a byte offset), 16 bytes at a time (the last block of a row
 * spills into the next row, which is written afterwards; the caller leaves slack at the end).
 */
function vpassBody(): number[] {
  const [src, rowLen, outH, dst, starts, counts, weights, kbytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [yy, i, n, kp, rp, base, n0, kp0, o] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [a0, a1, a2, a3, v, k] = [17, 18, 19, 20, 21, 22];
  const locals = vec([
    [9, I32],
    [6, V128],
  ]);
  const accumulate = (a: number, half: number[], ext: number[]): number[] => [
    ...op.get(a), ...op.get(v), ...half, ...ext, ...op.get(k), ...op.i32x4mul, ...op.i32x4add, ...op.set(a),
  ];
  const shifted = (a: number): number[] => [...op.get(a), ...op.i32(PRECISION_BITS), ...op.i32x4shrS];
  const code = [
    ...op.i32(0), ...op.set(yy),
    ...op.get(dst), ...op.set(o),
    ...op.loop, // output rows
    ...op.get(src), ...op.get(starts), ...op.get(yy), ...op.i32(4), ...op.mul, ...op.add, ...op.load, ...op.add, ...op.set(base),
    ...op.get(counts), ...op.get(yy), ...op.i32(4), ...op.mul, ...op.add, ...op.load, ...op.set(n0),
    ...op.get(weights), ...op.get(yy), ...op.get(kbytes), ...op.mul, ...op.add, ...op.set(kp0),
    ...op.i32(0), ...op.set(i),
    ...op.loop, // 16-byte blocks of the row
    ...op.i32(HALF), ...op.i32x4splat, ...op.tee(a0), ...op.tee(a1), ...op.tee(a2), ...op.set(a3),
    ...op.get(base), ...op.get(i), ...op.add, ...op.set(rp),
    ...op.get(kp0), ...op.set(kp),
    ...op.get(n0), ...op.set(n),
    ...op.loop, // taps
    ...op.get(rp), ...op.v128load, ...op.set(v),
    ...op.get(kp), ...op.load, ...op.i32x4splat, ...op.set(k),
    ...accumulate(a0, op.i16x8ExtLowU8, op.i32x4ExtLowU16),
    ...accumulate(a1, op.i16x8ExtLowU8, op.i32x4ExtHighU16),
    ...accumulate(a2, op.i16x8ExtHighU8, op.i32x4ExtLowU16),
    ...accumulate(a3, op.i16x8ExtHighU8, op.i32x4ExtHighU16),
    ...op.get(rp), ...op.get(rowLen), ...op.add, ...op.set(rp),
    ...op.get(kp), ...op.i32(4), ...op.add, ...op.set(kp),
    ...op.get(n), ...op.i32(1), ...op.sub, ...op.tee(n), ...op.brIf(0),
    ...op.end,
    ...op.get(o), ...op.get(i), ...op.add,
    ...shifted(a0), ...shifted(a1), ...op.i16x8NarrowI32S,
    ...shifted(a2), ...shifted(a3), ...op.i16x8NarrowI32S,
    ...op.i8x16NarrowI16U,
    ...op.v128store,
    ...op.get(i), ...op.i32(16), ...op.add, ...op.tee(i), ...op.get(rowLen), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.get(o), ...op.get(rowLen), ...op.add, ...op.set(o),
    ...op.get(yy), ...op.i32(1), ...op.add, ...op.tee(yy), ...op.get(outH), ...op.ne, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  return [...locals, ...code];
}

/** The module's bytes: one exported memory ("mem", 1 page to start) and the two kernels. */
export function resizeWasmBytes(): Uint8Array {
  const funcType = (params: number) => [0x60, ...vec(Array.from({ length: params }, () => [I32])), ...vec([])];
  const body = (b: number[]): number[] => [...uleb(b.length), ...b];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([funcType(10), funcType(8)])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(7, vec([
      [...vec(utf8('hpass').map((c) => [c])), 0x00, 0],
      [...vec(utf8('vpass').map((c) => [c])), 0x00, 1],
      [...vec(utf8('mem').map((c) => [c])), 0x02, 0],
    ])),
    ...section(10, vec([body(hpassBody()), body(vpassBody())])),
  ];
  return new Uint8Array(bytes);
}
