/**
 * The text-vector cache contract. Vectors are keyed by (model id, text hash)
 * — see normalize.ts for the hash — so a refresh only encodes new text. The
 * store module implements it over SQLite; MemoryTextVectorCache serves tests
 * and one-off runs without a database.
 */
export interface TextVectorEntry {
  hash: string;
  vector: Float32Array;
}

export interface TextVectorCache {
  /** Vectors found for `hashes` under `modelId`; missing hashes are simply absent. */
  get(modelId: string, hashes: string[]): Map<string, Float32Array>;
  put(modelId: string, entries: TextVectorEntry[]): void;
}

export class MemoryTextVectorCache implements TextVectorCache {
  private readonly byModel = new Map<string, Map<string, Float32Array>>();

  get(modelId: string, hashes: string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const table = this.byModel.get(modelId);
    if (!table) return out;
    for (const h of hashes) {
      const v = table.get(h);
      if (v) out.set(h, v);
    }
    return out;
  }

  put(modelId: string, entries: TextVectorEntry[]): void {
    let table = this.byModel.get(modelId);
    if (!table) {
      table = new Map();
      this.byModel.set(modelId, table);
    }
    // Copies: callers may reuse the buffer the vector views.
    for (const e of entries) table.set(e.hash, Float32Array.from(e.vector));
  }

  /** Every entry held for one model. */
  *entries(modelId: string): Iterable<TextVectorEntry> {
    for (const [hash, vector] of this.byModel.get(modelId) ?? []) yield { hash, vector };
  }

  get size(): number {
    let n = 0;
    for (const t of this.byModel.values()) n += t.size;
    return n;
  }
}
