// Streaming TSV record splitter and field parser with pandas `read_csv(sep='\t')` semantics:
// quoted fields (may hold tabs and newlines, `""` is a quote), blank lines skipped, CRLF accepted,
// pandas' default NA strings read as missing. Records carry byte offsets so a row can be re-read.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataError } from '../errors.js';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** One record: its bytes (without the line break), byte offset and length in the file, first line. */
export interface TsvRecord {
  bytes: Buffer;
  start: number;
  length: number;
  /** 1-based line number of the record's first line. */
  line: number;
}

/**
 * pandas' default `na_values` (pandas ≥ 2.0, which added "None"): a cell equal to one of these
 * is NaN for VLMEvalKit, which reads every TSV with a plain `pd.read_csv(f, sep='\t')`.
 */
export const PANDAS_NA_STRINGS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

function countLineBreaks(bytes: Buffer): number {
  let n = 0;
  let i = bytes.indexOf(LF);
  while (i !== -1) {
    n += 1;
    i = bytes.indexOf(LF, i + 1);
  }
  return n;
}

/**
 * Streams the records of a TSV file. A quote opens a quoted field only at the start of a field
 * (as pandas' C parser); a record ends at a line feed outside quotes. Throws a DataError naming
 * the file and line when a quoted field is never closed (a truncated file). `chunkSize` is the
 * read size (tests use tiny ones to exercise records split across reads).
 */
export async function* tsvRecords(file: string, opts: { chunkSize?: number } = {}): AsyncGenerator<TsvRecord> {
  const stream = createReadStream(file, { highWaterMark: opts.chunkSize ?? 1 << 20 });
  let pieces: Buffer[] = [];
  let recordStart = 0;
  let recordLine = 1;
  let inQuotes = false;
  let sawQuote = false;
  /** A quote was the last byte of the previous chunk while in quotes: escaped or closing. */
  let pendingQuote = false;
  /** Last byte of the previous chunk (is a quote at a chunk start also at a field start?); -1 at the start. */
  let prevByte = -1;

  const finish = (bytes: Buffer): TsvRecord | undefined => {
    const length = bytes.length;
    let body = bytes;
    if (body.length > 0 && body[body.length - 1] === CR) body = body.subarray(0, body.length - 1);
    const record = { bytes: body, start: recordStart, length, line: recordLine };
    recordLine += 1 + (sawQuote ? countLineBreaks(bytes) : 0);
    recordStart += length + 1;
    sawQuote = false;
    return body.length === 0 ? undefined : record; // pandas skips blank lines
  };

  for await (const raw of stream) {
    const chunk = raw as Buffer;
    let pos = 0;
    let pieceStart = 0;
    // Next quote / line feed at or after the last search start (-1: none left in this chunk).
    // Positions only move forward, so each chunk is scanned about once whatever its record count.
    let quoteAt = -2;
    let lfAt = -2;
    const nextQuote = (from: number): number => (quoteAt === -1 || quoteAt >= from ? quoteAt : (quoteAt = chunk.indexOf(QUOTE, from)));
    const nextLf = (from: number): number => (lfAt === -1 || lfAt >= from ? lfAt : (lfAt = chunk.indexOf(LF, from)));
    if (pendingQuote) {
      pendingQuote = false;
      if (chunk.length > 0 && chunk[0] === QUOTE) pos = 1;
      else inQuotes = false;
    }
    while (pos < chunk.length) {
      if (inQuotes) {
        const q = nextQuote(pos);
        if (q === -1) {
          pos = chunk.length;
        } else if (q + 1 === chunk.length) {
          pendingQuote = true;
          pos = chunk.length;
        } else if (chunk[q + 1] === QUOTE) {
          pos = q + 2;
        } else {
          inQuotes = false;
          pos = q + 1;
        }
        continue;
      }
      const lf = nextLf(pos);
      const q = nextQuote(pos);
      if (q !== -1 && (lf === -1 || q < lf)) {
        sawQuote = true;
        const before = q > 0 ? chunk[q - 1] : prevByte;
        if (before === -1 || before === TAB || before === LF) inQuotes = true;
        pos = q + 1;
        continue;
      }
      if (lf === -1) {
        pos = chunk.length;
        continue;
      }
      const tail = chunk.subarray(pieceStart, lf);
      const bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
      pieces = [];
      const record = finish(bytes);
      if (record !== undefined) yield record;
      pos = lf + 1;
      pieceStart = pos;
    }
    if (pieceStart < chunk.length) pieces.push(chunk.subarray(pieceStart));
    if (chunk.length > 0) prevByte = chunk[chunk.length - 1];
  }
  // A quote as the very last byte closes its field; any other open quote means a cut-off file.
  if (inQuotes && !pendingQuote) {
    throw new DataError(
      `${file} line ${recordLine}: a quoted field is never closed before the end of the file; the file is truncated or not a VLMEvalKit TSV — download it again`,
      file,
    );
  }
  if (pieces.length > 0) {
    const record = finish(Buffer.concat(pieces));
    if (record !== undefined) yield record;
  }
}

/** Reads one record again from its byte range (to resolve VLMEvalKit's image-by-index cells). */
export async function readRecordAt(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    if (bytesRead !== length) throw new DataError(`${file}: expected ${length} bytes at offset ${start}, read ${bytesRead}; the file changed while in use`, file);
    let body = buffer;
    if (body.length > 0 && body[body.length - 1] === CR) body = body.subarray(0, body.length - 1);
    return body;
  } finally {
    await handle.close();
  }
}

/**
 * Splits one record into field strings. Unquoted records (the common case: base64 images and
 * plain text) take a fast path; quoted fields follow pandas: `""` inside quotes is one quote,
 * text after the closing quote up to the next tab is appended.
 */
export function tsvFields(record: Buffer): string[] {
  const text = record.toString('utf8');
  if (record.indexOf(QUOTE) === -1) return text.split('\t');
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    let field = '';
    if (text.charCodeAt(i) === QUOTE) {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const tab = text.indexOf('\t', i);
      const end = tab === -1 ? n : tab;
      field += text.slice(i, end);
      i = end;
    } else {
      const tab = text.indexOf('\t', i);
      const end = tab === -1 ? n : tab;
      field = text.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= n) break;
    i += 1; // the tab
    if (i === n) {
      fields.push('');
      break;
    }
  }
  return fields;
}
