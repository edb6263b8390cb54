/**
 * Keeping a database bounded: what takes its space, per table (SQLite's
 * dbstat), and deleting runs. A run is deleted with every row that belongs to
 * it, in one IMMEDIATE transaction; review texts and cached text vectors no
 * remaining run uses go with it; then the file is vacuumed and the WAL
 * truncated, so the space really returns to the file system. A kept run whose
 * parent was deleted keeps its data and simply shows no parent.
 */
import type { Database as DB } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { hashText, listRuns } from './runs.js';
import { DatabaseLockedError, isBusyError, storePageSize } from './store.js';

/** Tables whose rows belong to one run (by run_id). */
const perRunTables = ['nodes', 'edges', 'reviews', 'products', 'vectors', 'vector_blocks', 'segments', 'assignments', 'sgns_state', 'sgns_state_blocks', 'segment_matches', 'tag_models', 'tag_scores', 'user_drift'] as const;

/** Bytes of the database file and its WAL, as the file system sees them. */
export function fileBytes(path: string): number {
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      // no such file: nothing to count
    }
  }
  return total;
}

/** Bytes per table (indexes counted with their table), largest first. */
export function tableBytes(db: DB): { table: string; bytes: number }[] {
  const rows = db
    .prepare(
      `SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes
       FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name
       GROUP BY tbl ORDER BY bytes DESC`,
    )
    .all() as { tbl: string; bytes: number }[];
  return rows.map((r) => ({ table: r.tbl, bytes: r.bytes }));
}

export interface PruneResult {
  deleted: number[];
  bytesBefore: number;
  bytesAfter: number;
}

/** The ids of the runs to delete so that only the newest `keep` complete runs remain. */
export function runsBeyond(db: DB, keep: number): number[] {
  if (!Number.isInteger(keep) || keep < 0) throw new GraphprofError(`runs: --keep-last must be a whole number >= 0, not ${keep}`, ExitCode.usage);
  const ids = listRuns(db).map((r) => r.id);
  return ids.slice(0, Math.max(0, ids.length - keep));
}

/** Deletes the given complete runs and everything only they used, then compacts the file. */
export function deleteRuns(db: DB, ids: readonly number[]): PruneResult {
  const path = db.name;
  const bytesBefore = fileBytes(path);
  const known = new Set(listRuns(db).map((r) => r.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new GraphprofError(`${path}: no complete run with id ${missing.join(', ')} (see "graphprof runs")`, ExitCode.usage);
  if (ids.length > 0) {
    const remove = db.transaction(() => {
      const orphan = db.prepare('UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?');
      const byTable = perRunTables.map((t) => db.prepare(`DELETE FROM ${t} WHERE run_id = ?`));
      const run = db.prepare('DELETE FROM runs WHERE id = ?');
      for (const id of ids) {
        orphan.run(id);
        for (const stmt of byTable) stmt.run(id);
        run.run(id);
      }
      db.exec('DELETE FROM texts WHERE hash NOT IN (SELECT text_hash FROM reviews WHERE text_hash IS NOT NULL)');
      // Cached vectors stay for every text a remaining run holds: review texts, and product titles (encoded too).
      db.exec('CREATE TEMP TABLE IF NOT EXISTS kept_text (hash TEXT PRIMARY KEY) WITHOUT ROWID');
      db.exec('DELETE FROM temp.kept_text');
      db.exec('INSERT OR IGNORE INTO temp.kept_text SELECT hash FROM texts');
      const keep = db.prepare('INSERT OR IGNORE INTO temp.kept_text VALUES (?)');
      for (const title of db.prepare("SELECT DISTINCT title FROM products WHERE title <> ''").pluck().all() as string[]) keep.run(hashText(title));
      db.exec('DELETE FROM text_cache WHERE text_hash NOT IN (SELECT hash FROM temp.kept_text)');
      db.exec('DROP TABLE temp.kept_text');
    });
    try {
      remove.immediate();
    } catch (err) {
      if (isBusyError(err)) throw new DatabaseLockedError(path);
      throw err;
    }
  }
  compact(db);
  return { deleted: [...ids], bytesBefore, bytesAfter: fileBytes(path) };
}

/**
 * VACUUM and truncate the WAL, so freed pages leave the file. A file made with
 * smaller pages is rebuilt with the store's page size, which needs the WAL off
 * for the VACUUM; if another process has the file open that cannot happen, and
 * the file is compacted as it is.
 */
export function compact(db: DB): void {
  try {
    if ((db.pragma('page_size', { simple: true }) as number) !== storePageSize && toPageSize(db)) return;
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    if (isBusyError(err)) throw new DatabaseLockedError(db.name);
    throw err;
  }
}

function toPageSize(db: DB): boolean {
  if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return false;
  try {
    db.pragma(`page_size = ${storePageSize}`);
    db.exec('VACUUM');
  } finally {
    db.pragma('journal_mode = WAL');
  }
  return true;
}
