/**
 * Next-item transitions: what users reviewed right after an item.
 *
 * RP3β (item-models.ts) sees which items a user reviewed, not in what order;
 * recency weights (interactions.ts) say how long ago, not what followed what.
 * Order is what a transition matrix keeps (the first-order Markov chain of
 * FPMC, Rendle et al. 2010):
 *   T[i][j] = steps i -> j / steps out of i,
 * a step being two reviews of one user at consecutive review times (two
 * reviews at the same time, whose order is unknown, count a step each way).
 * A user's next-item scores t_u are the mean of T's rows of the items they
 * reviewed at their newest review time.
 *
 * The walk part (walk-part.ts) takes them as user vectors in its own product
 * space: a_u = (PᵀP + εI)⁻¹ Pᵀ t_u, the least-squares fit of t_u by the walk's
 * product vectors P, so a_u · p_j ≈ t_u[j] (exactly when P has full rank) and
 * the walk part keeps its size and its basis (refresh aligns it as before).
 */
import { itemsOf, type Interactions } from './interactions.js';
import { gram, invertSpd, matrix, multiply } from './linalg.js';

/** T in CSR form: row i's successors `next[offsets[i] .. offsets[i + 1]]` with their shares (summing to 1). */
export interface Transitions {
  offsets: Uint32Array;
  next: Uint32Array;
  share: Float64Array;
}

/** Whether the interactions have an order to learn from: some user reviewed at two different times. */
export function hasOrder(x: Interactions): boolean {
  for (let u = 0; u < x.users; u++) {
    const t0 = x.itemTimes[x.userOffsets[u]];
    for (let a = x.userOffsets[u] + 1; a < x.userOffsets[u + 1]; a++) if (x.itemTimes[a] !== t0 && !Number.isNaN(x.itemTimes[a]) && !Number.isNaN(t0)) return true;
  }
  return false;
}

/** A user's entries (indices into userItems) by review time, ties by item. */
function byTime(x: Interactions, u: number): number[] {
  const order: number[] = [];
  for (let a = x.userOffsets[u]; a < x.userOffsets[u + 1]; a++) order.push(a);
  return order.sort((a, b) => x.itemTimes[a] - x.itemTimes[b] || x.userItems[a] - x.userItems[b]);
}

/** T of the interactions (see the top of this file). */
export function nextItemTransitions(x: Interactions): Transitions {
  const n = x.items;
  const steps = new Map<number, number>();
  const add = (i: number, j: number): void => void steps.set(i * n + j, (steps.get(i * n + j) ?? 0) + 1);
  for (let u = 0; u < x.users; u++) {
    const seq = byTime(x, u);
    // Groups of one review time, in time order.
    let start = 0;
    let previous: number[] = [];
    while (start < seq.length) {
      let end = start + 1;
      while (end < seq.length && x.itemTimes[seq[end]] === x.itemTimes[seq[start]]) end++;
      const group = seq.slice(start, end).map((a) => x.userItems[a]);
      for (const i of previous) for (const j of group) add(i, j);
      for (const i of group) for (const j of group) if (i !== j) add(i, j);
      previous = group;
      start = end;
    }
  }
  const keys = Float64Array.from(steps.keys()).sort();
  const offsets = new Uint32Array(n + 1);
  const next = new Uint32Array(keys.length);
  const share = new Float64Array(keys.length);
  keys.forEach((key, e) => {
    const i = Math.floor(key / n);
    offsets[i + 1]++;
    next[e] = key - i * n;
    share[e] = steps.get(key) as number;
  });
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  for (let i = 0; i < n; i++) {
    let out = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) out += share[e];
    for (let e = offsets[i]; e < offsets[i + 1]; e++) share[e] /= out;
  }
  return { offsets, next, share };
}

/** The items user u reviewed at their newest review time (all of them without timestamps). */
export function newestItems(x: Interactions, u: number): number[] {
  const items = itemsOf(x, u);
  const s = x.userOffsets[u];
  const newest = x.userTimes[u];
  if (Number.isNaN(newest)) return Array.from(items);
  return Array.from(items).filter((_, a) => x.itemTimes[s + a] === newest);
}

/** A user's next-item scores t_u as (item, score) pairs: the mean of T's rows of their newest items. */
export function nextItemScores(x: Interactions, t: Transitions, u: number): Map<number, number> {
  const from = newestItems(x, u);
  const scores = new Map<number, number>();
  for (const i of from) {
    for (let e = t.offsets[i]; e < t.offsets[i + 1]; e++) scores.set(t.next[e], (scores.get(t.next[e]) ?? 0) + t.share[e] / from.length);
  }
  return scores;
}

/**
 * User vectors a_u [rows x dim] of the users `rows` (default all), with
 * a_u · p_j the least-squares fit of user u's next-item scores by the product
 * vectors P [items x dim]. The ridge ε (1e-9 of PᵀP's mean diagonal) only
 * keeps directions P does not span from blowing up.
 */
export function sequenceUsers(x: Interactions, t: Transitions, products: Float32Array, dim: number, rows: ArrayLike<number> = Uint32Array.from({ length: x.users }, (_, u) => u)): Float32Array {
  const p = matrix(x.items, dim, Float64Array.from(products));
  const g = gram(p);
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += g.data[a * dim + a];
  const ridge = Math.max(1e-300, (1e-9 * trace) / Math.max(1, dim));
  for (let a = 0; a < dim; a++) g.data[a * dim + a] += ridge;
  // Q = P (PᵀP + εI)⁻¹, row j: what one unit of next-item score on item j adds to a_u.
  const q = multiply(p, invertSpd(g)).data;
  const users = new Float32Array(rows.length * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) {
    acc.fill(0);
    for (const [j, s] of nextItemScores(x, t, rows[r])) for (let b = 0; b < dim; b++) acc[b] += s * q[j * dim + b];
    users.set(acc, r * dim);
  }
  return users;
}
