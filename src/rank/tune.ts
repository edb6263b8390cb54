/**
 * Hyperparameters of the item-item recommenders chosen on a validation split
 * carved from the training reviews: RP3β's α and β (also the walk part's),
 * EASE^R's λ. Each candidate is scored with the validation objective
 * (objective.ts); the best one wins, ties going to the earlier grid point.
 */
import { itemDegree, itemsOf, recencyWeights, type Interactions } from './interactions.js';
import { ease, EASE_MAX_ITEMS, itemItemScores, rp3Cooccurrence, type ItemItem, type Rp3Params } from './item-models.js';
import { boundedTasks, CHECK_FOLDS, crossFolds, ObjectiveSum, clearlyBetter, targetRank, TUNING_BUDGET, type ValidationScore, type ValidationTask } from './objective.js';
import { hasOrder } from './sequence.js';
import { walkAndSequenceUsers, walkEmbedding, walkProducts, walkUsers, type WalkEmbedding, type WalkParams } from './walk-part.js';

/** Interactions a model is fitted on (training minus validation) and the validation reviews it is scored on. */
export interface ValidationData {
  x: Interactions;
  tasks: readonly ValidationTask[];
  k: number;
}

export const tuningGrids = {
  rp3Alpha: [0.25, 0.5, 0.75, 1],
  rp3Beta: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  /** τ of the walk part's recency weights, in days (null: off, RP3β's uniform weights). */
  recencyDays: [null, 365, 90, 30, 7, 1],
  /** Weight of the walk part's next-item transitions (sequence.ts) relative to its RP3β scores (0: off). */
  sequence: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
  easeLambda: [10, 50, 100, 250, 500, 1000],
} as const;

export interface WalkTuning extends Rp3Params {
  recencyDays: number | null;
}

/** Above this many items RP3β is tuned on its factorised walk part with α fixed at 0.5 (a dense n² per α would not fit). */
export const RP3_DENSE_TUNING_MAX_ITEMS = 4000;
const FACTORISED_TUNING_DIM = 64;

/** Validation score of a dense item-item model. */
export function validateItemItem(v: ValidationData, model: ItemItem): ValidationScore {
  const sum = new ObjectiveSum(v.k);
  const scores = new Float32Array(model.items);
  for (const t of v.tasks) {
    itemItemScores(v.x, model, [t.user], scores);
    sum.add(targetRank(scores, t.target, itemsOf(v.x, t.user)));
  }
  return sum.score();
}

export interface Tuned<P> {
  params: P;
  validation: ValidationScore;
  /** Rank of each validation task's target under the chosen parameters. */
  ranks?: Int32Array;
  /** The walk embedding the tuning was scored on (large catalogues), for tuneSequence to reuse. */
  embedding?: WalkEmbedding;
}

function better(a: ValidationScore, b: ValidationScore | undefined): boolean {
  return b === undefined || a.recall + a.ndcg > b.recall + b.ndcg;
}

/** One tried parameter setting and the rank of each validation task's target under it. */
interface Candidate<P> {
  params: P;
  ranks: Int32Array;
}
type Rp3Candidate = Candidate<WalkTuning>;

/**
 * Every β for one (α, τ): base[u][j] = Σ_{i ∈ items(u)} score(i, j) is
 * computed once, and β only scales item j's column by n_j^-β.
 */
function tryBetas(v: ValidationData, base: (user: number, out: Float32Array) => void, fixed: Omit<WalkTuning, 'beta'>, out: Rp3Candidate[]): void {
  const n = v.x.items;
  const rows = v.tasks.map((t) => {
    const s = new Float32Array(n);
    base(t.user, s);
    return s;
  });
  const scaled = new Float32Array(n);
  for (const beta of tuningGrids.rp3Beta) {
    const col = Float32Array.from({ length: n }, (_, j) => (itemDegree(v.x, j) > 0 ? Math.pow(itemDegree(v.x, j), -beta) : 0));
    const ranks = new Int32Array(v.tasks.length);
    v.tasks.forEach((t, r) => {
      const s = rows[r];
      for (let j = 0; j < n; j++) scaled[j] = s[j] * col[j];
      ranks[r] = targetRank(scaled, t.target, itemsOf(v.x, t.user));
    });
    out.push({ params: { ...fixed, beta }, ranks });
  }
}

