// Typed errors that carry what a user needs to fix a problem, and the CLI exit codes.

/** Exit codes of every command: 0 ok, 1 failure (mismatch, regression), 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Bad user input: a file, line, field or option that must be fixed. The base of the family every
 * command turns into one `error: …` line and exit 2 (cli/main.ts): ConfigError beside it, and the
 * data errors DataError (harness/datasets/errors.ts), DataMissingError, DataIntegrityError and
 * DataFetchError (harness/datasets/hub/errors.ts) extend it.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A configuration error (unknown profile, benchmark, …). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
