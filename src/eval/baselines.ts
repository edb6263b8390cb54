/**
 * Classical recommenders ranked in the same eval run, on the same split, as
 * graphprof's vectors: popularity, ItemKNN (cosine), EASE^R and RP3β. EASE's λ
 * and RP3β's α, β are chosen on the validation split carved from the training
 * reviews (`tuning`), then the model is refitted on all training reviews.
 */
import { itemDegree, type Interactions } from '../rank/interactions.js';
import { ease, EASE_MAX_ITEMS, itemItemScores, itemKnnCosine, rp3beta, type ItemItem } from '../rank/item-models.js';
import { tuneEase, tuneRp3, type ValidationData } from '../rank/tune.js';
import type { ValidationScore } from '../rank/objective.js';
import { rankByScores, type RankRequest } from './rank.js';

export const baselineNames = ['popularity', 'itemknn', 'ease', 'rp3beta'] as const;
export type BaselineName = (typeof baselineNames)[number];

/** Dense item-item baselines hold n_items² doubles; beyond this they are skipped with a note. */
export const DENSE_BASELINE_MAX_ITEMS = EASE_MAX_ITEMS;

export interface BaselineRanking {
  name: BaselineName;
  /** Top-k product rows per request; absent when the baseline was skipped. */
  rankings?: Uint32Array[];
  /** Tuned hyperparameters and their validation score. */
  params?: Record<string, number>;
  validation?: ValidationScore;
  skipped?: string;
}

/** Most-reviewed products first. */
export function rankPopularity(x: Interactions, requests: readonly RankRequest[], k: number): Uint32Array[] {
  const popularity = Float32Array.from({ length: x.items }, (_, j) => itemDegree(x, j));
  return rankByScores(requests, x.items, k, (rows, buf) => rows.forEach((_u, b) => buf.set(popularity, b * x.items)));
}

function rankItemItem(x: Interactions, model: ItemItem, requests: readonly RankRequest[], k: number): Uint32Array[] {
  return rankByScores(requests, x.items, k, (rows, out) => itemItemScores(x, model, rows, out.subarray(0, rows.length * x.items)));
}

function tooMany(x: Interactions): string | undefined {
  return x.items > DENSE_BASELINE_MAX_ITEMS ? `skipped: ${x.items} items exceed the dense limit of ${DENSE_BASELINE_MAX_ITEMS}` : undefined;
}

/**
 * Rankings of every baseline. `x`: all training interactions (rows = the
 * requests' user and product rows); `tuning`: the validation split inside them.
 */
export function rankBaselines(x: Interactions, requests: readonly RankRequest[], k: number, tuning: ValidationData, seed: number): BaselineRanking[] {
  const out: BaselineRanking[] = [{ name: 'popularity', rankings: rankPopularity(x, requests, k) }];
  const skip = tooMany(x);
  if (skip) return [...out, ...(['itemknn', 'ease', 'rp3beta'] as const).map((name) => ({ name, skipped: skip }))];
  out.push({ name: 'itemknn', rankings: rankItemItem(x, itemKnnCosine(x), requests, k) });
  const e = tuneEase(tuning) as NonNullable<ReturnType<typeof tuneEase>>; // null only beyond EASE_MAX_ITEMS, excluded above
  out.push({ name: 'ease', rankings: rankItemItem(x, ease(x, e.params.lambda), requests, k), params: e.params, validation: e.validation });
  const r = tuneRp3(tuning, seed, { recency: false });
  out.push({ name: 'rp3beta', rankings: rankItemItem(x, rp3beta(x, r.params), requests, k), params: { alpha: r.params.alpha, beta: r.params.beta }, validation: r.validation });
  return out;
}
