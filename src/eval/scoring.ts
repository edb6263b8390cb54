/**
 * Scoring of held-out reviews: who is ranked, every method's top-K (stored
 * vectors, profile parts, classical baselines) and Recall@K / NDCG@K, all on
 * one split. Products a user reviewed in training are never ranked.
 */
import type { Database as DB } from 'better-sqlite3';
import { NodeType, type NodeTypeCode } from '../graph/csr.js';
import type { ReviewTable } from '../ingest/records.js';
import { rowsOfKeys } from '../ingest/table.js';
import { readVectors } from '../store/vectors.js';
import { interactionsOf, itemsOf, type Interactions } from '../rank/interactions.js';
import type { ScoringPart } from '../rank/fusion.js';
import type { ValidationData } from '../rank/tune.js';
import { rankPopularity } from './baselines.js';
import { rankingScore } from './metrics.js';
import { rankByVectors, type RankRequest } from './rank.js';
import { validationSplit, validationTasks } from './split.js';

export type VectorKindName = 'graph' | 'text' | 'fused';

/** User and product vectors of each stored kind, row-aligned with the ids. */
export interface RankableVectors {
  userIds: string[];
  productIds: string[];
  dims: Record<VectorKindName, number>;
  users: Record<VectorKindName, Float32Array>;
  products: Record<VectorKindName, Float32Array>;
}

/** The vectors of a stored run, for scoring it (refresh bench). */
export function rankableFromRun(db: DB, runId: number): RankableVectors {
  const strip = (keys: string[]): string[] => keys.map((k) => k.slice(k.indexOf(':') + 1));
  const read = (type: NodeTypeCode) => ({
    graph: readVectors(db, runId, 'graph', type),
    text: readVectors(db, runId, 'text', type),
    fused: readVectors(db, runId, 'fused', type),
  });
  const u = read(NodeType.user);
  const p = read(NodeType.product);
  return {
    userIds: strip(u.fused.keys),
    productIds: strip(p.fused.keys),
    dims: { graph: u.graph.dim, text: u.text.dim, fused: u.fused.dim },
    users: { graph: u.graph.data, text: u.text.data, fused: u.fused.data },
    products: { graph: p.graph.data, text: p.text.data, fused: p.fused.data },
  };
}

export interface RankingContext {
  /** Training interactions over the rows of the ids. */
  x: Interactions;
  requests: RankRequest[];
  /** Held-out product row per request, -1 when that product never appears in training. */
  targets: number[];
  userRow: Map<string, number>;
  productRow: Map<string, number>;
}

/** Who is evaluated on which held-out product, and what each user already reviewed: `train` and `test` are rows of `reviews`. */
export function rankingContext(userIds: readonly string[], productIds: readonly string[], reviews: ReviewTable, train: Uint32Array, test: Uint32Array): RankingContext {
  const userRow = new Map(userIds.map((id, i) => [id, i]));
  const productRow = new Map(productIds.map((id, i) => [id, i]));
  const x = interactionsOf(reviews, train, userRow, productRow);
  const requests: RankRequest[] = [];
  const targets: number[] = [];
  const uOf = rowsOfKeys(reviews.userKeys, userRow);
  const pOf = rowsOfKeys(reviews.productKeys, productRow);
  for (const r of test) {
    const u = uOf[reviews.user[r]!]!;
    if (u < 0) continue;
    requests.push({ user: u, seen: itemsOf(x, u) });
    targets.push(pOf[reviews.product[r]!]!);
  }
  return { x, requests, targets, userRow, productRow };
}

export interface MethodScores {
  recall: Record<string, number>;
  ndcg: Record<string, number>;
}

const round = (v: number): number => Math.round(v * 10000) / 10000;

/** Recall@k and NDCG@k of each method's rankings, rounded to 4 decimals. */
export function scoreRankings(rankings: Record<string, Uint32Array[]>, targets: readonly number[], k: number): MethodScores {
  const out: MethodScores = { recall: {}, ndcg: {} };
  for (const [m, r] of Object.entries(rankings)) {
    const s = rankingScore(r, targets, k);
    out.recall[m] = round(s.recall);
    out.ndcg[m] = round(s.ndcg);
  }
  return out;
}

/** Rankings by each stored vector kind (text only when there are text vectors). */
export function rankStoredKinds(v: RankableVectors, ctx: RankingContext, k: number): Record<string, Uint32Array[]> {
  const out: Record<string, Uint32Array[]> = {};
  for (const kind of ['graph', 'text', 'fused'] as const) {
    if (v.dims[kind] > 0) out[kind] = rankByVectors(v.users[kind], v.products[kind], v.dims[kind], ctx.requests, k);
  }
  return out;
}

/** Popularity and the stored kinds: what a stored run can be scored by (refresh bench). */
export function scoreStoredRun(v: RankableVectors, ctx: RankingContext, k: number): MethodScores {
  return scoreRankings({ popularity: rankPopularity(ctx.x, ctx.requests, k), ...rankStoredKinds(v, ctx, k) }, ctx.targets, k);
}

/**
 * The validation split the baselines are tuned on: the same seeded split of
 * the training reviews that the profile pipeline learns its fusion on.
 */
export function tuningData(ctx: RankingContext, reviews: ReviewTable, train: Uint32Array, k: number, split: { maxUsers: number; seed: number }): ValidationData {
  const inner = validationSplit(reviews, train, split);
  const x = interactionsOf(reviews, inner.train, ctx.userRow, ctx.productRow);
  return { x, tasks: validationTasks(reviews, inner.test, ctx.userRow, ctx.productRow), k };
}

/** Rankings of profile parts (row-aligned with the context's ids), named `part:<name>`. */
export function rankParts(parts: readonly ScoringPart[], ctx: RankingContext, k: number): Record<string, Uint32Array[]> {
  const out: Record<string, Uint32Array[]> = {};
  for (const p of parts) {
    if (p.name === 'graph' || p.name === 'text' || p.name === 'popularity') continue; // the stored kinds and the popularity baseline rank the same
    out[p.name] = rankByVectors(p.users, p.products, p.dim, ctx.requests, k);
  }
  return out;
}
