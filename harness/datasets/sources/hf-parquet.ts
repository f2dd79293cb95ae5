// Hugging Face parquet shards as a row stream: metadata first (row counts, columns), then one
// row group at a time through hyparquet (utf8:false keeps image bytes binary), images as lazy refs.
import { open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataError, errorMessage } from '../errors.js';
import { bytesImage, fileImage } from '../image-refs.js';
import type { ImageRef } from '../types.js';
import type { RowFailure, RowSource, SourceRow } from './row.js';

export interface ParquetSourceOptions {
  /** Shard files in dataset order. */
  files: readonly string[];
  /** Columns that every shard must have (a missing one is a DataError naming file and column). */
  required: readonly string[];
  /** Further columns read when present (e.g. MMMU image_2 … image_7). */
  optional?: readonly string[];
  /** Columns holding the HF Image struct {bytes, path}; read when present, they become ImageRefs. */
  imageColumns: readonly string[];
  /** Batch size in uncompressed bytes for files with offset indexes (default PARQUET_BATCH_BYTES). */
  batchBytes?: number;
}

/**
 * Rows are read in batches of about this many uncompressed bytes when the file has offset indexes
 * (then hyparquet fetches only the pages of the batch); otherwise a whole row group at a time.
 * HF image datasets use 100-row groups, which for large documents can be hundreds of MB.
 */
export const PARQUET_BATCH_BYTES = 8 * 1024 * 1024;

/** Column chunks below this size are read whole even when batching. */
const SMALL_CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * An AsyncBuffer over a file that reads each requested range straight into one ArrayBuffer of
 * exactly that size (hyparquet's own collects stream chunks and concatenates them: twice the memory).
 */
export async function fileAsyncBuffer(file: string): Promise<AsyncBuffer> {
  const { size } = await stat(file);
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const length = Math.max(0, end - start);
      const bytes = new Uint8Array(length);
      if (length === 0) return bytes.buffer;
      const handle = await open(file, 'r');
      try {
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
          if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + done} (expected ${end})`);
          done += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return bytes.buffer;
    },
  };
}

interface OpenShard {
  file: string;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  /** The columns read from this shard (required + the optional and image ones it has). */
  columns: string[];
  rows: number;
}

/** Top-level column names of a parquet file. */
export function parquetColumns(metadata: FileMetaData): string[] {
  return parquetSchema(metadata).children.map((c) => c.element.name);
}

async function openShard(file: string, opts: ParquetSourceOptions): Promise<OpenShard> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new DataError(`${file}: not a file (expected a parquet shard)`, file);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${file}: parquet file not found (${errorMessage(err)}); run \`cogeval data pull\` or pass the right --data-dir`, file);
  }
  const buffer = await fileAsyncBuffer(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new DataError(
      `${file}: not a readable parquet file (${errorMessage(err)}); it is truncated or corrupt — delete it and download it again`,
      file,
    );
  }
  const present = parquetColumns(metadata);
  for (const column of opts.required) {
    if (!present.includes(column)) {
      throw new DataError(
        `${file}: column "${column}" is missing (columns present: ${present.join(', ')}); this file is not the expected dataset or split`,
        file,
        column,
      );
    }
  }
  const wanted = [...opts.required, ...(opts.optional ?? []), ...opts.imageColumns];
  const columns = wanted.filter((c, i) => present.includes(c) && wanted.indexOf(c) === i);
  return { file, buffer, metadata, columns, rows: Number(metadata.num_rows) };
}

/** Image bytes the ref can own: a view into a decoded page is copied so the page can be freed. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** A ref whose bytes() fails with the given reason (the sample fails when it is checked). */
function brokenImage(origin: string, reason: string): ImageRef {
  return { origin, bytes: () => Promise.reject(new Error(`${origin}: ${reason}`)) };
}

