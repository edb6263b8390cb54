/**
 * Cancellation checkpoints. A Ctrl-C reaches JavaScript only when the event
 * loop runs, so long synchronous phases cannot see it while they run; between
 * phases the job yields once (letting a pending SIGINT handler abort the
 * signal) and stops if it was cancelled.
 */
import { AbortedError } from './errors.js';

/** Lets pending signal handlers run, then throws AbortedError(what) if `signal` was aborted. */
export async function checkpoint(signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal === undefined) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new AbortedError(what);
}
