/**
 * Learned fusion of profile parts into one pair of scoring vectors.
 *
 * Every part m scores a user and a product by a dot product of its own user
 * and product vectors (graph: cosine of skip-gram vectors; context: user input
 * vector · product output vector; text: cosine of mean review vectors; walk:
 * RP3β; popularity: log(1 + reviews)). Scores are made comparable by unit user
 * vectors (parts.ts builds them so) and one scale σ_m per part (the standard deviation of its scores over
 * a seeded sample of user–product pairs); the fused score is Σ_m w_m s_m / σ_m
 * with w ≥ 0, Σ w = 1. That sum is itself one dot product:
 *   fused user    = [ √(w_m/σ_m) · û_m ]_m
 *   fused product = [ √(w_m/σ_m) · p_m ]_m
 * so whatever reads the stored fused vectors (profile, similar, export,
 * segments) ranks exactly as the fusion scored.
 *
 * The weights are fitted on a validation split of the training reviews by a
 * listwise ranking loss (softmax cross-entropy of each held-out item among
 * the candidates, ListNet-style; convex, one optimum, continuous in the parts'
 * scores) and kept only when the blend beats the best single part out of fold
 * (blendHoldsOutOfFold); otherwise the best part alone is the profile, so a
 * part that carries no signal gets weight 0.
 */
import { choleskyInPlace, matrix } from './linalg.js';
import { itemsOf, type Interactions } from './interactions.js';
import { boundedTasks, CHECK_FOLDS, crossFolds, ObjectiveSum, clearlyBetter, TUNING_BUDGET, type ValidationScore, type ValidationTask } from './objective.js';
import { scoreScale, type FactorPart } from './walk-part.js';

export const partNames = ['graph', 'context', 'text', 'walk', 'popularity'] as const;
export type PartName = (typeof partNames)[number];

/** A part whose user rows are unit length (or zero): only the direction of a user vector matters to a ranking. */
export interface ScoringPart extends FactorPart {
  name: PartName;
}

export type FusionWeights = Partial<Record<PartName, number>>;

/** One part's slice of the fused vectors. */
export interface FusedSlice {
  name: PartName;
  weight: number;
  scale: number;
  offset: number;
  dim: number;
}

export interface FusedParts {
  dim: number;
  users: Float32Array;
  products: Float32Array;
  layout: FusedSlice[];
}

/**
 * σ of a part: the standard deviation of û·p over a seeded sample of at most
 * 256 users against at most 2,048 products.
 */
export function partScale(p: ScoringPart, seed: number): number {
  return scoreScale(p.users, p.products, p.dim, seed);
}

/** The fused scoring vectors of parts with their fitted weights (parts with weight 0 are left out). */
export function fuseParts(parts: readonly ScoringPart[], weights: FusionWeights, seed: number): FusedParts {
  const used = parts.filter((p) => (weights[p.name] ?? 0) > 0 && p.dim > 0);
  const layout: FusedSlice[] = [];
  let dim = 0;
  used.forEach((p) => {
    layout.push({ name: p.name, weight: weights[p.name] as number, scale: partScale(p, seed), offset: dim, dim: p.dim });
    dim += p.dim;
  });
  const nu = used.length ? used[0].users.length / used[0].dim : 0;
  const np = used.length ? used[0].products.length / used[0].dim : 0;
  const users = new Float32Array(nu * dim);
  const products = new Float32Array(np * dim);
  used.forEach((p, i) => {
    const s = layout[i];
    const f = Math.sqrt(s.weight / s.scale);
    const u = p.users;
    for (let r = 0; r < nu; r++) for (let c = 0; c < p.dim; c++) users[r * dim + s.offset + c] = f * u[r * p.dim + c];
    for (let r = 0; r < np; r++) for (let c = 0; c < p.dim; c++) products[r * dim + s.offset + c] = f * p.products[r * p.dim + c];
  });
  return { dim, users, products, layout };
}

export interface FusionFit {
  weights: FusionWeights;
  /** Validation Recall@K / NDCG@K of each part alone and of the fused scores. */
  validation: Partial<Record<PartName | 'fused', ValidationScore>>;
  tasks: number;
}

/** Candidate items ranked per validation task: all unseen items up to this many, else the union of each part's top ones. */
const ALL_CANDIDATES_MAX = 2000;
const TOP_PER_PART = 200;

interface TaskScores {
  /** Part-major [parts x candidates] standardised scores. */
  z: Float32Array;
  candidates: number;
  /** Position of the target among the candidates, -1 when it is not one. */
  target: number;
}

