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
import type { ShopData } from '../ingest/records.js';
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

  const userRow = new Map(profiles.users.ids.map((id, i) => [id, i]));
  const productRow = new Map(profiles.products.ids.map((id, i) => [id, i]));
  const seen = profiles.users.ids.map(() => new Set<number>());
  const popularity = new Float64Array(profiles.products.ids.length);
  for (const r of split.train) {
    const p = productRow.get(r.productId) as number;
    seen[userRow.get(r.userId) as number].add(p);
    popularity[p]++;
  }
  const tasks: Task[] = split.test.map((r) => ({ user: userRow.get(r.userId) as number, target: productRow.get(r.productId) ?? -1 }));
  const targets = tasks.map((t) => t.target);

  const result = timer.timeSync('score', () => {
    const u = profiles.users;
    const p = profiles.products;
    const rankings: Record<Method, Uint32Array[]> = {
      popularity: popularityRanking(tasks, popularity, seen, k),
      graph: rankAll(tasks, u.graph, p.graph, profiles.graphDim, seen, k),
      text: profiles.textDim > 0 ? rankAll(tasks, u.text, p.text, profiles.textDim, seen, k) : [],
      fused: rankAll(tasks, u.fused, p.fused, profiles.fusedDim, seen, k),
    };
    const recall = {} as Record<Method, number>;
    const ndcg = {} as Record<Method, number>;
    for (const m of Object.keys(rankings) as Method[]) {
      const s = rankingScore(rankings[m], targets, k);
      recall[m] = round(s.recall);
      ndcg[m] = round(s.ndcg);
    }
    const byTextWeight = opts.textWeights?.length && profiles.textDim > 0 ? sweep(profiles, tasks, targets, seen, k, opts.textWeights) : undefined;
    return { recall, ndcg, byTextWeight };
  });

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
    textCache: profiles.modelId && cache ? { modelId: profiles.modelId, entries: cache.pendingEntries(profiles.modelId) } : undefined,
  });
  return { ...out, runId };
}

function sweep(profiles: Profiles, tasks: readonly Task[], targets: number[], seen: Set<number>[], k: number, weights: number[]): Record<string, { recall: number; ndcg: number }> {
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
