// Progress of a run: a live bar (cli-progress) on a TTY, plain periodic lines otherwise (CI).
import cliProgress from 'cli-progress';

export interface ProgressState {
  done: number;
  total: number;
  errors: number;
  elapsedSeconds: number;
}

export interface Progress {
  update(state: ProgressState): void;
  stop(): void;
}

function rate(s: ProgressState): number {
  return s.elapsedSeconds > 0 ? s.done / s.elapsedSeconds : 0;
}

function eta(s: ProgressState): string {
  const r = rate(s);
  if (r <= 0 || s.done >= s.total) return '—';
  const secs = Math.round((s.total - s.done) / r);
  const m = Math.floor(secs / 60);
  return m > 0 ? `${m}m${String(secs % 60).padStart(2, '0')}s` : `${secs}s`;
}

/** One plain line, used in CI logs and at the end of a run. */
export function progressLine(label: string, s: ProgressState): string {
  return `${label}: ${s.done}/${s.total} samples, ${rate(s).toFixed(2)} samples/s, ETA ${eta(s)}, errors ${s.errors}`;
}

export function createProgress(label: string, opts: { stream?: NodeJS.WriteStream; intervalMs?: number; log?: (line: string) => void } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const interactive = stream.isTTY === true && process.env['CI'] !== 'true';
  if (!interactive) {
    const every = opts.intervalMs ?? 10_000;
    const log = opts.log ?? ((line: string) => stream.write(line + '\n'));
    let last = 0;
    return {
      update(s) {
        const now = Date.now();
        if (now - last >= every || s.done === s.total) {
          last = now;
          log(progressLine(label, s));
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} | {rate} samples/s | ETA {etaText} | errors {errors}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(s) {
      const payload = { rate: rate(s).toFixed(2), etaText: eta(s), errors: s.errors };
      if (!started) {
        bar.start(s.total, s.done, payload);
        started = true;
      } else {
        bar.setTotal(s.total);
        bar.update(s.done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
