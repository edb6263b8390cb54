/**
 * Evaluation metrics: Recall@K and NDCG@K for leave-one-out ranking (one
 * held-out item per user), and the adjusted Rand index between two labelings.
 */

/** Rank (0-based) of `target` in `ranked`, or -1. */
function rankOf(ranked: Uint32Array, target: number): number {
  for (let i = 0; i < ranked.length; i++) if (ranked[i] === target) return i;
  return -1;
}

export interface RankingScore {
  recall: number;
  ndcg: number;
  users: number;
}

/** Averages hit and discounted gain over users; each user has one relevant item. */
export function rankingScore(rankings: readonly Uint32Array[], targets: ArrayLike<number>, k: number): RankingScore {
  let hits = 0;
  let gain = 0;
  for (let u = 0; u < rankings.length; u++) {
    const r = rankOf(rankings[u].subarray(0, k), targets[u]);
    if (r >= 0) {
      hits++;
      gain += 1 / Math.log2(r + 2);
    }
  }
  const n = Math.max(1, rankings.length);
  return { recall: hits / n, ndcg: gain / n, users: rankings.length };
}

function choose2(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Adjusted Rand index (Hubert & Arabie) of two labelings of the same items. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`adjustedRandIndex: labelings differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]} ${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const v of table.values()) index += choose2(v);
  let sumRows = 0;
  for (const v of rows.values()) sumRows += choose2(v);
  let sumCols = 0;
  for (const v of cols.values()) sumCols += choose2(v);
  const expected = (sumRows * sumCols) / choose2(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
