/**
 * The eval job: leave-last-out per user (users with >= 3 reviews), profiles
 * trained on the rest, then Recall@K and NDCG@K of ranking every product for
 * each held-out user by graph, text and fused similarity, against a popularity
 * baseline; with ground truth, the adjusted Rand index of the segments.
 * Products the user already reviewed in training are never ranked.
 */
import type { Database as DB } from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { fuse } from '../fuse/fuse.js';
import { scoreRows, topK } from '../fuse/vectors.js';
import { adjustedRandIndex, rankingScore } from '../eval/metrics.js';
import { leaveLastOut } from '../eval/split.js';
import type { ReadOptions } from '../ingest/index.js';
import type { ReviewRecord, ShopData } from '../ingest/records.js';
import { NodeType, type NodeTypeCode } from '../graph/csr.js';
import { readVectors } from '../store/vectors.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PhaseTimer } from '../util/timing.js';
import { computeProfiles, type ProfileOptions, type Profiles } from './profiles.js';
import { readShop } from './train.js';
import { writeRun } from '../store/runs.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';

export const evalDefaults = { k: 10, minReviews: 3 } as const;

export interface EvalJobOptions extends ProfileOptions, Omit<ReadOptions, 'onProgress'> {
  files: string[];
  /** CSV of user_id,segment: planted segments to compare with (ARI). */
  truth?: string;
  /** Extra text weights to score fused vectors with (the default weight is always scored). */
  textWeights?: number[];
  k?: number;
  onReadProgress?: Progress;
}

export type Method = 'popularity' | 'graph' | 'text' | 'fused';

export interface EvalResult {
  k: number;
  users: number;
  heldOutProductsUnseen: number;
  recall: Record<Method, number>;
  ndcg: Record<Method, number>;
  /** Fused scores per text weight, when a sweep was asked for. */
  byTextWeight?: Record<string, { recall: number; ndcg: number }>;
  ari?: number;
  segments?: number;
  params: Record<string, unknown>;
  timings: Record<string, number>;
}

async function readTruth(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (row.user_id === undefined || row.segment === undefined) {
      throw new GraphprofError(`${file}: ground truth needs the columns user_id,segment`, ExitCode.badInput);
    }
    out.set(row.user_id, row.segment);
  }
  return out;
}

interface Task {
  /** User row (in profiles.users). */
  user: number;
  /** Held-out product row, or -1 when that product never appears in training. */
  target: number;
}

function rankAll(tasks: readonly Task[], users: Float32Array, products: Float32Array, dim: number, seen: Set<number>[], k: number): Uint32Array[] {
  const scores = new Float32Array(products.length / dim);
  return tasks.map((t) => {
    scoreRows(products, dim, users.subarray(t.user * dim, (t.user + 1) * dim), scores);
    return topK(scores, k, (j) => seen[t.user].has(j));
  });
}

function popularityRanking(tasks: readonly Task[], counts: Float64Array, seen: Set<number>[], k: number): Uint32Array[] {
  return tasks.map((t) => topK(counts, k, (j) => seen[t.user].has(j)));
}

/**
 * Runs the evaluation; with a database, the figures are stored as a run of
 * kind 'eval' (so reports can show them) and new text vectors join the cache.
 */
/** User and product vectors of each kind, row-aligned with the ids. */
export interface RankableVectors {
  userIds: string[];
  productIds: string[];
  dims: Record<'graph' | 'text' | 'fused', number>;
  users: Record<'graph' | 'text' | 'fused', Float32Array>;
  products: Record<'graph' | 'text' | 'fused', Float32Array>;
}

export interface RankingContext {
  tasks: Task[];
  targets: number[];
  seen: Set<number>[];
  popularity: Float64Array;
}

/** Who is evaluated on which held-out product, what each user already reviewed, and product popularity. */
export function rankingContext(userIds: readonly string[], productIds: readonly string[], train: readonly ReviewRecord[], test: readonly ReviewRecord[]): RankingContext {
  const userRow = new Map(userIds.map((id, i) => [id, i]));
  const productRow = new Map(productIds.map((id, i) => [id, i]));
  const seen = userIds.map(() => new Set<number>());
  const popularity = new Float64Array(productIds.length);
  for (const r of train) {
    const p = productRow.get(r.productId);
    const u = userRow.get(r.userId);
    if (p === undefined || u === undefined) continue;
    seen[u].add(p);
    popularity[p]++;
  }
  const tasks: Task[] = [];
  for (const r of test) {
    const u = userRow.get(r.userId);
    if (u !== undefined) tasks.push({ user: u, target: productRow.get(r.productId) ?? -1 });
  }
  return { tasks, targets: tasks.map((t) => t.target), seen, popularity };
}