/** The objective of `ranks` over the tasks `use` accepts (all by default). */
function objectiveOf(ranks: Int32Array, k: number, use: (task: number) => boolean = () => true): ValidationScore {
  const sum = new ObjectiveSum(k);
  ranks.forEach((r, i) => use(i) && sum.add(r));
  return sum.score();
}

/** The candidate scoring best on the accepted tasks; ties go to the earlier one. */
function bestCandidate<P>(cands: readonly Candidate<P>[], k: number, use?: (task: number) => boolean): Candidate<P> {
  let best = cands[0];
  let bestScore = objectiveOf(best.ranks, k, use);
  for (const c of cands.slice(1)) {
    const score = objectiveOf(c.ranks, k, use);
    if (better(score, bestScore)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Whether choosing among every candidate beats choosing among the plain ones
 * (recency off, transitions off) on tasks the choice was not made on:
 * cross-fitted like the fusion's blend (fusion.ts), since the best of many
 * settings looks better on the tasks it was picked on than it is.
 */
function choiceHoldsOutOfFold<P>(cands: readonly Candidate<P>[], isPlain: (p: P) => boolean, tasks: number, k: number, seed: number): boolean {
  const fold = crossFolds(tasks, seed);
  const plainCands = cands.filter((c) => isPlain(c.params));
  const plain: number[] = [];
  const any: number[] = [];
  for (let f = 0; f < CHECK_FOLDS; f++) {
    const fit = (i: number): boolean => fold[i] !== f;
    const p = bestCandidate(plainCands, k, fit).ranks;
    const a = bestCandidate(cands, k, fit).ranks;
    for (let i = 0; i < tasks; i++) {
      if (fold[i] !== f) continue;
      plain.push(p[i]);
      any.push(a[i]);
    }
  }
  return clearlyBetter(plain, any, k);
}

/** The plain candidates' best, or every candidate's best when choosing among all of them holds out of fold. */
function chooseCandidate<P>(cands: readonly Candidate<P>[], isPlain: (p: P) => boolean, tasks: number, k: number, seed: number): Candidate<P> {
  const plain = bestCandidate(cands.filter((c) => isPlain(c.params)), k);
  const any = bestCandidate(cands, k);
  return !isPlain(any.params) && choiceHoldsOutOfFold(cands, isPlain, tasks, k, seed) ? any : plain;
}

/**
 * α, β (and, for the walk part, the recency τ) on the validation split. The
 * RP3β baseline is tuned with `recency: false`: classical RP3β weighs every
 * reviewed item alike.
 */
export function tuneRp3(v: ValidationData, seed: number, opts: { recency: boolean }): Tuned<WalkTuning> {
  const n = v.x.items;
  const taus = opts.recency ? tuningGrids.recencyDays : [null];
  const cands: Rp3Candidate[] = [];
  let embedding: WalkEmbedding | undefined;
  if (n <= RP3_DENSE_TUNING_MAX_ITEMS) {
    for (const alpha of tuningGrids.rp3Alpha) {
      const g = rp3Cooccurrence(v.x, alpha);
      const row = Float64Array.from({ length: n }, (_, i) => (itemDegree(v.x, i) > 0 ? Math.pow(itemDegree(v.x, i), -alpha) : 0));
      for (const recencyDays of taus) {
        tryBetas(v, (u, out) => {
          out.fill(0);
          const items = itemsOf(v.x, u);
          const recency = recencyWeights(v.x, u, recencyDays);
          items.forEach((i, a) => {
            const f = row[i] * recency[a];
            for (let j = 0; j < n; j++) if (j !== i) out[j] += f * g[i * n + j];
          });
        }, { alpha, recencyDays }, cands);
      }
    }
  } else {
    // Large catalogues: one truncated embedding for α = 0.5; τ re-weighs the users, β the products.
    const alpha = 0.5;
    v = { ...v, tasks: boundedTasks(v.tasks, Math.max(200, Math.floor(TUNING_BUDGET / (n * FACTORISED_TUNING_DIM * taus.length))), seed) };
    const e = (embedding = walkEmbedding(v.x, { alpha, dim: FACTORISED_TUNING_DIM, seed }));
    const products = walkProducts(v.x, e, 0);
    const d = e.dim;
    for (const recencyDays of taus) {
      const users = walkUsers(v.x, e, recencyDays, v.tasks.map((t) => t.user));
      const row = new Map(v.tasks.map((t, b) => [t.user, b]));
      tryBetas(v, (u, out) => {
        const b = row.get(u) as number;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += users[b * d + c] * products[j * d + c];
          out[j] = s;
        }
      }, { alpha, recencyDays }, cands);
    }
  }
  // Recency weights only when choosing them beats plain RP3β out of fold by more than one standard error.
  const best = chooseCandidate(cands, (p) => p.recencyDays === null, v.tasks.length, v.k, seed);
  return { params: best.params, validation: objectiveOf(best.ranks, v.k), ranks: best.ranks, embedding };
}

/**
 * The weight of the walk part's next-item transitions (sequence.ts) on the
 * validation split, for the walk part `walk` already tuned: the part is built
 * on the fit data as train builds it (at rank 64 above 4,000 items), every
 * weight of the grid scores the validation tasks, and a weight above 0 is kept
 * only when choosing it beats the walk part alone out of fold by more than one
 * standard error. 0 without timestamps (no order to learn from).
 */
export function tuneSequence(v: ValidationData, walk: WalkParams, seed: number, tuned?: WalkEmbedding): Tuned<{ sequence: number }> {
  if (!hasOrder(v.x) || v.tasks.length === 0) return { params: { sequence: 0 }, validation: { recall: 0, ndcg: 0 } };
  const n = v.x.items;
  // Large catalogues: tuned on a 64-rank walk part, as α, β and τ are (its full rank would cost more than the tuning is worth);
  // that is the embedding tuneRp3 scored, when its α is this one.
  const dim = n > RP3_DENSE_TUNING_MAX_ITEMS ? Math.min(walk.dim, FACTORISED_TUNING_DIM) : walk.dim;
  const e = tuned && tuned.alpha === walk.alpha && tuned.dim === Math.min(dim, n) ? tuned : walkEmbedding(v.x, { alpha: walk.alpha, dim, seed });
  const d = e.dim;
  const products = walkProducts(v.x, e, walk.beta);
  const tasks = boundedTasks(v.tasks, Math.max(200, Math.floor(TUNING_BUDGET / Math.max(1, 2 * n * d))), seed);
  const halves = walkAndSequenceUsers(v.x, walkUsers(v.x, e, walk.recencyDays), products, d, seed, tasks.map((t) => t.user));
  const scoresOf = (users: Float32Array, u: number): Float32Array => {
    const out = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += users[u * d + c] * products[j * d + c];
      out[j] = s;
    }
    return out;
  };
  const walkScores = tasks.map((t) => scoresOf(halves.walk, t.user));
  const nextScores = tasks.map((_t, r) => scoresOf(halves.next, r));
  const combined = new Float32Array(n);
  const cands: Candidate<{ sequence: number }>[] = tuningGrids.sequence.map((sequence) => {
    const ranks = new Int32Array(tasks.length);
    tasks.forEach((t, r) => {
      for (let j = 0; j < n; j++) combined[j] = walkScores[r][j] + sequence * nextScores[r][j];
      ranks[r] = targetRank(combined, t.target, itemsOf(v.x, t.user));
    });
    return { params: { sequence }, ranks };
  });
  const best = chooseCandidate(cands, (p) => p.sequence === 0, tasks.length, v.k, seed);
  return { params: best.params, validation: objectiveOf(best.ranks, v.k), ranks: best.ranks };
}

/** λ of EASE^R; null when the catalogue is too large for its dense inverse. */
export function tuneEase(v: ValidationData): Tuned<{ lambda: number }> | null {
  if (v.x.items > EASE_MAX_ITEMS) return null;
  let best: Tuned<{ lambda: number }> | undefined;
  for (const lambda of tuningGrids.easeLambda) {
    const score = validateItemItem(v, ease(v.x, lambda));
    if (better(score, best?.validation)) best = { params: { lambda }, validation: score };
  }
  return best ?? null;
}
