/**
 * The graphprof database: one SQLite file (better-sqlite3), WAL mode, schema
 * migrated on open. Runs are written by `writeRun`, which does everything in a
 * single transaction and flips the run to 'complete' as its last statement, so
 * a failure or crash leaves the file with exactly the rows it had before.
 */
import Database from 'better-sqlite3';
import type { Database as DB } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { migrations, schemaVersion } from './schema.js';

export const defaultDbPath = 'graphprof.db';

/**
 * 16 KB pages. Vectors (2-2.5 KB a row) do not fit SQLite's default 4 KB pages
 * well: a row takes a page of its own, or spills to overflow pages, so half the
 * file was unused (Musical Instruments: 94 MB, 60 MB at 16 KB pages; 8 KB pages
 * are worse still, 64 KB gain only 4%). `graphprof runs --delete/--keep-last`
 * converts an older file when it compacts it.
 */
export const storePageSize = 16384;

export interface OpenOptions {
  readonly?: boolean;
  /** How long to wait for another process's write lock, in ms (default 10 s). */
  busyTimeoutMs?: number;
}

export class DatabaseLockedError extends GraphprofError {
  constructor(path: string) {
    super(
      `${path}: the database is locked by another graphprof process (a train or refresh is writing); wait for it to finish and try again`,
      ExitCode.databaseLocked,
    );
  }
}

export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Opens (creating and migrating if needed) the database at `path`. */
export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (opts.readonly && !existsSync(path)) {
    throw new GraphprofError(`${path}: no such database; run "graphprof ingest" or "graphprof train" first`, ExitCode.usage);
  }
  let db: DB;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (err) {
    throw new GraphprofError(`${path}: cannot open database: ${(err as Error).message}`);
  }
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
  try {
    if (!opts.readonly) {
      // Before anything is written (a no-op on an existing file): see storePageSize.
      db.pragma(`page_size = ${storePageSize}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    } else {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > schemaVersion) throw newerSchema(path, version);
    }
  } catch (err) {
    db.close();
    if (isBusyError(err)) throw new DatabaseLockedError(path);
    throw err;
  }
  return db;
}

function newerSchema(path: string, version: number): GraphprofError {
  return new GraphprofError(
    `${path}: database schema version ${version} is newer than this graphprof understands (${schemaVersion}); upgrade graphprof`,
  );
}

function migrate(db: DB, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) throw newerSchema(path, version);
  if (version === schemaVersion) return;
  db.transaction(() => {
    for (let v = version; v < schemaVersion; v++) db.exec(migrations[v]);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
}

/** A Float32Array as a BLOB without copying. */
export function vectorBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A BLOB as a Float32Array (copied, so it is aligned and owned). */
export function blobVector(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
