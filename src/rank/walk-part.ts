/**
 * The walk part of a profile: RP3β's three-step walk score as a dot product.
 *
 * RP3β scores item j for user u by Σ_{i ∈ items(u)} n_i^-α G_α[i][j] n_j^-β with
 * G_α = Xᵀ D_u^-α X (see item-models.ts). G_α is symmetric positive
 * semidefinite, so G_α ≈ E Eᵀ with E = V Λ^½ from its leading eigenpairs: an
 * item embedding of the walk. Then
 *   user vector    = Σ_{i ∈ items(u)} r_ui n_i^-α E_i   (an aggregate of what they reviewed)
 *   product vector = n_j^-β E_j
 * and user · product is the (rank-limited) RP3β score; product · product is
 * the walk similarity of two items with popularity divided out. r_ui weighs
 * recent reviews more (exp(-days before the user's newest review / τ); 1 for
 * RP3β itself): what someone reviewed last says most about what comes next.
 * With `sequence` w > 0 the user vector also carries the next-item
 * transitions from the user's newest items (sequence.ts), projected into the
 * same product space: user = û/σ_walk + w · a_u/σ_next, so user · product is
 * RP3β's score plus w times the transition score, each in units of its own
 * spread over users and products.
 */
import { itemDegree, recencyWeights, type Interactions } from './interactions.js';
import { cooccurrenceOperator, rp3Cooccurrence, type Rp3Params } from './item-models.js';
import { matrix, multiply, multiplyTransposed, symmetricEigen, truncatedEigen, type Eigenpairs, type Matrix } from './linalg.js';
import { uniform } from '../util/random.js';
import { normaliseRows } from '../fuse/vectors.js';
import { nextItemTransitions, sequenceUsers } from './sequence.js';

export interface WalkParams extends Rp3Params {
  /** Embedding size (rank of the factorisation); capped at the number of items. */
  dim: number;
  /**
   * A user's reviewed items weigh exp(-Δ/τ), Δ the days before the user's
   * newest review, τ this many days (null: all weigh 1, as in RP3β).
   */
  recencyDays: number | null;
  /** Weight of the next-item transitions relative to the walk's scores (0 or absent: RP3β alone; runs before it have none). */
  sequence?: number;
}

export interface WalkPartOptions extends WalkParams {
  seed: number;
  /** A basis [items x r] to start the subspace iteration from (an earlier pass's embedding): fewer iterations. */
  start?: Matrix;
}

/** User and product vectors of one profile part, row-aligned with the interaction matrix. */
export interface FactorPart {
  dim: number;
  users: Float32Array;
  products: Float32Array;
}

/**
 * `--walk-dim auto`: a catalogue of up to `exactMaxItems` products gets a
 * walk part of full rank — its dot products are RP3β's scores exactly (a
 * 256-rank cut of Musical Instruments' 900 products lost 2% of RP3β's
 * Recall@10), and a user vector of ≤ 1,024 floats is cheap; a larger one
 * gets `largeDim`, which keeps a million-review shop's vectors small.
 */
export const WALK_DIM_AUTO = { exactMaxItems: 1024, largeDim: 256 } as const;

/** The walk part's rank for a catalogue of `items` products. */
export function resolveWalkDim(walkDim: number | 'auto', items: number): number {
  if (walkDim !== 'auto') return walkDim;
  return items <= WALK_DIM_AUTO.exactMaxItems ? Math.max(1, items) : WALK_DIM_AUTO.largeDim;
}

/** Below this many items the exact eigen-decomposition of the dense G_α is used when the rank asks for all of it. */
const DENSE_EIGEN_MAX = 2500;

function eigenpairs(x: Interactions, o: Pick<WalkPartOptions, 'alpha' | 'seed' | 'start'>, k: number): Eigenpairs {
  if (k >= x.items && x.items <= DENSE_EIGEN_MAX) {
    const e = symmetricEigen(matrix(x.items, x.items, rp3Cooccurrence(x, o.alpha)));
    return { values: e.values, vectors: e.vectors };
  }
  return truncatedEigen(cooccurrenceOperator(x, o.alpha), k, uniform(o.seed), { oversample: 10, powerIterations: o.start ? 1 : 2, start: o.start });
}

