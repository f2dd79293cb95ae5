// VLMEvalKit TSV files (LMUData) as a row stream, read as VLMEvalKit's ImageBaseDataset reads
// them: pandas NA cells, rows without an image skipped, an `image` cell of ≤ 64 characters naming
// the index of the row that holds the image, list-literal cells for several images, `image_path`.
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { pyLiteralList, pyStrip } from '../../metrics/py.js';
import { DataError, errorMessage } from '../errors.js';
import { base64Image, fileImage, loaderImage } from '../image-refs.js';
import type { ImageRef } from '../types.js';
import type { RowFailure, RowSource, SourceRow } from './row.js';
import { PANDAS_NA_STRINGS, readRecordAt, tsvFields, tsvRecords } from './tsv-records.js';

export interface TsvSourceOptions {
  file: string;
  /** Columns the adapter needs besides `index` and the image column. */
  required: readonly string[];
  /** Keep only rows whose column equals the value (MMMU_DEV_VAL holds both dev and validation). */
  filter?: { column: string; value: string };
}

/** VLMEvalKit keeps an image cell of at most this many characters as the index of another row. */
const IMAGE_REF_MAX_LENGTH = 64;

/** VLMEvalKit's `img_root_map`: the folder under LMUData/images/ that `image_path` cells are relative to. */
export function vlmevalkitImageRoot(tsvFile: string): string {
  const name = basename(tsvFile).replace(/(_local)?\.tsv$/i, '');
  if (name.includes('MMMU')) return 'MMMU';
  if (/^MMBench.*_V11$/.test(name)) return 'MMBench_V11';
  if (name.startsWith('MMBench')) return 'MMBench';
  return name;
}

async function readHeader(file: string): Promise<string[]> {
  for await (const record of tsvRecords(file)) {
    const header = tsvFields(record.bytes);
    if (header.length > 0) header[0] = header[0].replace(/^\uFEFF/, ''); // pandas drops a UTF-8 BOM
    return header;
  }
  throw new DataError(`${file}: the TSV file is empty (no header line); download it again`, file);
}

/** `toliststr`: a cell holding a Python list literal of strings → its items; any other text → [text]. */
function listCell(cell: string): string[] | undefined {
  if (!pyStrip(cell).startsWith('[')) return [cell];
  const list = pyLiteralList(cell);
  if (list === undefined || !list.every((x): x is string => typeof x === 'string')) return undefined;
  return list;
}

