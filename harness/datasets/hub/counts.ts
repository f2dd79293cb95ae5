// Sample counts without reading images: parquet footers (num_rows) and a quote-aware streaming
// record count of VLMEvalKit TSVs (pandas quotes cells that contain newlines).
import { createReadStream } from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { DataIntegrityError } from './errors.js';

/** Rows of one parquet file, from its footer. */
export async function parquetRowCount(file: string): Promise<number> {
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    return Number(metadata.num_rows);
  } catch (err) {
    throw new DataIntegrityError(`${file}: not a readable parquet file (${(err as Error).message}); run 'cogeval data verify' and pull it again`);
  }
}

export async function parquetRowCounts(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += await parquetRowCount(f);
  return total;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Data rows of a TSV written by pandas (header excluded): newlines inside double-quoted cells do
 * not end a record; a doubled quote inside a quoted cell toggles twice and so changes nothing.
 * A last line without a trailing newline still counts.
 */
export async function tsvRecordCount(file: string): Promise<number> {
  let records = 0;
  let inQuotes = false;
  let lineHasContent = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        inQuotes = !inQuotes;
        lineHasContent = true;
      } else if (b === NEWLINE && !inQuotes) {
        if (lineHasContent) records++;
        lineHasContent = false;
      } else if (b !== 0x0d) {
        lineHasContent = true;
      }
    }
  }
  if (lineHasContent) records++;
  if (inQuotes) throw new DataIntegrityError(`${file}: ends inside a quoted cell (truncated download?); run 'cogeval data verify'`);
  return Math.max(0, records - 1);
}