/**
 * The `count` unseen items ranked first by (score descending, index
 * ascending): exactly the first `count` of a full sort in that order, ties
 * included (the popularity part ties most items), by a bounded heap in
 * O(items log count) instead of sorting every item of a large catalogue.
 */
export function bestUnseen(scores: Float32Array, seen: ReadonlySet<number>, count: number): Int32Array {
  const heap = new Int32Array(count); // worst kept item at the root
  let size = 0;
  // a ranks after b
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  for (let j = 0; j < scores.length; j++) {
    if (seen.has(j)) continue;
    if (size < count) {
      heap[size] = j;
      for (let c = size++; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        const t = heap[c];
        heap[c] = heap[p];
        heap[p] = t;
        c = p;
      }
    } else if (count > 0 && worse(heap[0], j)) {
      heap[0] = j;
      down(0);
    }
  }
  return heap.subarray(0, size);
}

function taskScores(parts: readonly ScoringPart[], units: Float32Array[], scales: number[], t: ValidationTask, seen: Uint32Array, items: number): TaskScores {
  const all = new Float32Array(parts.length * items);
  parts.forEach((p, m) => {
    const d = p.dim;
    const u = units[m].subarray(t.user * d, (t.user + 1) * d);
    const inv = 1 / scales[m];
    for (let j = 0; j < items; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += u[c] * p.products[j * d + c];
      all[m * items + j] = s * inv;
    }
  });
  const seenSet = new Set(seen);
  let keep: number[];
  if (items - seen.length <= ALL_CANDIDATES_MAX) {
    keep = [];
    for (let j = 0; j < items; j++) if (!seenSet.has(j)) keep.push(j);
  } else {
    const chosen = new Set<number>();
    if (t.target >= 0 && !seenSet.has(t.target)) chosen.add(t.target);
    parts.forEach((_p, m) => {
      for (const j of bestUnseen(all.subarray(m * items, (m + 1) * items), seenSet, TOP_PER_PART)) chosen.add(j);
    });
    keep = Array.from(chosen).sort((a, b) => a - b);
  }
  const z = new Float32Array(parts.length * keep.length);
  parts.forEach((_p, m) => keep.forEach((j, c) => (z[m * keep.length + c] = all[m * items + j])));
  return { z, candidates: keep.length, target: t.target < 0 || seenSet.has(t.target) ? -1 : keep.indexOf(t.target) };
}

/** Rank of each task's target under scores a·s + b·z_m (s: current fused scores); k when it falls outside the top k. */
function ranksOf(tasks: readonly TaskScores[], current: readonly Float32Array[], m: number, a: number, b: number, k: number): Int32Array {
  const ranks = new Int32Array(tasks.length);
  tasks.forEach((t, i) => {
    if (t.target < 0) return void (ranks[i] = -1);
    const s = current[i];
    const z = t.z.subarray(m * t.candidates, (m + 1) * t.candidates);
    const st = a * s[t.target] + b * z[t.target];
    let rank = 0;
    for (let j = 0; j < t.candidates && rank < k; j++) {
      if (j === t.target) continue;
      const v = a * s[j] + b * z[j];
      if (v > st || (v === st && j < t.target)) rank++;
    }
    ranks[i] = rank;
  });
  return ranks;
}

function summed(ranks: Int32Array, k: number): ObjectiveSum {
  const sum = new ObjectiveSum(k);
  for (const r of ranks) sum.add(r);
  return sum;
}


interface Blend {
  /** The part that scores best alone on the tasks the blend was fitted on. */
  bestPart: number;
  /** Weights summing to 1 (the best part alone: 1 there, 0 elsewhere). */
  w: Float64Array;
}

/** The part scoring best alone on `tasks` (-1 when there is none); ties go to the earlier part. */
function bestAlone(tasks: readonly TaskScores[], M: number, k: number): number {
  const zero = tasks.map((t) => new Float32Array(t.candidates));
  let best = -1;
  let bestValue = -Infinity;
  for (let m = 0; m < M; m++) {
    const v = summed(ranksOf(tasks, zero, m, 0, 1, k), k).value();
    if (v > bestValue) {
      bestValue = v;
      best = m;
    }
  }
  return best;
}

/** Ridge on the listwise fit's weights: keeps its optimum unique and finite. */
const LISTWISE_RIDGE = 1e-3;

interface ListwiseTerms {
  loss: number;
  grad: Float64Array;
  /** Row-major M x M. */
  hess: Float64Array;
}

/**
 * Mean softmax cross-entropy of each task's target among its candidates under
 * scores Σ_m w_m z_m, plus the ridge; with its gradient and Hessian when asked.
 * Convex in w: the log-sum-exp of linear functions minus a linear one.
 */