/** Opens a VLMEvalKit TSV (checking the file and its header now) and returns its row stream. */
export async function openTsvSource(opts: TsvSourceOptions): Promise<RowSource> {
  const { file } = opts;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
  } catch (err) {
    throw new DataError(`${file}: TSV file not found (${errorMessage(err)}); download it into LMUData or pass the right --data-dir`, file);
  }
  const header = await readHeader(file);
  const col = (name: string): number => header.indexOf(name);
  const missing = (name: string): DataError =>
    new DataError(`${file}: column "${name}" is missing from the header (columns present: ${header.join(', ')}); this is not the expected VLMEvalKit TSV`, file, name);
  if (col('index') === -1) throw missing('index');
  for (const name of opts.required) if (col(name) === -1) throw missing(name);
  if (opts.filter !== undefined && col(opts.filter.column) === -1) throw missing(opts.filter.column);
  const imageCol = col('image');
  const pathCol = col('image_path');
  if (imageCol === -1 && pathCol === -1) throw missing('image');
  const indexCol = col('index');
  const filterCol = opts.filter === undefined ? -1 : col(opts.filter.column);
  const imageRoot = join(dirname(file), 'images', vlmevalkitImageRoot(file));

  /** Byte ranges of rows that hold a real image, by their index cell (for image-by-index cells). */
  const locations = new Map<string, { start: number; length: number }>();
  let fullScan: Promise<void> | undefined;
  let cachedCount: number | undefined;

  const cellAt = (fields: readonly string[], i: number): string | null => {
    if (i < 0 || i >= fields.length) return null;
    const v = fields[i];
    return PANDAS_NA_STRINGS.has(v) ? null : v;
  };

  /** Whether a data record is kept (VLMEvalKit's skip_noimg, then the split filter). */
  const keeps = (fields: readonly string[]): boolean => {
    if (imageCol !== -1 && cellAt(fields, imageCol) === null) return false;
    if (opts.filter !== undefined && cellAt(fields, filterCol) !== opts.filter.value) return false;
    return true;
  };

  const remember = (fields: readonly string[], start: number, length: number): void => {
    const image = cellAt(fields, imageCol);
    const index = cellAt(fields, indexCol);
    if (image !== null && index !== null && image.length > IMAGE_REF_MAX_LENGTH && !locations.has(index)) {
      locations.set(index, { start, length });
    }
  };

  async function scanAll(): Promise<void> {
    let first = true;
    for await (const record of tsvRecords(file)) {
      if (first) {
        first = false;
        continue;
      }
      remember(tsvFields(record.bytes), record.start, record.length);
    }
  }

  async function referencedImage(index: string, origin: string): Promise<Uint8Array> {
    if (!locations.has(index)) {
      fullScan ??= scanAll();
      await fullScan;
    }
    const at = locations.get(index);
    if (at === undefined) throw new Error(`${origin}: the image cell refers to row index ${index}, but no row with that index holds an image`);
    const fields = tsvFields(await readRecordAt(file, at.start, at.length));
    const cell = cellAt(fields, imageCol);
    if (cell === null || cell.length <= IMAGE_REF_MAX_LENGTH || pyStrip(cell).startsWith('[')) {
      throw new Error(`${origin}: the image cell refers to row index ${index}, whose image cell is not one base64 image`);
    }
    return base64Image(cell, origin).bytes();
  }

  function imagesOf(fields: readonly string[], where: string): ImageRef[] {
    if (imageCol !== -1) {
      const cell = cellAt(fields, imageCol);
      if (cell === null) return [];
      const origin = `${where} column image`;
      if (cell.length <= IMAGE_REF_MAX_LENGTH) {
        const target = cell.trim();
        return [loaderImage(`${origin} (the image of index ${target})`, () => referencedImage(target, origin))];
      }
      const list = listCell(cell);
      if (list === undefined) {
        return [loaderImage(origin, () => Promise.reject(new Error(`${origin}: the cell starts with "[" but is not a Python list literal of base64 strings`)))];
      }
      return list.map((b64, k) => base64Image(b64, list.length === 1 ? origin : `${origin}[${k}]`));
    }
    const cell = cellAt(fields, pathCol);
    if (cell === null) return [];
    const paths = listCell(cell);
    if (paths === undefined) {
      const origin = `${where} column image_path`;
      return [loaderImage(origin, () => Promise.reject(new Error(`${origin}: not a path or a Python list literal of paths`)))];
    }
    return paths.map((p) => fileImage(isAbsolute(p) ? [p] : [join(imageRoot, p), join(dirname(file), p)]));
  }

  async function* rows(offset: number): AsyncGenerator<SourceRow | RowFailure> {
    let first = true;
    let dataRow = -1;
    let kept = 0;
    for await (const record of tsvRecords(file)) {
      if (first) {
        first = false;
        continue;
      }
      dataRow += 1;
      const fields = tsvFields(record.bytes);
      const where = `${file} line ${record.line}`;
      if (imageCol !== -1) remember(fields, record.start, record.length);
      if (!keeps(fields)) continue;
      if (kept++ < offset) continue;
      if (fields.length > header.length) {
        const id = cellAt(fields, indexCol) ?? undefined;
        yield {
          failed: true,
          file,
          row: dataRow,
          ...(id !== undefined ? { id } : {}),
          reason: `${where}: ${fields.length} fields where the header has ${header.length} (a stray tab or an unquoted field); fix or re-download the file`,
        };
        continue;
      }
      const cells: Record<string, unknown> = {};
      // pandas pads a short record with NaN.
      for (let i = 0; i < header.length; i++) if (i !== imageCol) cells[header[i]] = cellAt(fields, i);
      yield { file, row: dataRow, where, cells, images: { image: imagesOf(fields, where) } };
    }
  }

  async function count(): Promise<number> {
    if (cachedCount !== undefined) return cachedCount;
    let n = 0;
    let first = true;
    for await (const record of tsvRecords(file)) {
      if (first) {
        first = false;
        continue;
      }
      if (imageCol === -1 && opts.filter === undefined) n += 1;
      else if (keeps(tsvFields(record.bytes))) n += 1;
    }
    cachedCount = n;
    return n;
  }

  return { files: [file], count, rows };
}
