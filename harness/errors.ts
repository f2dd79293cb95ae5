// Typed errors that carry what a user needs to fix a problem, the CLI exit codes, and the one
// mapping from an error to its exit code and the line a user reads (cli/main.ts prints it).

/** Exit codes of every command: 0 ok, 1 failure (mismatch, regression), 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Bad user input: a file, line, field or option that must be fixed. The base of the one family
 * every command turns into one `error: …` line and exit 2 (exitFor below): ConfigError, the data
 * errors DataError (harness/datasets/errors.ts), DataMissingError, DataIntegrityError and
 * DataFetchError (harness/datasets/hub/errors.ts), RunFormatError (harness/run/run-format.ts),
 * RunLockedError (harness/run/lock.ts) and GateInputError (harness/report/gate.ts) extend it.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A configuration error (unknown profile, benchmark, a run made with another configuration, …). */
export class ConfigError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const FS_CODES: Record<string, string> = {
  ENOENT: 'no such file or directory (create the folder first)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** A one-line message for a file-system error (a path that cannot be read or written), else undefined. */
export function fileSystemMessage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string' || !(e.code in FS_CODES)) return undefined;
  const verb: Record<string, string> = { open: 'open', mkdir: 'create the folder', rename: 'rename', write: 'write', read: 'read', unlink: 'remove', scandir: 'list', stat: 'read', access: 'access', copyfile: 'copy to' };
  const path = e.path ?? '';
  return `cannot ${verb[e.syscall] ?? e.syscall} ${path}: ${FS_CODES[e.code]} (${e.code})`;
}

/**
 * What a command that threw `err` ends with: bad input (the InputError family, ConfigError, a path
 * that cannot be read or written) is exit 2 with its one-line message; anything else is a bug or
 * an unexpected failure, exit 1 with its stack. Commands throw; only cli/main.ts calls this.
 */
export function exitFor(err: unknown): { code: number; message: string } {
  if (err instanceof InputError) return { code: EXIT_BAD_INPUT, message: err.message };
  const fsProblem = fileSystemMessage(err);
  if (fsProblem !== undefined) return { code: EXIT_BAD_INPUT, message: fsProblem };
  return { code: EXIT_FAILURE, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
