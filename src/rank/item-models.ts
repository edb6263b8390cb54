/**
 * Item-item recommenders on binary interactions: a user's score for item j is
 * Σ_{i reviewed} W[i][j]. The classical baselines graphprof is measured
 * against, and the source of the walk part of its profiles:
 *
 * - ItemKNN: W = cosine of item columns, c_ij / sqrt(n_i n_j).
 * - EASE^R (Steck 2019): P = (XᵀX + λI)⁻¹, W = I − P diag(1/diag P) (zero diagonal).
 * - RP3β (Paudel et al. 2017): the three-step walk user → item → user → item,
 *   W = P_iu^α · P_ui^α with column j divided by pop_j^β. With binary X,
 *   P_iu[i][u] = 1/n_i and P_ui[u][j] = 1/n_u, so
 *   W_ij = n_i^-α · n_j^-β · Σ_u X_ui X_uj n_u^-α.
 *
 * The diagonal of W only ever scores items a user already reviewed, which a
 * ranking skips, so it is zeroed everywhere for clarity.
 */
import { invertSpd, matrix, type Matrix, type SymmetricOperator } from './linalg.js';
import { itemDegree, userDegree, type Interactions } from './interactions.js';

/** Dense item-item weights, row-major [items x items]. */
export interface ItemItem {
  items: number;
  weights: Float64Array;
}

/** EASE^R needs a dense inverse of n_items²: beyond this many items it is skipped. */
export const EASE_MAX_ITEMS = 20_000;

/** Σ_u w_u X_ui X_uj for every item pair (dense), w_u = userWeight(degree). */
function weightedCooccurrence(x: Interactions, userWeight: (degree: number) => number): Float64Array {
  const n = x.items;
  const g = new Float64Array(n * n);
  for (let u = 0; u < x.users; u++) {
    const s = x.userOffsets[u];
    const e = x.userOffsets[u + 1];
    const w = userWeight(e - s);
    for (let a = s; a < e; a++) {
      const row = x.userItems[a] * n;
      for (let b = s; b < e; b++) g[row + x.userItems[b]] += w;
    }
  }
  return g;
}

export function itemKnnCosine(x: Interactions): ItemItem {
  const n = x.items;
  const g = weightedCooccurrence(x, () => 1);
  const norm = Float64Array.from({ length: n }, (_, i) => Math.sqrt(itemDegree(x, i)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = norm[i] * norm[j];
      g[i * n + j] = i === j || d === 0 ? 0 : g[i * n + j] / d;
    }
  }
  return { items: n, weights: g };
}

/**
 * Groups of items that some user links (connected pieces of the co-review
 * graph). XᵀX + λI is block diagonal over them, and so is its inverse: EASE^R
 * inverts each block alone, which on a sparse shop of many small pieces costs a
 * fraction of one n_items³ inverse, and exactly the same on a connected one.
 */
