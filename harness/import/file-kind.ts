// What kind of file a path holds, from its first bytes (magic numbers), so a reader can refuse a
// file of the wrong kind in one line ("… is a PNG image, not JSON Lines") instead of echoing bytes.
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';

export type FileKind =
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'pdf'
  | 'gzip'
  | 'parquet'
  | 'xlsx'
  | 'zip'
  | 'xls'
  | 'binary'
  | 'json'
  | 'text'
  | 'empty';

const NAMES: Record<FileKind, string> = {
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  pdf: 'a PDF document',
  gzip: 'a gzip archive',
  parquet: 'a Parquet file',
  xlsx: 'an Excel (.xlsx) spreadsheet',
  zip: 'a zip archive',
  xls: 'an old Excel (.xls) / OLE2 document',
  binary: 'a binary file',
  json: 'a JSON document',
  text: 'a text file',
  empty: 'an empty file',
};

export function fileKindName(kind: FileKind): string {
  return NAMES[kind];
}

function startsWith(buf: Buffer, bytes: readonly number[], at = 0): boolean {
  return bytes.every((b, i) => buf[at + i] === b);
}

/** Classifies a file by its first 4 KiB. Text is told from binary by NUL bytes and invalid UTF-8. */
export function sniffFileKind(path: string): FileKind {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const buf = Buffer.alloc(4096);
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const head = buf.subarray(0, n);
  if (n === 0) return 'empty';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return 'parquet';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return 'xls';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    // An .xlsx is a zip whose entries live under xl/ (with [Content_Types].xml); the names sit in the local headers.
    const ascii = head.toString('latin1');
    return ascii.includes('[Content_Types].xml') || ascii.includes('xl/') ? 'xlsx' : 'zip';
  }
  if (head.includes(0)) return 'binary';
  // A cut multi-byte sequence at the 4 KiB edge is fine; anything else that is not UTF-8 is binary.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // Only replacement characters the decoder made count: a literal U+FFFD (EF BF BD) is valid text
  // (a model's output can hold one; the demo's random-weight model writes them).
  const literal = head.toString('latin1').split('\xEF\xBF\xBD').length - 1;
  const bad = (text.match(/\uFFFD/g) ?? []).length - literal;
  if (bad > 2) return 'binary';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  return 'text';
}

/**
 * Refuses a file whose kind is not one of `accepted`, in one line naming what it is and what was
 * expected (exit 2 through InputError). Returns the kind.
 */
export function requireFileKind(path: string, accepted: readonly FileKind[], expected: string, hint = ''): FileKind {
  const kind = sniffFileKind(path);
  if (accepted.includes(kind)) return kind;
  throw new InputError(`${path} is ${fileKindName(kind)}, not ${expected}${hint ? `; ${hint}` : ''}`);
}
