/**
 * The graphprof database: one SQLite file (better-sqlite3), WAL mode, schema
 * migrated on open. Runs are written by `writeRun`, which does everything in a
 * single transaction and flips the run to 'complete' as its last statement, so
 * a failure or crash leaves the file with exactly the rows it had before.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database as DB } from 'better-sqlite3';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { migrations, schemaVersion } from './schema.js';

export const defaultDbPath = 'graphprof.db';

let sqlite: typeof BetterSqlite3 | undefined;

/**
 * better-sqlite3, loaded on the first open rather than on import: the command
 * line imports this module for defaultDbPath before it knows whether the
 * command opens a database at all (`--help`, `sample`, `embed-graph` do not).
 */
function newDatabase(...args: ConstructorParameters<typeof BetterSqlite3>): DB {
  sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return new sqlite(...args);
}

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
      `${path}: the database is locked by another graphprof process that is writing to it (ingest, train, refresh or eval); wait for it to finish and try again`,
      ExitCode.databaseLocked,
    );
  }
}

export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** SQLite result codes of a file that cannot be opened or written where it is. */
function isCannotWriteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM');
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why SQLite cannot write `path`, in words: the directory, the file, or SQLite's own message. */
function cannotWrite(path: string, err: unknown): GraphprofError {
  const dir = dirname(resolve(path));
  let why: string;
  if (!existsSync(dir)) why = `the directory ${dir} does not exist`;
  else if (!writable(dir)) why = `the directory ${dir} is not writable (SQLite keeps ${basename(path)}-wal and -shm files beside the database)`;
  else if (existsSync(path) && !writable(path)) why = 'the file is read-only';
  else why = err instanceof Error ? err.message : String(err);
  return new GraphprofError(`${path}: cannot write the database: ${why}`, ExitCode.usage);
}

/**
 * Opens (creating and migrating if needed) the database at `path`. With
 * `readonly` nothing is ever written, and a database in a directory this
 * process cannot write is still read (see openReadOnly).
 */
export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (opts.readonly) return openReadOnly(path, opts);
  if (!existsSync(dirname(resolve(path)))) throw cannotWrite(path, null);
  let db: DB;
  try {
    db = newDatabase(path);
  } catch (err) {
    if (isCannotWriteError(err)) throw cannotWrite(path, err);
    throw new GraphprofError(`${path}: cannot open database: ${(err as Error).message}`);
  }
  const busyTimeoutMs = opts.busyTimeoutMs ?? 10_000;
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  try {
    // Before anything is written (a no-op on an existing file): see storePageSize.
    db.pragma(`page_size = ${storePageSize}`);
    setWalMode(db, busyTimeoutMs);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  } catch (err) {
    db.close();
    if (isBusyError(err)) throw new DatabaseLockedError(path);
    if (isCannotWriteError(err)) throw cannotWrite(path, err);
    throw err;
  }
  return db;
}

/**
 * Switches to WAL mode. SQLite does not wait (no busy handler) when another
 * process holds a lock at that moment, as happens when several create the
 * same new file at once; so retry, with a short sleep, for up to the busy timeout.
 */
function setWalMode(db: DB, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(2 * pause, 100)) {
    let mode: unknown = null;
    let busy: unknown = null;
    try {
      mode = db.pragma('journal_mode = WAL', { simple: true });
    } catch (err) {
      if (!isBusyError(err)) throw err;
      busy = err;
    }
    if (mode === 'wal') return;
    if (Date.now() >= deadline) {
      if (busy !== null) throw busy;
      throw new GraphprofError(`${db.name}: cannot switch the database to WAL mode (it stays in "${String(mode)}" mode; a file system without shared memory, such as some network drives, cannot hold graphprof databases)`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  }
}

/**
 * A read-only connection. SQLite reads a WAL-mode database only if it can
 * create the -shm file beside it (or it exists); in a directory this process
 * cannot write, and with no un-checkpointed -wal file, the database file is
 * complete on its own and is read from memory instead (costing its size in
 * RAM). The connection's `name` is the file either way.
 */
function openReadOnly(path: string, opts: OpenOptions): DB {
  if (!existsSync(path)) {
    throw new GraphprofError(`${path}: no such database; run "graphprof ingest" or "graphprof train" first`, ExitCode.usage);
  }
  let db: DB | undefined;
  try {
    db = newDatabase(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    checkVersion(db, path);
    return db;
  } catch (err) {
    if (db?.open) db.close();
    if (err instanceof GraphprofError) throw err;
    if (!isCannotWriteError(err) || writable(dirname(resolve(path)))) {
      throw new GraphprofError(`${path}: cannot open database: ${(err as Error).message}`);
    }
  }
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new GraphprofError(
      `${path}: cannot read the database: ${wal} holds changes that were never checkpointed, and SQLite cannot create ${basename(path)}-shm in ${dirname(resolve(path))} (not writable); open it once where it can be written, or copy the three files elsewhere`,
      ExitCode.usage,
    );
  }
  const image = readFileSync(path);
  // Bytes 18 and 19 of the header say "WAL mode" (2); an in-memory image has no WAL, so mark it a rollback-journal file (1).
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) image.fill(1, 18, 20);
  let memory: DB;
  try {
    memory = newDatabase(image, { readonly: true });
  } catch (err) {
    throw new GraphprofError(`${path}: cannot open database: ${(err as Error).message}`);
  }
  // better-sqlite3 calls an in-memory image ":memory:"; messages (and the output guards) need the file's name.
  const named = new Proxy(memory, { get: (target, key) => (key === 'name' ? path : Reflect.get(target, key, target)) });
  checkVersion(named, path);
  return named;
}

function checkVersion(db: DB, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) {
    db.close();
    throw newerSchema(path, version);
  }
}

function newerSchema(path: string, version: number): GraphprofError {
  return new GraphprofError(
    `${path}: database schema version ${version} is newer than this graphprof understands (${schemaVersion}); upgrade graphprof`,
  );
}

/**
 * Brings the schema to the current version. The version is read again inside
 * one IMMEDIATE transaction, so processes creating or upgrading the same file
 * at once migrate it exactly once (the others wait for the lock, then find it
 * current).
 */
function migrate(db: DB, path: string): void {
  const current = (): number => db.pragma('user_version', { simple: true }) as number;
  const seen = current();
  if (seen > schemaVersion) throw newerSchema(path, seen);
  if (seen === schemaVersion) return;
  db.transaction(() => {
    const version = current();
    if (version > schemaVersion) throw newerSchema(path, version);
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