export function itemPieces(x: Interactions): Uint32Array[] {
  const parent = Uint32Array.from({ length: x.items }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (let u = 0; u < x.users; u++) {
    const s = x.userOffsets[u];
    for (let a = s + 1; a < x.userOffsets[u + 1]; a++) {
      const r = find(x.userItems[a]);
      const q = find(x.userItems[s]);
      if (r !== q) parent[Math.max(r, q)] = Math.min(r, q);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.items; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return Array.from(groups.values(), (g) => Uint32Array.from(g));
}

export function ease(x: Interactions, lambda: number): ItemItem {
  const n = x.items;
  if (n > EASE_MAX_ITEMS) throw new Error(`ease: ${n} items exceed the dense limit of ${EASE_MAX_ITEMS}`);
  if (!(lambda > 0)) throw new Error(`ease: lambda is ${lambda}; expected a positive number`);
  const g = weightedCooccurrence(x, () => 1);
  const w = new Float64Array(n * n);
  for (const piece of itemPieces(x)) {
    const m = piece.length;
    const block = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) block[a * m + b] = g[piece[a] * n + piece[b]];
    for (let a = 0; a < m; a++) block[a * m + a] += lambda;
    const p = invertSpd(matrix(m, m, block)).data;
    // B[i][j] = -P[i][j] / P[j][j] off the diagonal; zero across pieces.
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) if (a !== b) w[piece[a] * n + piece[b]] = -p[a * m + b] / p[b * m + b];
  }
  return { items: n, weights: w };
}

export interface Rp3Params {
  alpha: number;
  beta: number;
}

/** Σ_u X_ui X_uj n_u^-α, the part of RP3β that depends on α only (β and the row factor scale it). */
export function rp3Cooccurrence(x: Interactions, alpha: number): Float64Array {
  return weightedCooccurrence(x, (d) => Math.pow(d, -alpha));
}

export function rp3beta(x: Interactions, p: Rp3Params, cooccurrence = rp3Cooccurrence(x, p.alpha)): ItemItem {
  const n = x.items;
  const w = new Float64Array(n * n);
  const rowScale = Float64Array.from({ length: n }, (_, i) => (itemDegree(x, i) > 0 ? Math.pow(itemDegree(x, i), -p.alpha) : 0));
  const colScale = Float64Array.from({ length: n }, (_, j) => (itemDegree(x, j) > 0 ? Math.pow(itemDegree(x, j), -p.beta) : 0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) w[i * n + j] = rowScale[i] * cooccurrence[i * n + j] * colScale[j];
  }
  return { items: n, weights: w };
}

/**
 * G_α = Xᵀ D_u^-α X (the α-weighted co-occurrence behind RP3β) as an operator,
 * never formed: each product is two sparse passes, O(nnz · r), so a truncated
 * eigen-decomposition scales to catalogues whose dense n_items² would not fit.
 */
export function cooccurrenceOperator(x: Interactions, alpha: number): SymmetricOperator {
  const user = Float64Array.from({ length: x.users }, (_, u) => (userDegree(x, u) > 0 ? Math.pow(userDegree(x, u), -alpha) : 0));
  const { userOffsets, userItems, itemOffsets, itemUsers } = x;
  // The users x r intermediate (200 MB at 100k users and r = 266) is reused by every product of the same width.
  let y = new Float64Array(0);
  return {
    size: x.items,
    apply: (v: Matrix): Matrix => {
      const r = v.cols;
      const vd = v.data;
      if (y.length !== x.users * r) y = new Float64Array(x.users * r);
      for (let u = 0; u < x.users; u++) {
        const yu = u * r;
        for (let c = 0; c < r; c++) y[yu + c] = 0;
        for (let a = userOffsets[u]; a < userOffsets[u + 1]; a++) {
          const vi = userItems[a] * r;
          for (let c = 0; c < r; c++) y[yu + c] += vd[vi + c];
        }
        const w = user[u];
        for (let c = 0; c < r; c++) y[yu + c] *= w;
      }
      const out = new Float64Array(x.items * r);
      for (let i = 0; i < x.items; i++) {
        const oi = i * r;
        for (let a = itemOffsets[i]; a < itemOffsets[i + 1]; a++) {
          const yu = itemUsers[a] * r;
          for (let c = 0; c < r; c++) out[oi + c] += y[yu + c];
        }
      }
      return matrix(x.items, r, out);
    },
  };
}

/** Scores of `users` for every item: rows of Σ_{i ∈ items(u)} W[i][:] (Float32, [users x items]). */
export function itemItemScores(x: Interactions, model: ItemItem, users: ArrayLike<number>, out: Float32Array = new Float32Array(users.length * model.items)): Float32Array {
  const n = model.items;
  const w = model.weights;
  out.fill(0);
  const acc = new Float64Array(n);
  for (let b = 0; b < users.length; b++) {
    acc.fill(0);
    const u = users[b];
    for (let a = x.userOffsets[u]; a < x.userOffsets[u + 1]; a++) {
      const row = x.userItems[a] * n;
      for (let j = 0; j < n; j++) acc[j] += w[row + j];
    }
    out.set(acc, b * n);
  }
  return out;
}
