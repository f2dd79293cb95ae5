// One writer per run directory: an exclusive lock file (pid, host, command, start time) created
// with O_EXCL before anything is written; a lock left by a dead process on this host is taken
// over under a second O_EXCL "takeover" file, so two processes never both take it over.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const LOCK_FILE = '.cogeval.lock';

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** A second writer, refused (exit 2): the message names the holder and what to do. */
export class RunLockedError extends InputError {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `run ${dir} is in use by \`cogeval ${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}); ` +
            `wait for it to finish${holder.host === hostname() ? '' : `, or, if that process is gone, delete ${join(dir, LOCK_FILE)}`}`
        : `run ${dir} is locked by another cogeval process (${join(dir, LOCK_FILE)} is being written); try again`,
    );
    this.name = 'RunLockedError';
  }
}

/** A taken lock; release() removes it (and the run directory when the lock made it and it stayed empty). */
export interface RunLock {
  readonly dir: string;
  readonly path: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string') {
      return { pid: o.pid, host: o.host, command: typeof o.command === 'string' ? o.command : '?', startedAt: o.startedAt };
    }
    return null;
  } catch {
    return null; // vanished, or caught between create and write
  }
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** A takeover file older than this was left by a process killed mid-takeover (which takes microseconds). */
const STALE_TAKEOVER_MS = 30_000;

/**
 * Takes the lock of run directory `dir` for `command` (eval, merge, rescore), creating `dir` when
 * needed. Throws RunLockedError while another live process holds it (this process included: two
 * concurrent calls in one process are two writers).
 */
export function acquireRunLock(dir: string, command: string): RunLock {
  const madeDir = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  const text = JSON.stringify(me) + '\n';
  const lock: RunLock = {
    dir,
    path,
    release: () => {
      const h = readHolder(path);
      if (h && h.pid === me.pid && h.host === me.host && h.startedAt === me.startedAt) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
      if (madeDir) {
        try {
          if (readdirSync(dir).length === 0) rmdirSync(dir);
        } catch {
          // not empty or gone: leave it
        }
      }
    },
  };
  if (createExclusive(path, text)) return lock;
  const holder = readHolder(path);
  if (holder === null || holder.host !== me.host || processAlive(holder.pid)) throw new RunLockedError(dir, holder);
  // Stale: its process is dead. Only the process that creates the takeover file may replace it.
  const takeover = `${path}.takeover`;
  try {
    if (Date.now() - statSync(takeover).mtimeMs > STALE_TAKEOVER_MS) unlinkSync(takeover);
  } catch {
    // no takeover file
  }
  if (!createExclusive(takeover, text)) throw new RunLockedError(dir, holder);
  try {
    const again = readHolder(path);
    // Someone else replaced it between our read and our takeover file: it is theirs now.
    if (again !== null && (again.pid !== holder.pid || again.startedAt !== holder.startedAt)) throw new RunLockedError(dir, again);
    try {
      unlinkSync(path);
    } catch {
      // already removed
    }
    if (!createExclusive(path, text)) throw new RunLockedError(dir, readHolder(path));
    return lock;
  } finally {
    unlinkSync(takeover);
  }
}

/** The holder of a run directory's lock, if a live one holds it (for listings). */
export function lockHolder(dir: string): LockHolder | null {
  const path = join(dir, LOCK_FILE);
  if (!existsSync(path)) return null;
  const h = readHolder(path);
  if (h && h.host === hostname() && !processAlive(h.pid)) return null;
  return h;
}
