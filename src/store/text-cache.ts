/**
 * The text-vector cache over SQLite (table text_cache). Lookups read the
 * database; new vectors are held in memory until the run that produced them is
 * written, and go into the database inside that run's transaction, so a failed
 * run leaves the file exactly as it was.
 */
import type { Database as DB } from 'better-sqlite3';
import { MemoryTextVectorCache, type TextVectorCache, type TextVectorEntry } from '../text/cache.js';
import { blobVector } from './store.js';

export class SqliteTextVectorCache implements TextVectorCache {
  /** New vectors of this run, not yet in the database. */
  private readonly pending = new MemoryTextVectorCache();

  constructor(private readonly db: DB) {}

  get(modelId: string, hashes: string[]): Map<string, Float32Array> {
    const out = this.pending.get(modelId, hashes);
    const stmt = this.db.prepare('SELECT vector FROM text_cache WHERE model_id = ? AND text_hash = ?').pluck();
    for (const h of hashes) {
      if (out.has(h)) continue;
      const blob = stmt.get(modelId, h) as Buffer | undefined;
      if (blob) out.set(h, blobVector(blob));
    }
    return out;
  }

  put(modelId: string, entries: TextVectorEntry[]): void {
    this.pending.put(modelId, entries);
  }

  /** New entries for one model, to hand to writeRun. */
  pendingEntries(modelId: string): Iterable<TextVectorEntry> {
    return this.pending.entries(modelId);
  }
}
