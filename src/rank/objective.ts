/**
 * The objective every tuned or learned part of graphprof maximises on its
 * validation split (reviews held out from the TRAINING reviews, never the
 * evaluation's test reviews): Recall@K + NDCG@K of one held-out item per user,
 * with ties broken like `topK` (the lower item index ranks first).
 */
import { uniform } from '../util/random.js';

/** A held-out review on the validation split: a user row and the item row they reviewed next (-1: an item unseen in the fit data). */
export interface ValidationTask {
  user: number;
  target: number;
}

/**
 * At most `max` of the tasks (a seeded sample, in their order): tuning on a
 * large catalogue scores every item for every task, so its cost is bounded by
 * the number of tasks it looks at.
 */
export function boundedTasks<T>(tasks: readonly T[], max: number, seed: number): T[] {
  if (tasks.length <= max) return tasks.slice();
  const rand = uniform(seed);
  const order = tasks.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, Math.max(1, max)).sort((a, b) => a - b).map((i) => tasks[i]);
}

/** Multiply-adds one tuning pass may spend scoring its tasks (items x vector size x tasks). */
export const TUNING_BUDGET = 2e9;

/** What a tuned model scored on its validation split. */
export interface ValidationScore {
  recall: number;
  ndcg: number;
}

/** Sums hits and gains of target ranks (-1 or >= k: a miss). */
export class ObjectiveSum {
  private hits = 0;
  private gain = 0;
  private n = 0;
  constructor(readonly k: number) {}

  add(rank: number): void {
    this.n++;
    if (rank >= 0 && rank < this.k) {
      this.hits++;
      this.gain += 1 / Math.log2(rank + 2);
    }
  }

  score(): ValidationScore {
    const n = Math.max(1, this.n);
    return { recall: this.hits / n, ndcg: this.gain / n };
  }

  /** The quantity maximised: Recall@K + NDCG@K. */
  value(): number {
    const s = this.score();
    return s.recall + s.ndcg;
  }
}

/** One task's share of the objective: hit + discounted gain (rank -1 or >= k: 0). */
export const gainOf = (rank: number, k: number): number => (rank >= 0 && rank < k ? 1 + 1 / Math.log2(rank + 2) : 0);

/**
 * The paired t statistic of the objective's change from ranks `before` to
 * ranks `after` (same tasks): mean per-task gain difference over its standard
 * error. The objective is a mean of per-task gains, so this tests the very
 * quantity tuning maximises.
 */
export function pairedGainT(before: ArrayLike<number>, after: ArrayLike<number>, k: number): number {
  const n = before.length;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = gainOf(after[i], k) - gainOf(before[i], k);
    sum += d;
    sq += d * d;
  }
  if (n < 2 || sum === 0) return 0;
  const mean = sum / n;
  const variance = (sq - n * mean * mean) / (n - 1);
  return variance > 0 ? mean / Math.sqrt(variance / n) : Math.sign(mean) * Infinity;
}

/**
 * Whether ranks `after` beat ranks `before` on the validation tasks by more
 * than one standard error of the paired difference (t > 1): the
 * one-standard-error rule of cross-validated model selection (Breiman et al.
 * 1984; Hastie, Tibshirani & Friedman, ESL 7.10) — the richer model (a blend,
 * recency weights) is kept only when its out-of-fold gain is larger than the
 * noise of that gain; otherwise the simpler one is. Both callers score
 * out-of-fold ranks, which already removes the optimism of choosing and
 * scoring on the same tasks, so no further margin is needed: a blend that is
 * truly no better than its best part passes with probability about 0.16 and
 * then costs nothing in expectation, while the earlier one-sided 95% test
 * (t >= 1.645) threw away real gains of small shops (the sample shop's
 * text + walk blend, +7% of the objective out of fold at t 1.54 on 259 tasks).
 */
export function clearlyBetter(before: ArrayLike<number>, after: ArrayLike<number>, k: number): boolean {
  return pairedGainT(before, after, k) > 1;
}

/** Folds of the cross-fitted checks (fusion.ts, tune.ts). */
export const CHECK_FOLDS = 5;

/** A seeded assignment of n tasks to `folds` folds of (nearly) equal size. */
export function crossFolds(n: number, seed: number, folds = CHECK_FOLDS): Int32Array {
  const rand = uniform(seed ^ 0x5eed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(n);
  order.forEach((t, i) => (fold[t] = i % folds));
  return fold;
}

/**
 * 0-based rank of `target` among the items not in `seen` (sorted ascending),
 * by descending score; -1 when the target is unknown or was seen.
 */
export function targetRank(scores: ArrayLike<number>, target: number, seen: Uint32Array): number {
  if (target < 0) return -1;
  const st = scores[target];
  let rank = 0;
  let s = 0;
  for (let j = 0; j < scores.length; j++) {
    if (s < seen.length && seen[s] === j) {
      s++;
      continue;
    }
    if (j === target) continue;
    const v = scores[j];
    if (v > st || (v === st && j < target)) rank++;
  }
  for (const v of seen) if (v === target) return -1;
  return rank;
}
