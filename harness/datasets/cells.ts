// Typed readers for the cells of a SourceRow: each names the column when a cell is unusable
// (RowError), so the sample fails with a precise reason instead of being scored wrongly.
import { pyLiteralList, pyStrip } from '../metrics/py.js';
import { RowError } from './errors.js';
import type { SourceRow } from './sources/row.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cell as text: strings as is, UTF-8 bytes decoded, numbers/bigints stringified; null if missing. */
export function asText(value: unknown, column: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) {
    try {
      return utf8.decode(value);
    } catch {
      throw new RowError(column, `column "${column}" holds bytes that are not valid UTF-8 text`);
    }
  }
  throw new RowError(column, `column "${column}" must hold text, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value;
}

/** A required text cell. */
export function text(row: SourceRow, column: string): string {
  const value = asText(row.cells[column], column);
  if (value === null) throw new RowError(column, `column "${column}" is empty (a value is required)`);
  return value;
}

/** An optional text cell: null when missing. */
export function optText(row: SourceRow, column: string): string | null {
  return asText(row.cells[column], column);
}

/** The first of `columns` the row has a value for. */
export function textOf(row: SourceRow, columns: readonly string[]): string {
  for (const column of columns) {
    const value = asText(row.cells[column], column);
    if (value !== null) return value;
  }
  throw new RowError(columns[0], `column "${columns[0]}" is empty (a value is required)`);
}

/** An id cell: text, or an integer (parquet INT64 comes as bigint). */
export function idText(row: SourceRow, column: string): string {
  const value = row.cells[column];
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new RowError(column, `column "${column}" must be an integer or text id, got ${value}`);
  }
  return text(row, column);
}

/** An integer cell (MMBench `index`): a number, bigint or digit string. */
export function integer(row: SourceRow, column: string): number {
  const value = row.cells[column];
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^\s*-?[0-9]+\s*$/.test(value)) n = Number(value);
  if (n === undefined || !Number.isSafeInteger(n)) {
    throw new RowError(column, `column "${column}" must be an integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return n;
}

/**
 * A list of strings: a real list (parquet LIST, JSON array) or text holding a Python list
 * literal (VLMEvalKit's `answer` cells). `allowPlain` turns a text that is not a list literal
 * into a one-element list (OCRBench's answers are a string or a list).
 */
export function stringList(row: SourceRow, column: string, opts: { allowPlain?: boolean } = {}): string[] {
  const value = row.cells[column];
  if (Array.isArray(value)) {
    return value.map((x, i) => {
      const t = asText(x, column);
      if (t === null) throw new RowError(column, `column "${column}" item ${i} is empty`);
      return t;
    });
  }
  const t = asText(value, column);
  if (t === null) throw new RowError(column, `column "${column}" is empty (a list is required)`);
  if (pyStrip(t).startsWith('[')) {
    const list = pyLiteralList(t);
    if (list !== undefined && list.every((x): x is string => typeof x === 'string')) return list;
    if (!opts.allowPlain) throw new RowError(column, `column "${column}" is not a Python list literal of strings: ${truncate(t)}`);
  } else if (!opts.allowPlain) {
    throw new RowError(column, `column "${column}" must be a list of strings, got the text ${truncate(t)}`);
  }
  return [t];
}

/** An optional list of strings; null when missing. */
export function optStringList(row: SourceRow, column: string): string[] | null {
  const value = row.cells[column];
  if (value === null || value === undefined) return null;
  return stringList(row, column);
}

export function truncate(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
