// The row every source yields (parquet row, TSV record, official JSON entry) before an adapter
// turns it into a Sample.
import type { ImageRef } from '../types.js';

export interface SourceRow {
  /** The file the row comes from. */
  readonly file: string;
  /** 0-based row number in that file (parquet row, TSV data record, JSON entry). */
  readonly row: number;
  /** Where, for messages: `file row 12`, `file line 13`, `file data[4]`. */
  readonly where: string;
  /**
   * Cells by column: text as string, lists as arrays, a missing value (null, pandas NaN) as null;
   * a column the source does not have is undefined.
   */
  readonly cells: Readonly<Record<string, unknown>>;
  /** Image references by image column, in order; an empty list when the cell holds no image. */
  readonly images: Readonly<Record<string, readonly ImageRef[]>>;
}

/** A stream of rows from one or several files of one source. */
export interface RowSource {
  /** The files read, in order. */
  readonly files: readonly string[];
  /** Number of rows (after the source's own filters), without reading images where possible. */
  count(): Promise<number>;
  /**
   * Rows in order, skipping the first `offset` (cheaply where the format allows).
   * A row that cannot be read at all is yielded as a RowFailure so the stream goes on.
   */
  rows(offset: number): AsyncIterable<SourceRow | RowFailure>;
}

/** A row the source could not read (a corrupt parquet page, a TSV record with too few fields). */
export interface RowFailure {
  readonly failed: true;
  readonly file: string;
  readonly row: number;
  /** The row's id where it could still be read, else undefined. */
  readonly id?: string;
  readonly reason: string;
}

export function isRowFailure(x: SourceRow | RowFailure): x is RowFailure {
  return (x as RowFailure).failed === true;
}
