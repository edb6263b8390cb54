/**
 * What a command opens and must close, in one place: for the jobs (train,
 * refresh, eval, ingest) the database, the phase progress and, where the job
 * honours it, Ctrl-C, plus the job options every one of them takes from the
 * command line; for the queries a read-only database and the run they answer about.
 */
import type { Database as DB } from 'better-sqlite3';
import type { ParamValues, ReadParamName } from '../params/index.js';
import { getRun, type RunInfo, type RunKind } from '../store/runs.js';
import { openDatabase } from '../store/store.js';
import { createPhaseProgress, type PhaseProgress, type Progress } from '../util/progress.js';
import { readOptionsOf, type GlobalArgs } from './options.js';
import { runOf } from './params.js';
import { abortOnSigint } from './signals.js';

export interface JobSession {
  db: DB;
  progress: PhaseProgress;
  /** Inputs, read options and the hooks every job takes (progress per phase, cancellation, the store phase). */
  inputs(given: Partial<ParamValues<'files' | ReadParamName>>): ReturnType<typeof readOptionsOf> & { files: string[]; onReadProgress: Progress };
  hooks: { signal?: AbortSignal; progress: (phase: string) => Progress; onStoreStage: (stage: string) => void };
}

/** Runs a job with its database, progress and (with `cancellable`) Ctrl-C, and closes them whatever happens. */
export async function withJob<T>(argv: GlobalArgs, opts: { cancellable: boolean }, work: (job: JobSession) => Promise<T>): Promise<T> {
  const db = openDatabase(argv.db);
  const progress = createPhaseProgress({ quiet: argv.quiet || argv.json });
  const sigint = opts.cancellable ? abortOnSigint() : undefined;
  try {
    return await work({
      db,
      progress,
      inputs: (given) => ({ files: given.files ?? [], ...readOptionsOf(given, progress.note), onReadProgress: progress.phase('read') }),
      hooks: {
        signal: sigint?.signal,
        progress: progress.phase,
        onStoreStage: (stage) => void (stage === 'run' && progress.phase('store')),
      },
    });
  } finally {
    sigint?.dispose();
    progress.stop();
    db.close();
  }
}

/** Answers a query on a read-only database about the run --run names ("latest": the newest of `kinds`). */
export function withRun<T>(argv: GlobalArgs & Record<string, unknown>, kinds: readonly RunKind[], work: (db: DB, run: RunInfo) => T): T {
  const db = openDatabase(argv.db, { readonly: true });
  try {
    return work(db, getRun(db, runOf(argv), kinds));
  } finally {
    db.close();
  }
}
