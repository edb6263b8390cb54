/**
 * Progress reporting for long phases. On a TTY it draws a cli-progress bar with
 * ETA; in pipes, under CI or with --quiet it draws nothing, so machine-readable
 * output stays clean. Work code only ever sees the `Progress` callback type.
 */
import cliProgress from 'cli-progress';
import { Worker } from 'node:worker_threads';

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

/** A phase silent this long gets an elapsed-time line. */
export const spinnerDelayMs = 2000;

// The spinner's thread: draws "\r<label> <frame> <seconds> s" on fd 2 every 200 ms
// once `delay` has passed, until told to stop through the shared state word.
// State: 0 booting, 1 running, 2 stop asked, 3 stopped.
const spinnerSource = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.state);
if (Atomics.compareExchange(state, 0, 0, 1) === 0) {
  const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
  const started = Date.now();
  let shown = false;
  for (let i = 0; Atomics.load(state, 0) === 1; i++) {
    const ms = Date.now() - started;
    if (ms >= workerData.delayMs) {
      writeSync(workerData.fd, '\\r' + workerData.label + ' ' + frames[i % frames.length] + ' ' + Math.floor(ms / 1000) + ' s\\x1b[K');
      shown = true;
    }
    Atomics.wait(state, 0, 1, 200);
  }
  if (shown) writeSync(workerData.fd, '\\r\\x1b[K');
  Atomics.store(state, 0, 3);
  Atomics.notify(state, 0);
}
`;

interface Spinner {
  stop(): void;
}

/**
 * An elapsed-time line for a phase without a natural total (loading a model,
 * the silhouette search). It is drawn from a worker thread straight to the
 * terminal, so it keeps ticking while the main thread is busy with
 * synchronous work; `stop` returns once the line is cleared.
 */
function startSpinner(label: string, fd: number): Spinner {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(spinnerSource, { eval: true, workerData: { state: state.buffer, label: label.padEnd(12), fd, delayMs: spinnerDelayMs } });
  worker.unref();
  return {
    stop() {
      // Not started yet: it will see the request at boot and draw nothing.
      if (Atomics.compareExchange(state, 0, 0, 2) === 0) return;
      if (Atomics.compareExchange(state, 0, 1, 2) !== 1) return;
      Atomics.notify(state, 0);
      Atomics.wait(state, 0, 2, 1000);
    },
  };
}

/**
 * One bar per phase, for jobs with several long phases: asking for the next
 * phase's callback closes the previous bar. A phase that reports nothing for
 * two seconds shows an elapsed-time line until its first report. Notes
 * (messages for people) are written to stderr at once, or, while a bar is
 * drawing, held until it closes so they never garble it; --quiet drops them.
 */
export interface PhaseProgress {
  /** The progress callback of phase `name` (opens its bar, closes the previous one; the open phase's own callback if it is `name`). */
  phase(name: string): Progress;
  /** Progress of whichever phase reports, switching bars when the phase changes. */
  update(name: string, done: number, total: number, status?: string): void;
  note(message: string): void;
  stop(): void;
}

export function createPhaseProgress(opts: ProgressOptions = {}): PhaseProgress {
  let current: { name: string; bar: ProgressBar; spinner: Spinner | null } | undefined;
  const stream = opts.stream ?? process.stderr;
  const drawing = shouldShowProgress(opts);
  const fd = (stream as { fd?: number }).fd ?? 2;
  const held: string[] = [];
  const close = (): void => {
    current?.spinner?.stop();
    current?.bar.stop();
    current = undefined;
    for (const m of held.splice(0)) stream.write(m + '\n');
  };
  const phase = (name: string): Progress => {
    close();
    const bar = createProgressBar(name, opts);
    const mine = { name, bar, spinner: drawing ? startSpinner(name, fd) : null };
    current = mine;
    return (done, total, status) => {
      // A closed phase's callback draws nothing: restarting its bar would leave it drawing (and the process running) after the job.
      if (current !== mine) return;
      if (mine.spinner) {
        mine.spinner.stop();
        mine.spinner = null;
      }
      bar.update(done, total, status);
    };
  };
  let callback: Progress | undefined;
  return {
    phase(name) {
      // The phase already open (a job's timer naming the phase whose callback it handed out): the same bar.
      if (current?.name === name && callback) return callback;
      callback = phase(name);
      return callback;
    },
    update(name, done, total, status) {
      if (current?.name !== name || !callback) callback = phase(name);
      callback(done, total, status);
    },
    note(message) {
      if (opts.quiet) return;
      if (drawing && current) held.push(message);
      else stream.write(message + '\n');
    },
    stop: close,
  };
}
