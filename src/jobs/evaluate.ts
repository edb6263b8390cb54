/**
 * The eval job: leave-last-out per user (users with >= 3 reviews), profiles
 * trained on the rest, then every method scored on the held-out reviews
 * (src/eval/); with ground truth, the adjusted Rand index of the segments.
 * With a database, the figures are stored as a run of kind 'eval' (so reports
 * can show them) and new text vectors join the cache.
 */
import type { Database as DB } from 'better-sqlite3';
import { evaluateProfiles, type Evaluation } from '../eval/evaluate.js';
import type { RankableVectors } from '../eval/scoring.js';
import { leaveLastOut } from '../eval/split.js';
import { readTruth, segmentAri } from '../eval/truth.js';
import type { ReadOptions } from '../ingest/index.js';
import type { ShopData } from '../ingest/records.js';
import { takeRows } from '../ingest/table.js';
import { writeRun } from '../store/runs.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PhaseTimer } from '../util/timing.js';
import { computeProfiles, type FusionSummary, type ProfileOptions, type Profiles } from './profiles.js';
import { readShop } from './train.js';
import { params } from '../params/index.js';
import { withWriteLock } from '../store/write-lock.js';

export const evalDefaults = { k: params.k.default, minReviews: 3 } as const;

export interface EvalJobOptions extends ProfileOptions, Omit<ReadOptions, 'onProgress'> {
  files: string[];
  /** Already-read shop data (benches, tests); `files` is then only recorded. */
  data?: ShopData;
  /** CSV of user_id,segment: planted segments to compare with (ARI). */
  truth?: string;
  /** Also score fixed graph/text blends at these text weights. */
  textWeights?: number[];
  k?: number;
  onReadProgress?: Progress;
}

export interface EvalResult extends Evaluation {
  /** How the fused vectors were made: part weights and their validation scores. */
  fusion: FusionSummary | null;
  ari?: number;
  segments?: number;
  params: Record<string, unknown>;
  timings: Record<string, number>;
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

/** Scores and stores an eval run (figures only, no user ids), holding the write lock from start to commit when there is a database. */
export const runEval = (db: DB | null, opts: EvalJobOptions): Promise<EvalResult & { runId: number | null }> =>
  db ? withWriteLock(db, { what: 'eval', signal: opts.signal }, () => evalLocked(db, opts)) : evalLocked(null, opts);

async function evalLocked(db: DB | null, opts: EvalJobOptions): Promise<EvalResult & { runId: number | null }> {
  const k = opts.k ?? evalDefaults.k;
  const timer = new PhaseTimer(opts.progress);
  const data = opts.data ?? (await timer.time('read', () => readShop(opts.files, opts, opts.onReadProgress)));
  const truth = opts.truth ? await readTruth(opts.truth) : undefined;
  const split = leaveLastOut(data.reviews, evalDefaults.minReviews);
  if (split.test.length === 0) throw new GraphprofError(`eval: no user has ${evalDefaults.minReviews} or more reviews to hold one out`, ExitCode.badInput);
  const cache = db ? new SqliteTextVectorCache(db) : undefined;
  // Only the training reviews reach the profiles, their tuning and their learned fusion.
  const profiles = await computeProfiles({ ...data, reviews: takeRows(data.reviews, split.train) }, { ...opts, textCache: cache ?? opts.textCache, segments: truth !== undefined });
  for (const [phase, s] of Object.entries(profiles.timings)) timer.add(phase, s);
  const o = profiles.params;
  const evaluation = timer.timeSync('score', () =>
    evaluateProfiles({
      vectors: rankableOf(profiles),
      parts: profiles.parts,
      hasText: { users: profiles.users.hasText, products: profiles.products.hasText },
      reviews: data.reviews,
      train: split.train,
      test: split.test,
      k,
      validation: { maxUsers: o.validationUsers, seed: o.seed },
      textWeights: opts.textWeights,
    }),
  );
  const ari = truth && profiles.clustering ? Math.round(segmentAri(profiles.users.ids, profiles.clustering.assignment, truth) * 10000) / 10000 : undefined;
  const out: EvalResult = {
    ...evaluation,
    fusion: profiles.fusion,
    ari,
    segments: profiles.clustering?.k,
    params: { fusion: o.fusion, textWeight: o.textWeight, dim: profiles.graphDim, textModel: profiles.modelId, p: o.p, q: o.q, walkLength: o.walkLength, walksPerNode: o.walksPerNode, epochs: o.epochs, walkDim: o.walkDim, validationUsers: o.validationUsers, seed: o.seed },
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
