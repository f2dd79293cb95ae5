// The WebAssembly binary-format pieces that cogeval's hand-assembled kernels share (the Pillow-exact
// resampler in engine/onnx/resize-wasm-module.ts, the bootstrap in metrics/bootstrap-wasm.ts):
// LEB128 integers, vectors, sections, SIMD opcodes, names, and the few JS-API types they use (the
// project's TypeScript libs do not declare WebAssembly).

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A SIMD128 instruction (prefix 0xfd, then the opcode as LEB128). */
export const simd = (code: number): number[] => [0xfd, ...uleb(code)];
export const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