function listwiseTerms(tasks: readonly TaskScores[], w: Float64Array, derivatives: boolean): ListwiseTerms {
  const M = w.length;
  const grad = new Float64Array(M);
  const hess = new Float64Array(M * M);
  const mean = new Float64Array(M);
  let loss = 0;
  let n = 0;
  const buffer = new Float64Array(tasks.reduce((most, t) => Math.max(most, t.candidates), 0));
  for (const t of tasks) {
    if (t.target < 0) continue;
    const C = t.candidates;
    const s = buffer.subarray(0, C);
    s.fill(0);
    for (let m = 0; m < M; m++) {
      if (w[m] === 0) continue;
      const z = t.z.subarray(m * C, (m + 1) * C);
      for (let j = 0; j < C; j++) s[j] += w[m] * z[j];
    }
    let top = -Infinity;
    for (let j = 0; j < C; j++) if (s[j] > top) top = s[j];
    let sum = 0;
    for (let j = 0; j < C; j++) sum += s[j] = Math.exp(s[j] - top);
    const logZ = Math.log(sum) + top;
    let target = 0;
    for (let m = 0; m < M; m++) target += w[m] * t.z[m * C + t.target];
    loss += logZ - target;
    n++;
    if (!derivatives) continue;
    // s now holds softmax numerators: p_j = s_j / sum.
    mean.fill(0);
    for (let j = 0; j < C; j++) {
      const p = s[j] / sum;
      if (p < 1e-12) continue;
      for (let a = 0; a < M; a++) {
        const za = t.z[a * C + j];
        mean[a] += p * za;
        for (let b = a; b < M; b++) hess[a * M + b] += p * za * t.z[b * C + j];
      }
    }
    for (let a = 0; a < M; a++) {
      grad[a] += mean[a] - t.z[a * C + t.target];
      for (let b = a; b < M; b++) hess[a * M + b] -= mean[a] * mean[b];
    }
  }
  const inv = 1 / Math.max(1, n);
  loss *= inv;
  for (let a = 0; a < M; a++) {
    loss += 0.5 * LISTWISE_RIDGE * w[a] * w[a];
    grad[a] = grad[a] * inv + LISTWISE_RIDGE * w[a];
    for (let b = a; b < M; b++) {
      hess[a * M + b] = hess[a * M + b] * inv + (a === b ? LISTWISE_RIDGE : 0);
      hess[b * M + a] = hess[a * M + b];
    }
  }
  return { loss, grad, hess };
}

/** Solves the symmetric positive definite system h x = r (h is k x k) by linalg's Cholesky; null if h is not positive definite. */
function solveSpd(h: Float64Array, r: Float64Array, k: number): Float64Array | null {
  let l: Float64Array;
  try {
    l = choleskyInPlace(matrix(k, k, h.slice())).data;
  } catch {
    return null;
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let v = r[i];
    for (let c = 0; c < i; c++) v -= l[i * k + c] * y[c];
    y[i] = v / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let v = y[i];
    for (let c = i + 1; c < k; c++) v -= l[c * k + i] * y[c];
    y[i] = v / l[i * k + i];
  }
  return y;
}

/**
 * Non-negative part weights that minimise the listwise loss over `tasks`
 * (softmax cross-entropy of the held-out item among the candidates, a
 * learned listwise ranker in the sense of ListNet), by projected Newton
 * steps (Bertsekas 1982) from the best single part. A smooth convex objective
 * has one optimum that moves little when a part's scores move little, so
 * runs whose skip-gram parts differ slightly (several threads) get nearly the
 * same weights — where a search over a grid of Recall/NDCG values, a step
 * function, could land on a different blend.
 */
