// Test helpers that write small datasets in the real schemas: HF parquet (image struct
// {bytes, path}, list<string> columns) with hyparquet-writer, VLMEvalKit TSV with base64 images,
// official JSON + image files; images are real PNG/JPEG made with sharp.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { ByteWriter, ParquetWriter, fileWriter } from 'hyparquet-writer';
import sharp from 'sharp';

export async function tempDir(prefix = 'cogeval-datasets-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A small distinct PNG (the seed sets its colour and size). */
export async function pngImage(seed: number, width = 24, height = 16): Promise<Buffer> {
  return sharp({ create: { width: width + (seed % 5), height, channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 13) % 256 } } })
    .png()
    .toBuffer();
}

/** A PNG of random noise (compresses badly: a realistic size, and a long IDAT to cut short). */
export async function noisePng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .png()
    .toBuffer();
}

export async function jpegImage(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 20 + (seed % 3), height: 12, channels: 3, background: { r: seed % 256, g: 40, b: 200 } } })
    .jpeg()
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header that claims width × height pixels (a decompression bomb, cheaply). */
export function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Parquet (HF datasets layout)

/** hyparquet-writer bundles its own hyparquet; take its schema type from the writer. */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export type ColumnKind = 'string' | 'int64' | 'strings' | 'image';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

/** A cell of an image column: bytes (path set to a file name) or null. */
export type ImageCell = Uint8Array | null;

function schemaFor(columns: readonly ColumnSpec[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  for (const c of columns) {
    if (c.kind === 'string') schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    else if (c.kind === 'int64') schema.push({ name: c.name, type: 'INT64', repetition_type: 'OPTIONAL' });
    else if (c.kind === 'strings') {
      schema.push(
        { name: c.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      );
    } else {
      schema.push(
        { name: c.name, repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      );
    }
  }
  return schema;
}

function columnValue(kind: ColumnKind, value: unknown, row: number): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'int64') return BigInt(value as number);
  if (kind === 'image') return { bytes: value, path: `img_${row}.png` };
  return value;
}

/**
 * Writes rows to a parquet file with the HF column types (row groups of `rowGroupSize`).
 * Rows are objects keyed by column name.
 */
export async function writeParquet(
  file: string,
  columns: readonly ColumnSpec[],
  rows: readonly Record<string, unknown>[],
  rowGroupSize = 2,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaFor(columns) });
  writer.write({
    columnData: columns.map((c) => ({ name: c.name, data: rows.map((r, i) => columnValue(c.kind, r[c.name], i)) })),
    rowGroupSize,
  });
  writer.finish();
}

/** The same file as bytes (for tests that cut it short). */
export function parquetBytes(columns: readonly ColumnSpec[], rows: readonly Record<string, unknown>[]): Uint8Array {
  const byteWriter = new ByteWriter();
  const writer = new ParquetWriter({ writer: byteWriter, schema: schemaFor(columns) });
  writer.write({ columnData: columns.map((c) => ({ name: c.name, data: rows.map((r, i) => columnValue(c.kind, r[c.name], i)) })), rowGroupSize: 2 });
  writer.finish();
  return byteWriter.getBytes();
}

// ---------------------------------------------------------------------------------------------
// VLMEvalKit TSV

/** pandas `to_csv(sep='\t')` quoting: fields with a tab, newline, carriage return or quote are quoted. */
export function tsvField(value: string | null): string {
  if (value === null) return '';
  if (/[\t\n\r"]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** Writes a TSV: header then rows; image cells (Buffers) become base64; arrays become Python list literals. */
export async function writeTsv(file: string, header: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const lines = [header.join('\t')];
  for (const row of rows) {
    lines.push(
      header
        .map((h) => {
          const v = row[h];
          if (v === undefined || v === null) return '';
          if (Buffer.isBuffer(v)) return v.toString('base64');
          if (Array.isArray(v)) return tsvField(pyList(v.map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : String(x)))));
          return tsvField(String(v));
        })
        .join('\t'),
    );
  }
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** A Python list literal of strings, as `str(list)` prints it. */
export function pyList(items: readonly string[]): string {
  return `[${items.map((s) => (s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)).join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Official layouts

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 1));
}

export async function writeImage(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
}
