// Dataset errors: DataError (a dataset file that cannot be used: exit 2) and RowError (one bad
// cell: that sample fails with the reason, the stream goes on).
import { InputError } from '../errors.js';

/**
 * A dataset file or layout that cannot be read: missing file, missing column, truncated parquet,
 * unterminated TSV quote. The message names the file (and column/row) and says what to do.
 */
export class DataError extends InputError {
  constructor(
    message: string,
    readonly file?: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** One cell of one row is unusable; the adapter turns it into a SampleFailure naming row and column. */
export class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

/** The message of anything thrown, for failure reasons. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
