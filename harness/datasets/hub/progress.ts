// Download progress: a cli-progress bar on an interactive terminal, plain log lines otherwise
// (CI, pipes, tests), behind one small interface the pull code reports to.
import cliProgress from 'cli-progress';

export interface PullProgress {
  /** A new download job: total bytes and files it will fetch. */
  start(label: string, totalBytes: number, totalFiles: number): void;
  /** Cumulative bytes and completed files of the current job. */
  update(bytesDone: number, filesDone: number): void;
  /** A message that must not be torn by the bar. */
  log(line: string): void;
  stop(): void;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

/** Plain lines: one at the start of a job, then whatever the pull logs (one line per file). */
export function plainProgress(write: (line: string) => void): PullProgress {
  return {
    start(label, totalBytes, totalFiles) {
      write(`${label}: ${totalFiles} file(s), ${formatBytes(totalBytes)}`);
    },
    update() {},
    log: write,
    stop() {},
  };
}

/** A bar on stderr (cli-progress), for a TTY. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): PullProgress {
  let bar: cliProgress.SingleBar | undefined;
  let files = 0;
  return {
    start(label, totalBytes, totalFiles) {
      bar?.stop();
      files = totalFiles;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label} [{bar}] {percentage}% | {done}/{total_h} | {files}/${totalFiles} files | eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, totalBytes), 0, { done: formatBytes(0), total_h: formatBytes(totalBytes), files: 0 });
    },
    update(bytesDone, filesDone) {
      bar?.update(bytesDone, { done: formatBytes(bytesDone), files: Math.min(filesDone, files) });
    },
    log(line) {
      if (bar) {
        // cli-progress redraws on the next update; write the message on its own line first.
        stream.write('\n' + line + '\n');
      } else {
        stream.write(line + '\n');
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** A bar when stderr is a terminal and CI is not set, plain lines otherwise. */
export function defaultProgress(write: (line: string) => void, env: Readonly<Record<string, string | undefined>> = process.env): PullProgress {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false';
  return process.stderr.isTTY && !ci ? barProgress() : plainProgress(write);
}
