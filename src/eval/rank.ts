/**
 * Ranking for evaluation: the top K products of many users at once.
 *
 * Dot-product methods (stored vectors) are scored as blocked matrix products:
 * a block of users against a tile of products, so each tile of product rows is
 * reused from cache by every user of the block instead of one full scan of the
 * product matrix per user. Item-item baselines score a block of users from
 * their reviewed items. Products a user reviewed in training are never ranked.
 */
import { topK } from '../fuse/vectors.js';

const USER_BLOCK = 64;
const PRODUCT_TILE = 256;

/** Who is ranked: a user row, and the product rows that user already reviewed (sorted ascending). */
export interface RankRequest {
  user: number;
  seen: Uint32Array;
}

/** scores[b][j] = users[rows[b]] · products[j] for a block of rows, [rows x products]. */
export function blockScores(users: Float32Array, products: Float32Array, dim: number, rows: ArrayLike<number>, out: Float32Array): Float32Array {
  const np = products.length / Math.max(1, dim);
  const nb = rows.length;
  for (let p0 = 0; p0 < np; p0 += PRODUCT_TILE) {
    const p1 = Math.min(np, p0 + PRODUCT_TILE);
    for (let b = 0; b < nb; b++) {
      const ub = rows[b] * dim;
      const ob = b * np;
      for (let j = p0; j < p1; j++) {
        const pj = j * dim;
        let s = 0;
        for (let c = 0; c < dim; c++) s += users[ub + c] * products[pj + c];
        out[ob + j] = s;
      }
    }
  }
  return out;
}

function skipSeen(seen: Uint32Array): (j: number) => boolean {
  if (seen.length === 0) return () => false;
  const set = new Set(seen);
  return (j) => set.has(j);
}

/** Top-k products of every request, by dot product of stored user and product vectors. */
export function rankByVectors(users: Float32Array, products: Float32Array, dim: number, requests: readonly RankRequest[], k: number): Uint32Array[] {
  return rankByScores(requests, products.length / Math.max(1, dim), k, (rows, out) => blockScores(users, products, dim, rows, out));
}

/**
 * Top-k of every request from a block scorer: `score(rows, out)` fills
 * out[b * items + j] for the users of the block.
 */
export function rankByScores(requests: readonly RankRequest[], items: number, k: number, score: (rows: Uint32Array, out: Float32Array) => void): Uint32Array[] {
  const out: Uint32Array[] = new Array<Uint32Array>(requests.length);
  const buffer = new Float32Array(USER_BLOCK * items);
  for (let r0 = 0; r0 < requests.length; r0 += USER_BLOCK) {
    const block = requests.slice(r0, r0 + USER_BLOCK);
    const rows = Uint32Array.from(block, (q) => q.user);
    score(rows, buffer);
    block.forEach((q, b) => {
      out[r0 + b] = topK(buffer.subarray(b * items, (b + 1) * items), k, skipSeen(q.seen));
    });
  }
  return out;
}