function fitListwise(tasks: readonly TaskScores[], M: number, k: number): Blend | null {
  const bestPart = bestAlone(tasks, M, k);
  if (bestPart < 0) return null;
  let w = new Float64Array(M);
  w[bestPart] = 1;
  let terms = listwiseTerms(tasks, w, true);
  for (let iter = 0; iter < 50; iter++) {
    // Free: weights above 0, or at 0 with the gradient pointing inward.
    const free: number[] = [];
    for (let m = 0; m < M; m++) if (w[m] > 0 || terms.grad[m] < 0) free.push(m);
    const f = free.length;
    let gmax = 0;
    for (const m of free) gmax = Math.max(gmax, Math.abs(terms.grad[m]));
    if (f === 0 || gmax < 1e-7) break;
    const h = new Float64Array(f * f);
    const r = new Float64Array(f);
    free.forEach((a, i) => {
      r[i] = -terms.grad[a];
      free.forEach((b, j) => (h[i * f + j] = terms.hess[a * M + b]));
    });
    const step = solveSpd(h, r, f) ?? r;
    let moved = false;
    for (let t = 1; t > 1e-6; t /= 2) {
      const next = w.slice();
      free.forEach((m, i) => (next[m] = Math.max(0, w[m] + t * step[i])));
      const loss = listwiseTerms(tasks, next, false).loss;
      if (loss < terms.loss - 1e-12) {
        w = next;
        terms = listwiseTerms(tasks, w, true);
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    w.fill(0);
    w[bestPart] = 1;
  } else for (let m = 0; m < M; m++) w[m] /= total;
  return { bestPart, w };
}

/** Ranks of the tasks' targets under the fused scores Σ_m w_m z_m. */
function blendRanks(tasks: readonly TaskScores[], w: Float64Array, k: number): Int32Array {
  const fused = tasks.map((t) => {
    const s = new Float32Array(t.candidates);
    w.forEach((wm, m) => {
      if (wm === 0) return;
      const z = t.z.subarray(m * t.candidates, (m + 1) * t.candidates);
      for (let j = 0; j < t.candidates; j++) s[j] += wm * z[j];
    });
    return s;
  });
  return ranksOf(tasks, fused, 0, 1, 0, k);
}

/**
 * Whether fitting a blend beats picking the best single part on tasks neither
 * was fitted on. The ascent picks its weights as the maximum of many noisy
 * comparisons, so on the tasks it was fitted on it looks better than it is
 * (on a sparse shop with a few hundred validation users a popularity prior
 * passed an in-sample test and then lost on new users). Cross-fitting removes
 * that optimism: the tasks are split into seeded folds; for each fold both
 * procedures (ascent, best part alone) are fitted on the other folds and
 * scored on it; the blend is kept only if its out-of-fold ranks beat the best
 * part's out-of-fold ranks by more than one standard error (clearlyBetter).
 */
function blendHoldsOutOfFold(tasks: readonly TaskScores[], M: number, k: number, seed: number): boolean {
  const fold = crossFolds(tasks.length, seed);
  const blended: number[] = [];
  const alone: number[] = [];
  for (let f = 0; f < CHECK_FOLDS; f++) {
    const fit = tasks.filter((_, i) => fold[i] !== f);
    const held = tasks.filter((_, i) => fold[i] === f);
    const blend = fitListwise(fit, M, k);
    if (blend === null || held.length === 0) continue;
    const single = new Float64Array(M);
    single[blend.bestPart] = 1;
    blended.push(...blendRanks(held, blend.w, k));
    alone.push(...blendRanks(held, single, k));
  }
  return clearlyBetter(alone, blended, k);
}

/**
 * Fits non-negative weights on the validation tasks (parts fitted on the
 * training reviews minus the validation ones; `x` is that fit data, for the
 * items each user already reviewed). The blend fitted on all tasks is kept
 * only when a blend fitted the same way beats the best single part out of
 * fold (blendHoldsOutOfFold); otherwise the best part alone is used.
 */
export function fitFusion(parts: readonly ScoringPart[], x: Interactions, tasks: readonly ValidationTask[], k: number, seed: number): FusionFit {
  const usable = parts.filter((p) => p.dim > 0);
  const units = usable.map((p) => p.users);
  const scales = usable.map((p) => partScale(p, seed));
  const width = usable.reduce((d, p) => d + p.dim, 0);
  tasks = boundedTasks(tasks, Math.max(200, Math.floor(TUNING_BUDGET / Math.max(1, x.items * width))), seed);
  const scored = tasks.map((t) => taskScores(usable, units, scales, t, itemsOf(x, t.user), x.items));
  const M = usable.length;
  const validation: FusionFit['validation'] = {};
  const zero = scored.map((t) => new Float32Array(t.candidates));
  usable.forEach((p, m) => (validation[p.name] = summed(ranksOf(scored, zero, m, 0, 1, k), k).score()));
  const blend = fitListwise(scored, M, k);
  if (blend === null) return { weights: {}, validation, tasks: tasks.length };
  const { bestPart, w } = blend;
  const isBlend = w.some((v, m) => m !== bestPart && v > 0);
  if (isBlend && blendHoldsOutOfFold(scored, M, k, seed)) {
    validation.fused = summed(blendRanks(scored, w, k), k).score();
  } else {
    w.fill(0);
    w[bestPart] = 1;
    validation.fused = validation[usable[bestPart].name];
  }
  const weights: FusionWeights = {};
  usable.forEach((p, m) => {
    if (w[m] > 1e-12) weights[p.name] = Math.round(w[m] * 1e6) / 1e6;
  });
  return { weights, validation, tasks: tasks.length };
}