/** The item embedding E [items x k] with E Eᵀ ≈ G_α: it depends on α only (β and τ only re-weigh it). */
export interface WalkEmbedding {
  alpha: number;
  dim: number;
  values: Float64Array;
}

export function walkEmbedding(x: Interactions, o: { alpha: number; dim: number; seed: number; start?: Matrix }): WalkEmbedding {
  const k = Math.max(1, Math.min(o.dim, x.items));
  const { values, vectors } = eigenpairs(x, o, k);
  const n = x.items;
  const cols = vectors.cols;
  const scale = Float64Array.from({ length: k }, (_, c) => Math.sqrt(Math.max(0, values[c] ?? 0)));
  const embedding = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) embedding[i * k + c] = vectors.data[i * cols + c] * scale[c];
  return { alpha: o.alpha, dim: k, values: embedding };
}

/** Product vectors n_j^-β E_j. */
export function walkProducts(x: Interactions, e: WalkEmbedding, beta: number): Float32Array {
  const k = e.dim;
  const products = new Float32Array(x.items * k);
  for (let j = 0; j < x.items; j++) {
    const d = itemDegree(x, j);
    if (d === 0) continue;
    const f = Math.pow(d, -beta);
    for (let c = 0; c < k; c++) products[j * k + c] = f * e.values[j * k + c];
  }
  return products;
}

/** User vectors Σ_{i ∈ items(u)} r_ui n_i^-α E_i of the given user rows (all users by default). */
export function walkUsers(x: Interactions, e: WalkEmbedding, recencyDays: number | null, users: ArrayLike<number> = Uint32Array.from({ length: x.users }, (_, u) => u)): Float32Array {
  const k = e.dim;
  const out = new Float32Array(users.length * k);
  const acc = new Float64Array(k);
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    acc.fill(0);
    const recency = recencyWeights(x, u, recencyDays);
    for (let a = x.userOffsets[u]; a < x.userOffsets[u + 1]; a++) {
      const i = x.userItems[a];
      const f = Math.pow(itemDegree(x, i), -e.alpha) * recency[a - x.userOffsets[u]];
      for (let c = 0; c < k; c++) acc[c] += f * e.values[i * k + c];
    }
    out.set(acc, b * k);
  }
  return out;
}

export function walkPart(x: Interactions, o: WalkPartOptions): FactorPart {
  const e = walkEmbedding(x, o);
  const products = walkProducts(x, e, o.beta);
  const users = walkUsers(x, e, o.recencyDays);
  return { dim: e.dim, users: o.sequence ? withSequence(x, users, products, e.dim, o.sequence, o.seed) : users, products };
}

/**
 * The two halves of a walk user vector with next-item transitions, û/σ_walk
 * (every user) and a_u/σ_next (the users `rows`, in that order; default all).
 * σ_next is the spread over the same seeded sample of users and products
 * whichever rows are asked for, so tuning (a few validation users) and train
 * (everyone) scale the transitions alike.
 */
export function walkAndSequenceUsers(
  x: Interactions,
  users: Float32Array,
  products: Float32Array,
  dim: number,
  seed: number,
  rows: ArrayLike<number> = Uint32Array.from({ length: x.users }, (_, u) => u),
): { walk: Float32Array; next: Float32Array } {
  const walk = normaliseRows(users.slice(), dim);
  const sw = scoreScale(walk, products, dim, seed);
  for (let c = 0; c < walk.length; c++) walk[c] /= sw;
  const sample = scaleSample(x.users, x.items, seed);
  const needed = Array.from(new Set([...Array.from(rows), ...sample.users]));
  const at = new Map(needed.map((u, r) => [u, r]));
  const vectors = sequenceUsers(x, nextItemTransitions(x), products, dim, needed);
  const sn = spreadOf(vectors, sample.users.map((u) => at.get(u) as number), products, sample.products, dim);
  const next = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const from = (at.get(rows[r]) as number) * dim;
    for (let c = 0; c < dim; c++) next[r * dim + c] = vectors[from + c] / sn;
  }
  return { walk, next };
}

