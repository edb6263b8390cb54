/**
 * Facts about a whole database (table settings), and the one kept today: how
 * its user ids are stored. The first write that stores user ids fixes it —
 * raw ids, or pseudonyms with one key, remembered by the key's fingerprint
 * (never the key) — and every later write must match, because a write with
 * another key or none would split every returning user in two.
 */
import type { Database as DB } from 'better-sqlite3';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { keyFingerprint } from '../util/pseudonym.js';

const pseudonymKey = 'pseudonym_key_fingerprint';
const rawIds = 'raw';

export function readSetting(db: DB, key: string): string | null {
  const v = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return v ?? null;
}

export function writeSetting(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** How the database's user ids are stored: 'raw', a key fingerprint, 'unknown key' (runs of an older graphprof), or null (no user ids yet). */
function storedIdMode(db: DB): string | null {
  const set = readSetting(db, pseudonymKey);
  if (set !== null) return set;
  if (!db.prepare('SELECT EXISTS (SELECT 1 FROM reviews)').pluck().get()) return null;
  // Written before the setting existed: the runs' parameters tell whether a key was used.
  const params = db.prepare(`SELECT params FROM runs WHERE status = 'complete' AND kind IN ('ingest', 'train')`).pluck().all() as string[];
  return params.some((p) => (JSON.parse(p) as { pseudonymized?: unknown }).pseudonymized === true) ? 'unknown key' : rawIds;
}

/**
 * Checks that a write with `pseudonymize` (null: raw ids) matches the ids the
 * database holds; throws a usage error saying why not. Returns what to call
 * once the write is done (inside its transaction) to remember the mode.
 */
export function checkUserIdMode(db: DB, pseudonymize: ((userId: string) => string) | null): () => void {
  const mode = storedIdMode(db);
  const fingerprint = pseudonymize ? keyFingerprint(pseudonymize) : rawIds;
  const where = db.name;
  if (mode === rawIds && pseudonymize) {
    throw new GraphprofError(
      `${where} holds raw user ids (its runs were written without --pseudonymize); pseudonymising now would split every returning user in two; write pseudonymised runs to a new database (--db)`,
      ExitCode.usage,
    );
  }
  if (mode !== null && mode !== rawIds && !pseudonymize) {
    throw new GraphprofError(
      `${where}: the user ids in this database are pseudonymised; pass the same key file with --pseudonymize (raw ids would split every returning user in two)`,
      ExitCode.usage,
    );
  }
  if (mode !== null && mode !== rawIds && mode !== 'unknown key' && mode !== fingerprint) {
    throw new GraphprofError(
      `${where}: the key given to --pseudonymize is not the key this database was pseudonymised with (key fingerprints ${fingerprint.slice(0, 9)}… and ${mode.slice(0, 9)}…); use the original key file`,
      ExitCode.usage,
    );
  }
  return () => {
    if (mode === fingerprint) return;
    if (db.prepare('SELECT EXISTS (SELECT 1 FROM reviews)').pluck().get()) writeSetting(db, pseudonymKey, fingerprint);
  };
}
