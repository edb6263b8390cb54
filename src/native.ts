/**
 * The bridge to the C++ addon built by node-gyp (`npm install` runs
 * `node-gyp rebuild`): it finds and loads the binary, and runs its jobs
 * (`runNativeJob`: progress, AbortSignal and error mapping in one place).
 * Each concern's facade (src/walk, src/sgns) declares the typed shape of the
 * functions it uses.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AbortedError, GraphprofError } from './util/errors.js';

const require = createRequire(import.meta.url);

function packageRoot(): string {
  // Works from src/ (vitest) and from dist/src/ (built): walk up to package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new GraphprofError('native: cannot find the graphprof package root');
    dir = parent;
  }
  return dir;
}

let cached: unknown;

export function loadNative<T>(): T {
  if (cached === undefined) {
    const root = packageRoot();
    const candidates = ['build/Release/graphprof_native.node', 'build/Debug/graphprof_native.node'];
    const found = candidates.map((c) => join(root, c)).find((p) => existsSync(p));
    if (!found) {
      throw new GraphprofError(
        `native: the addon is not built (looked for ${candidates.join(', ')} under ${root}); run "npm run build:native"`,
      );
    }
    cached = require(found);
  }
  return cached as T;
}

/** A progress report of a native job (native/src/job_worker.h), about five per second while it runs. */
export interface NativeProgress {
  /** What the job is doing: "walks" (in walks) or "train" (in corpus tokens over all epochs). */
  phase: string;
  done: number;
  total: number;
  /** Seconds since the job started. */
  seconds: number;
  /** Mean skip-gram loss per pair since the previous report (0 outside training). */
  loss: number;
}

/** What every native entry point returns at once: its result to come, and a way to stop it. */
export interface NativeHandle<R> {
  promise: Promise<R>;
  /** Asks the job's threads to stop; the promise then rejects with a cancellation. */
  cancel(): void;
}

export interface NativeJobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: NativeProgress) => void;
}

/** The `code` of the Error a cancelled native job rejects with. */
const CANCELLED = 'GRAPHPROF_CANCELLED';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** "fn: message", without repeating a prefix the native side already gave. */
function prefixed(what: string, message: string): string {
  return message.startsWith(`${what}:`) ? message : `${what}: ${message}`;
}

/**
 * Runs one native job, the one place where progress, cancellation and errors
 * of native work are mapped to graphprof's:
 * - `start` calls the addon (which validates its arguments synchronously; a
 *   TypeError / RangeError becomes a GraphprofError naming `what`);
 * - progress reports go to `onProgress`; if it throws, the job is cancelled
 *   and that error is what the caller gets;
 * - an aborted `signal` cancels the job and the call rejects with
 *   AbortedError (also when the job had just finished);
 * - a native failure rejects with a GraphprofError "what: message".
 */
export async function runNativeJob<R>(
  what: string,
  start: (onProgress: ((p: NativeProgress) => void) | undefined) => NativeHandle<R>,
  opts: NativeJobOptions = {},
): Promise<R> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw new AbortedError(what);
  let progressError: unknown;
  let handle: NativeHandle<R> | undefined;
  const report = onProgress
    ? (p: NativeProgress): void => {
        if (progressError !== undefined) return;
        try {
          onProgress(p);
        } catch (err) {
          progressError = err;
          handle?.cancel();
        }
      }
    : undefined;
  try {
    handle = start(report);
  } catch (err) {
    throw err instanceof TypeError || err instanceof RangeError ? new GraphprofError(prefixed(what, err.message)) : err;
  }
  const started = handle;
  const abort = (): void => started.cancel();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const result = await started.promise;
    if (progressError !== undefined) throw progressError;
    if (signal?.aborted) throw new AbortedError(what);
    return result;
  } catch (err) {
    if (progressError !== undefined) throw progressError;
    if (err instanceof GraphprofError) throw err;
    if (signal?.aborted || (err instanceof Error && (err as Error & { code?: unknown }).code === CANCELLED)) {
      throw new AbortedError(what);
    }
    throw new GraphprofError(prefixed(what, messageOf(err)));
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