/** Recall@k and NDCG@k of popularity and of each vector kind. */
export function scoreMethods(v: RankableVectors, ctx: RankingContext, k: number): { recall: Record<Method, number>; ndcg: Record<Method, number> } {
  const { tasks, targets, seen } = ctx;
  const rankings: Record<Method, Uint32Array[]> = {
    popularity: popularityRanking(tasks, ctx.popularity, seen, k),
    graph: rankAll(tasks, v.users.graph, v.products.graph, v.dims.graph, seen, k),
    text: v.dims.text > 0 ? rankAll(tasks, v.users.text, v.products.text, v.dims.text, seen, k) : [],
    fused: rankAll(tasks, v.users.fused, v.products.fused, v.dims.fused, seen, k),
  };
  const recall = {} as Record<Method, number>;
  const ndcg = {} as Record<Method, number>;
  for (const m of Object.keys(rankings) as Method[]) {
    const s = rankingScore(rankings[m], targets, k);
    recall[m] = round(s.recall);
    ndcg[m] = round(s.ndcg);
  }
  return { recall, ndcg };
}

function rankableOf(p: Profiles): RankableVectors {
  return {
    userIds: p.users.ids,
    productIds: p.products.ids,
    dims: { graph: p.graphDim, text: p.textDim, fused: p.fusedDim },
    users: { graph: p.users.graph, text: p.users.text, fused: p.users.fused },
    products: { graph: p.products.graph, text: p.products.text, fused: p.products.fused },
  };
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

export async function runEval(db: DB | null, opts: EvalJobOptions): Promise<EvalResult & { runId: number | null }> {
  const k = opts.k ?? evalDefaults.k;
  const timer = new PhaseTimer();
  const data = await timer.time('read', () => readShop(opts.files, opts, opts.onReadProgress));
  const truth = opts.truth ? await readTruth(opts.truth) : undefined;
  const split = leaveLastOut(data.reviews, evalDefaults.minReviews);
  if (split.test.length === 0) throw new GraphprofError(`eval: no user has ${evalDefaults.minReviews} or more reviews to hold one out`, ExitCode.badInput);
  const train: ShopData = { ...data, reviews: split.train };
  const cache = db ? new SqliteTextVectorCache(db) : undefined;
  const profiles = await computeProfiles(train, { ...opts, textCache: cache ?? opts.textCache, segments: truth !== undefined });
  for (const [phase, s] of Object.entries(profiles.timings)) timer.add(phase, s);

  const ctx = rankingContext(profiles.users.ids, profiles.products.ids, split.train, split.test);
  const result = timer.timeSync('score', () => {
    const scores = scoreMethods(rankableOf(profiles), ctx, k);
    const byTextWeight = opts.textWeights?.length && profiles.textDim > 0 ? sweep(profiles, ctx, k, opts.textWeights) : undefined;
    return { ...scores, byTextWeight };
  });
  const { tasks, targets } = ctx;

  let ari: number | undefined;
  if (truth && profiles.clustering) {
    const a: number[] = [];
    const b: string[] = [];
    profiles.users.ids.forEach((id, i) => {
      const t = truth.get(id);
      if (t === undefined) return;
      a.push(profiles.clustering!.assignment[i]);
      b.push(t);
    });
    const labels = new Map<string, number>();
    ari = round(adjustedRandIndex(a, b.map((t) => labels.get(t) ?? (labels.set(t, labels.size), labels.size - 1))));
  }
  const out: EvalResult = {
    k,
    users: tasks.length,
    heldOutProductsUnseen: targets.filter((t) => t < 0).length,
    ...result,
    ari,
    segments: profiles.clustering?.k,
    params: { textWeight: profiles.params.textWeight, dim: profiles.graphDim, textModel: profiles.modelId, p: profiles.params.p, q: profiles.params.q, walkLength: profiles.params.walkLength, walksPerNode: profiles.params.walksPerNode, epochs: profiles.params.epochs, seed: profiles.params.seed },
    timings: timer.toJSON(),
  };
  if (!db) return { ...out, runId: null };
  const { timings, params, ...figures } = out;
  const runId = writeRun(db, {
    kind: 'eval',
    inputs: data.files,
    params: { ...params, k, truth: opts.truth ?? null },
    counts: figures as unknown as Record<string, unknown>,
    timings,
    modelId: profiles.modelId,
    textCache: cache ? profiles.textCacheModelIds.map((modelId) => ({ modelId, entries: cache.pendingEntries(modelId) })) : undefined,
  });
  return { ...out, runId };
}

function sweep(profiles: Profiles, ctx: RankingContext, k: number, weights: number[]): Record<string, { recall: number; ndcg: number }> {
  const { tasks, targets, seen } = ctx;
  const out: Record<string, { recall: number; ndcg: number }> = {};
  const u = profiles.users;
  const p = profiles.products;
  for (const w of weights) {
    const fu = fuse(u.graph, profiles.graphDim, u.text, profiles.textDim, u.hasText, { textWeight: w });
    const fp = fuse(p.graph, profiles.graphDim, p.text, profiles.textDim, p.hasText, { textWeight: w });
    const s = rankingScore(rankAll(tasks, fu.vectors, fp.vectors, fu.dim, seen, k), targets, k);
    out[String(w)] = { recall: round(s.recall), ndcg: round(s.ndcg) };
  }
  return out;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
