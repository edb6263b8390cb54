/**
 * Progress reporting for long phases. On a TTY it draws a cli-progress bar with
 * ETA; in pipes, under CI or with --quiet it draws nothing, so machine-readable
 * output stays clean. Work code only ever sees the `Progress` callback type.
 */
import cliProgress from 'cli-progress';

/** Called by long-running work: `done` of `total` units, plus an optional short status. */
export type Progress = (done: number, total: number, status?: string) => void;

export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

export interface ProgressBar {
  update: Progress;
  stop(): void;
}

const noop: ProgressBar = { update: () => {}, stop: () => {} };

export function shouldShowProgress(opts: ProgressOptions = {}): boolean {
  const stream = opts.stream ?? process.stderr;
  return !opts.quiet && Boolean(stream.isTTY) && !process.env.CI;
}

/** A bar for one phase; a no-op where progress must stay silent. */
export function createProgressBar(label: string, opts: ProgressOptions = {}): ProgressBar {
  if (!shouldShowProgress(opts)) return noop;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(12)} {bar} {percentage}% | ETA {eta_formatted} | {status}`,
      stream: opts.stream ?? process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, status = '') {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { status });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { status });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * One bar per phase, for jobs with several long phases: asking for the next
 * phase's callback closes the previous bar. Notes (messages for people) are
 * written to stderr at once, or, while a bar is drawing, held until it closes
 * so they never garble it; --quiet drops them.
 */
export interface PhaseProgress {
  /** The progress callback of phase `name` (opens its bar, closes the previous one). */
  phase(name: string): Progress;
  /** Progress of whichever phase reports, switching bars when the phase changes. */
  update(name: string, done: number, total: number, status?: string): void;
  note(message: string): void;
  stop(): void;
}

export function createPhaseProgress(opts: ProgressOptions = {}): PhaseProgress {
  let current: { name: string; bar: ProgressBar } | undefined;
  const stream = opts.stream ?? process.stderr;
  const drawing = shouldShowProgress(opts);
  const held: string[] = [];
  const flush = (): void => {
    for (const m of held.splice(0)) stream.write(m + '\n');
  };
  const phase = (name: string): Progress => {
    current?.bar.stop();
    flush();
    const bar = createProgressBar(name, opts);
    current = { name, bar };
    return bar.update;
  };
  return {
    phase,
    update(name, done, total, status) {
      if (current?.name !== name) phase(name);
      current?.bar.update(done, total, status);
    },
    note(message) {
      if (opts.quiet) return;
      if (drawing && current) held.push(message);
      else stream.write(message + '\n');
    },
    stop() {
      current?.bar.stop();
      current = undefined;
      flush();
    },
  };
}
