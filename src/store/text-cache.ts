/**
 * The text-vector cache over SQLite (table text_cache). Lookups read the
 * database; new vectors are held in memory until the run that produced them is
 * written, and go into the database inside that run's transaction, so a failed
 * run leaves the file exactly as it was.
 */
import type { Database as DB } from 'better-sqlite3';
import type { TextVectorCache, TextVectorEntry } from '../text/cache.js';
import { blobVector } from './store.js';

export class SqliteTextVectorCache implements TextVectorCache {
  private readonly pending = new Map<string, Map<string, Float32Array>>();

  constructor(private readonly db: DB) {}

  get(modelId: string, hashes: string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const mine = this.pending.get(modelId);
    const stmt = this.db.prepare('SELECT vector FROM text_cache WHERE model_id = ? AND text_hash = ?').pluck();
    for (const h of hashes) {
      const held = mine?.get(h);
      if (held) {
        out.set(h, held);
        continue;
      }
      const blob = stmt.get(modelId, h) as Buffer | undefined;
      if (blob) out.set(h, blobVector(blob));
    }
    return out;
  }

  put(modelId: string, entries: TextVectorEntry[]): void {
    let mine = this.pending.get(modelId);
    if (!mine) {
      mine = new Map();
      this.pending.set(modelId, mine);
    }
    for (const e of entries) mine.set(e.hash, Float32Array.from(e.vector));
  }

  /** New entries for one model, to hand to writeRun. */
  *pendingEntries(modelId: string): Iterable<TextVectorEntry> {
    for (const [hash, vector] of this.pending.get(modelId) ?? []) yield { hash, vector };
  }
}
