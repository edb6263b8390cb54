/**
 * Hyperparameters of the item-item recommenders chosen on a validation split
 * carved from the training reviews: RP3β's α and β (also the walk part's),
 * EASE^R's λ. Each candidate is scored with the validation objective
 * (objective.ts); the best one wins, ties going to the earlier grid point.
 */
import { itemDegree, itemsOf, recencyWeights, type Interactions } from './interactions.js';
import { ease, EASE_MAX_ITEMS, itemItemScores, rp3Cooccurrence, type ItemItem, type Rp3Params } from './item-models.js';
import { boundedTasks, CHECK_FOLDS, crossFolds, ObjectiveSum, clearlyBetter, targetRank, TUNING_BUDGET, type ValidationScore, type ValidationTask } from './objective.js';
import { walkEmbedding, walkProducts, walkUsers } from './walk-part.js';

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
}

function better(a: ValidationScore, b: ValidationScore | undefined): boolean {
  return b === undefined || a.recall + a.ndcg > b.recall + b.ndcg;
}

/** One tried (α, β, τ) and the rank of each validation task's target under it. */
interface Rp3Candidate {
  params: WalkTuning;
  ranks: Int32Array;
}

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
function bestCandidate(cands: readonly Rp3Candidate[], k: number, use?: (task: number) => boolean): Rp3Candidate {
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
 * Whether choosing among every (α, β, τ) beats choosing among plain RP3β's
 * (α, β) on tasks the choice was not made on: cross-fitted like the fusion's
 * blend (fusion.ts), since the best of many τ looks better on the tasks it was
 * picked on than it is.
 */
function recencyHoldsOutOfFold(cands: readonly Rp3Candidate[], tasks: number, k: number, seed: number): boolean {
  const fold = crossFolds(tasks, seed);
  const plainCands = cands.filter((c) => c.params.recencyDays === null);
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

/**
 * α, β (and, for the walk part, the recency τ) on the validation split. The
 * RP3β baseline is tuned with `recency: false`: classical RP3β weighs every
 * reviewed item alike.
 */
export function tuneRp3(v: ValidationData, seed: number, opts: { recency: boolean }): Tuned<WalkTuning> {
  const n = v.x.items;
  const taus = opts.recency ? tuningGrids.recencyDays : [null];
  const cands: Rp3Candidate[] = [];
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
    const e = walkEmbedding(v.x, { alpha, dim: FACTORISED_TUNING_DIM, seed });
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
  const plain = bestCandidate(cands.filter((c) => c.params.recencyDays === null), v.k);
  const any = bestCandidate(cands, v.k);
  const best = any.params.recencyDays !== null && recencyHoldsOutOfFold(cands, v.tasks.length, v.k, seed) ? any : plain;
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
