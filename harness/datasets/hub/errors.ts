// Typed data errors: what is missing (and the exact command that fetches it), integrity failures,
// and network failures during a pull.
import { InputError } from '../../errors.js';

/**
 * Data needed by a command is not on disk (or offline mode forbids fetching it). An InputError,
 * so the CLI exits 2; the message names what is missing and the `cogeval data pull` command.
 */
export class DataMissingError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DataMissingError';
  }
}

/**
 * A file on disk does not match its checksum (or cannot be read as the format it claims). An
 * InputError, so every command exits 2 with its one-line message (`data pull` counts it as a
 * failed pull: exit 1).
 */
export class DataIntegrityError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DataIntegrityError';
  }
}

/**
 * A download failed (network down, HTTP error, Hub API error). An InputError, so every command
 * exits 2 with its one-line message (`data pull` counts it as a failed pull: exit 1).
 */
export class DataFetchError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DataFetchError';
  }
}

/** One-line description of an unknown thrown value, for messages. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (${cause.message})` : '';
    return `${err.message}${causeText}`;
  }
  return String(err);
}