/** The HF Image struct {bytes, path} → refs (empty when the cell is null). */
function imageCell(value: unknown, shard: OpenShard, row: number, column: string): ImageRef[] {
  if (value === null || value === undefined) return [];
  const origin = `${shard.file} row ${row} column ${column}`;
  if (value instanceof Uint8Array) {
    return value.length > 0 ? [bytesImage(ownBytes(value), origin)] : [brokenImage(origin, 'the image bytes are empty')];
  }
  if (typeof value !== 'object') return [brokenImage(origin, 'the image cell is neither an HF Image struct {bytes, path} nor bytes')];
  const { bytes, path } = value as { bytes?: unknown; path?: unknown };
  if (bytes instanceof Uint8Array && bytes.length > 0) return [bytesImage(ownBytes(bytes), origin)];
  // Not embedded: the datasets library then stores a path, relative to where the data was built.
  if (typeof path === 'string' && path !== '') return [fileImage([resolve(dirname(shard.file), path)])];
  if (bytes === null || bytes === undefined) return [];
  return [brokenImage(origin, 'the image struct holds empty bytes and no path')];
}

/** Opens parquet shards (checking each footer and its columns now) and returns their row stream. */
export async function openParquetSource(opts: ParquetSourceOptions): Promise<RowSource> {
  if (opts.files.length === 0) throw new DataError('no parquet files given');
  const shards: OpenShard[] = [];
  for (const file of opts.files) shards.push(await openShard(file, opts));
  const imageColumns = new Set(opts.imageColumns);
  const batchBytes = opts.batchBytes ?? PARQUET_BATCH_BYTES;

  /** Rows [from, to) of one shard (within one row group). A decoding error fails those rows only. */
  async function* readBatch(shard: OpenShard, from: number, to: number, useOffsetIndex: boolean): AsyncGenerator<SourceRow | RowFailure> {
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({
        file: shard.buffer,
        metadata: shard.metadata,
        columns: shard.columns,
        rowStart: from,
        rowEnd: to,
        utf8: false,
        compressors,
        useOffsetIndex,
      });
    } catch (err) {
      for (let r = from; r < to; r++) {
        yield {
          failed: true,
          file: shard.file,
          row: r,
          reason: `${shard.file} rows ${from}–${to - 1}: cannot be decoded (${errorMessage(err)}); the file may be corrupt — download it again`,
        };
      }
      return;
    }
    for (let i = 0; i < objects.length; i++) {
      const r = from + i;
      const object = objects[i];
      const cells: Record<string, unknown> = {};
      const images: Record<string, ImageRef[]> = {};
      for (const column of shard.columns) {
        if (imageColumns.has(column)) images[column] = imageCell(object[column], shard, r, column);
        else cells[column] = object[column];
      }
      objects[i] = {}; // drop the decoded row (its image bytes were copied) as we go
      yield { file: shard.file, row: r, where: `${shard.file} row ${r}`, cells, images };
    }
  }

  async function* rows(offset: number): AsyncGenerator<SourceRow | RowFailure> {
    let shardStart = 0;
    for (const shard of shards) {
      const shardEnd = shardStart + shard.rows;
      if (shardEnd <= offset) {
        shardStart = shardEnd;
        continue;
      }
      let groupStart = 0;
      for (const group of shard.metadata.row_groups) {
        const groupRows = Number(group.num_rows);
        const groupEnd = groupStart + groupRows;
        const from = Math.max(groupStart, offset - shardStart);
        if (from >= groupEnd) {
          groupStart = groupEnd;
          continue;
        }
        // Batches pay off when the large column chunks (images) have offset indexes; small ones are read whole.
        const indexed = group.columns.every(
          (c) => Number(c.meta_data?.total_compressed_size ?? 0) < SMALL_CHUNK_BYTES || (c.offset_index_offset !== undefined && c.offset_index_length !== undefined),
        );
        const bytesPerRow = Number(group.total_byte_size) / Math.max(1, groupRows);
        const batchRows = indexed ? Math.max(1, Math.min(groupRows, Math.floor(batchBytes / Math.max(1, bytesPerRow)))) : groupRows;
        for (let batchStart = from; batchStart < groupEnd; batchStart += batchRows) {
          yield* readBatch(shard, batchStart, Math.min(groupEnd, batchStart + batchRows), indexed && batchRows < groupRows);
        }
        groupStart = groupEnd;
      }
      shardStart = shardEnd;
    }
  }

  return {
    files: shards.map((s) => s.file),
    count: () => Promise.resolve(shards.reduce((n, s) => n + s.rows, 0)),
    rows,
  };
}
