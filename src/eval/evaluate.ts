/**
 * The evaluation of one set of profiles on held-out reviews: every method in
 * one run on one split — the classical baselines (tuned on the validation
 * split inside the training reviews), graphprof's stored vector kinds and its
 * profile parts — scored by Recall@K and NDCG@K.
 */
import { fuse } from '../fuse/fuse.js';
import type { ReviewTable } from '../ingest/records.js';
import type { ScoringPart } from '../rank/fusion.js';
import { rankBaselines, type BaselineName } from './baselines.js';
import { rankingScore } from './metrics.js';
import { rankByVectors } from './rank.js';
import { rankingContext, rankParts, rankStoredKinds, scoreRankings, tuningData, type RankableVectors, type RankingContext } from './scoring.js';

/** Table order: baselines, then graphprof's parts and stored kinds, fused last. */
export const methodOrder = ['popularity', 'itemknn', 'ease', 'rp3beta', 'graph', 'context', 'walk', 'text', 'fused'] as const;

export interface BaselineInfo {
  params?: Record<string, number>;
  /** Validation Recall@K + NDCG@K its parameters were chosen by. */
  validation?: { recall: number; ndcg: number };
  skipped?: string;
}

export interface Evaluation {
  k: number;
  users: number;
  heldOutProductsUnseen: number;
  /** Methods scored, in table order. */
  methods: string[];
  recall: Record<string, number>;
  ndcg: Record<string, number>;
  baselines: Partial<Record<BaselineName, BaselineInfo>>;
  /** Fixed graph/text blends by text weight, when a sweep was asked for. */
  byTextWeight?: Record<string, { recall: number; ndcg: number }>;
}

export interface EvaluationInput {
  vectors: RankableVectors;
  /** Profile parts row-aligned with the vectors' ids (empty with the fixed fusion). */
  parts: readonly ScoringPart[];
  /** Per user and product: had any text (for the fixed-blend sweep). */
  hasText?: { users: Uint8Array; products: Uint8Array };
  /** The reviews, and the rows of them trained on and held out. */
  reviews: ReviewTable;
  train: Uint32Array;
  test: Uint32Array;
  k: number;
  /** The validation split inside the training reviews that tuning may use. */
  validation: { maxUsers: number; seed: number };
  textWeights?: readonly number[];
}

export function evaluateProfiles(e: EvaluationInput): Evaluation {
  const { vectors: v, k } = e;
  const ctx = rankingContext(v.userIds, v.productIds, e.reviews, e.train, e.test);
  const baselines = rankBaselines(ctx.x, ctx.requests, k, tuningData(ctx, e.reviews, e.train, k, e.validation), e.validation.seed);
  const rankings: Record<string, Uint32Array[]> = { ...rankParts(e.parts, ctx, k), ...rankStoredKinds(v, ctx, k) };
  const info: Evaluation['baselines'] = {};
  for (const b of baselines) {
    if (b.rankings) rankings[b.name] = b.rankings;
    if (b.params || b.skipped) info[b.name] = { params: b.params, validation: b.validation && roundScore(b.validation), skipped: b.skipped };
  }
  const scores = scoreRankings(rankings, ctx.targets, k);
  return {
    k,
    users: ctx.requests.length,
    heldOutProductsUnseen: ctx.targets.filter((t) => t < 0).length,
    methods: methodOrder.filter((m) => scores.recall[m] !== undefined),
    ...scores,
    baselines: info,
    byTextWeight: e.textWeights?.length && v.dims.text > 0 && e.hasText ? textWeightSweep(v, e.hasText, ctx, k, e.textWeights) : undefined,
  };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
const roundScore = (s: { recall: number; ndcg: number }): { recall: number; ndcg: number } => ({ recall: round(s.recall), ndcg: round(s.ndcg) });

/** The fixed blend [√(1−w)·ĝ, √w·t̂] scored at each text weight w. */
function textWeightSweep(v: RankableVectors, hasText: { users: Uint8Array; products: Uint8Array }, ctx: RankingContext, k: number, weights: readonly number[]): Record<string, { recall: number; ndcg: number }> {
  const out: Record<string, { recall: number; ndcg: number }> = {};
  for (const w of weights) {
    const fu = fuse(v.users.graph, v.dims.graph, v.users.text, v.dims.text, hasText.users, { textWeight: w });
    const fp = fuse(v.products.graph, v.dims.graph, v.products.text, v.dims.text, hasText.products, { textWeight: w });
    out[String(w)] = roundScore(rankingScore(rankByVectors(fu.vectors, fp.vectors, fu.dim, ctx.requests, k), ctx.targets, k));
  }
  return out;
}
