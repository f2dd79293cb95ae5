// One place decides exit codes (harness/errors.ts exitFor): every member of the input-error family
// and a path that cannot be read or written is exit 2 with its one line; anything else is exit 1
// with its stack; main() and runReporting() print exactly that line.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EXIT_BAD_INPUT, EXIT_FAILURE, InputError, exitFor } from '../../harness/errors.js';
import { DataError } from '../../harness/datasets/errors.js';
import { DataFetchError, DataIntegrityError, DataMissingError } from '../../harness/datasets/hub/errors.js';
import { RunFormatError } from '../../harness/run/run-format.js';
import { GateInputError } from '../../harness/report/gate.js';
import { runReporting } from '../../harness/cli/main.js';
import { capture } from '../support/cli-capture.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('nothing was thrown');
}

describe('exitFor', () => {
  it('maps the whole input-error family to exit 2 and its message', () => {
    const family: Error[] = [
      new InputError('bad flag'),
      new ConfigError('unknown profile'),
      new RunFormatError('run.json: formatVersion 9'),
      new GateInputError(['docvqa: differs']),
    ];
    for (const err of family) {
      expect(err).toBeInstanceOf(InputError);
      expect(exitFor(err)).toEqual({ code: EXIT_BAD_INPUT, message: err.message });
    }
    // The data errors take extra arguments; they are members of the same family.
    for (const cls of [DataError, DataMissingError, DataIntegrityError, DataFetchError]) expect(cls.prototype).toBeInstanceOf(InputError);
  });

  it('turns a path that cannot be read into one line naming it (exit 2)', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'cogeval-exit-')), 'nope.json');
    expect(exitFor(thrown(() => readFileSync(missing)))).toEqual({ code: EXIT_BAD_INPUT, message: `cannot open ${missing}: no such file or directory (create the folder first) (ENOENT)` });
  });

  it('leaves anything else as a failure with its stack (exit 1)', () => {
    const bug = new TypeError('x is undefined');
    expect(exitFor(bug)).toEqual({ code: EXIT_FAILURE, message: bug.stack });
    expect(exitFor('a string')).toEqual({ code: EXIT_FAILURE, message: 'a string' });
  });

  it('runReporting prints the `error:` line and returns the code; a result passes through', async () => {
    const c = capture();
    expect(await runReporting(c.io, () => { throw new ConfigError('unknown profile "x"'); })).toBe(2);
    expect(c.err.join('\n')).toContain('error: unknown profile "x"');
    expect(await runReporting(c.io, () => 1)).toBe(1);
    expect(c.err).toHaveLength(1);
  });
});
