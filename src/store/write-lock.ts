/**
 * The write lock of a job. A write job (ingest, train, refresh, eval) takes
 * the database's write lock (BEGIN IMMEDIATE) before it reads anything — the
 * parent run a refresh extends, the text cache, the input files — and holds
 * it to its commit. So a second writer waits (busy timeout, 10 s) and then
 * fails with exit 5 before doing any work, instead of computing for minutes
 * and then silently building on a parent that is no longer the newest (a lost
 * update). Readers are never blocked (WAL). Just before the commit the job
 * yields once: a Ctrl-C that arrived during any phase, the store included,
 * rolls everything back and the job fails with AbortedError (exit 130).
 */
import type { Database as DB } from 'better-sqlite3';
import { checkpoint } from '../util/cancel.js';
import { checkUserIdMode } from './settings.js';
import { DatabaseLockedError, isBusyError } from './store.js';

export interface WriteJob {
  /** The job's name in messages ("train was cancelled"). */
  what: string;
  signal?: AbortSignal;
  /** For jobs that store user ids: the pseudonymizer in use (omitted or undefined: raw ids); checked against the database. */
  userIds?: { pseudonymize?: (userId: string) => string };
}

/** Runs `work` holding the write lock; commits what it wrote only if it succeeds and was not cancelled. */
export async function withWriteLock<T>(db: DB, job: WriteJob, work: () => Promise<T>): Promise<T> {
  // Already inside a transaction (a caller's own): its owner commits.
  if (db.inTransaction) return work();
  try {
    db.prepare('BEGIN IMMEDIATE').run();
  } catch (err) {
    if (isBusyError(err)) throw new DatabaseLockedError(db.name);
    throw err;
  }
  try {
    const remember = job.userIds ? checkUserIdMode(db, job.userIds.pseudonymize ?? null) : null;
    const result = await work();
    remember?.();
    await checkpoint(job.signal, job.what);
    db.prepare('COMMIT').run();
    return result;
  } finally {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
  }
}