function withSequence(x: Interactions, users: Float32Array, products: Float32Array, dim: number, weight: number, seed: number): Float32Array {
  const { walk, next } = walkAndSequenceUsers(x, users, products, dim, seed);
  for (let c = 0; c < walk.length; c++) walk[c] += weight * next[c];
  return walk;
}

/** The seeded sample of at most 256 users and 2,048 products that scoreScale looks at. */
export function scaleSample(users: number, products: number, seed: number): { users: number[]; products: number[] } {
  const rand = uniform(seed);
  const pick = (n: number, m: number): number[] => (n <= m ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: m }, () => Math.floor(rand() * n)));
  const sampled = pick(users, 256); // users first: the draw order is part of the sample
  return { users: sampled, products: pick(products, 2048) };
}

/**
 * The standard deviation of user · product over a seeded sample of at most
 * 256 users against at most 2,048 products (1 when there is no spread).
 */
export function scoreScale(users: Float32Array, products: Float32Array, dim: number, seed: number): number {
  const nu = users.length / Math.max(1, dim);
  const np = products.length / Math.max(1, dim);
  if (nu === 0 || np === 0 || dim === 0) return 1;
  const s = scaleSample(nu, np, seed);
  return spreadOf(users, s.users, products, s.products, dim);
}

/** The standard deviation of users[u] · products[j] over the given rows (1 when there is no spread). */
function spreadOf(users: Float32Array, userRows: readonly number[], products: Float32Array, productRows: readonly number[], dim: number): number {
  if (userRows.length === 0 || productRows.length === 0 || dim === 0) return 1;
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (const u of userRows) {
    for (const j of productRows) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += users[u * dim + c] * products[j * dim + c];
      sum += s;
      sq += s * s;
      n++;
    }
  }
  const variance = sq / n - (sum / n) ** 2;
  return variance > 1e-24 ? Math.sqrt(variance) : 1;
}

/**
 * Rotates a part into the basis of an earlier run's vectors of the same
 * products (orthogonal Procrustes: R = M (MᵀM)^-½ with M = Aᵀ B over the
 * shared products), so refresh keeps the space its segment centroids live in.
 * An orthogonal R leaves every user · product and product · product score as
 * it was: only the coordinates change. `earlier` rows are read at
 * `offset .. offset + dim` of rows `stride` wide (a slice of fused vectors).
 */
export function alignPart(part: FactorPart, pairs: readonly [number, number][], earlier: Float32Array, stride: number, offset: number): FactorPart {
  const k = part.dim;
  const m = new Float64Array(k * k);
  for (const [now, then] of pairs) {
    for (let a = 0; a < k; a++) {
      const x = part.products[now * k + a];
      if (x === 0) continue;
      for (let b = 0; b < k; b++) m[a * k + b] += x * earlier[then * stride + offset + b];
    }
  }
  const mm = multiplyTransposed(matrix(k, k, m), matrix(k, k, m));
  const { values, vectors } = symmetricEigen(mm);
  const floor = 1e-12 * Math.max(values[0] ?? 0, 1e-300);
  // (MᵀM)^-½ = V diag(λ^-½) Vᵀ; R = M (MᵀM)^-½.
  const inv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    if (!(values[c] > floor)) continue;
    const f = 1 / Math.sqrt(values[c]);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inv[i * k + j] += vectors.data[i * k + c] * f * vectors.data[j * k + c];
  }
  const r = multiply(matrix(k, k, m), matrix(k, k, inv)).data;
  const rotate = (rows: Float32Array): Float32Array => {
    const n = rows.length / k;
    const out = new Float32Array(rows.length);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < k; a++) {
        const x = rows[i * k + a];
        if (x === 0) continue;
        for (let b = 0; b < k; b++) out[i * k + b] += x * r[a * k + b];
      }
    }
    return out;
  };
  return { dim: k, users: rotate(part.users), products: rotate(part.products) };
}
