/**
 * The refresh job: adds new reviews to the newest complete train/refresh run
 * without retraining from scratch. The stored shop is extended with the new
 * reviews (ones already stored are dropped and counted), walks start only from
 * new nodes and their neighbourhood (radius 1 by default), skip-gram continues
 * from the stored state with new nodes initialised from their neighbours, only
 * texts missing from the cache are encoded, and users are assigned to the
 * existing segments (or re-clustered with --refit). The result is a new complete
 * run whose parent is the run it built on.
 */
import type { Database as DB } from 'better-sqlite3';
import type { ReadOptions } from '../ingest/index.js';
import type { ReviewRecord, ShopData } from '../ingest/records.js';
import { getRun, readSgnsState, type RunInfo } from '../store/runs.js';
import { readRunShop } from '../store/shop.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';
import { blobVector } from '../store/store.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PhaseTimer } from '../util/timing.js';
import type { TextRoute } from '../text/auto.js';
import { computeProfiles, type ProfileOptions } from './profiles.js';
import { readShop, recordedParams, storeProfiles, type TrainSummary } from './train.js';
import { refreshDefaults } from './warm.js';

export interface RefreshJobOptions extends Omit<ProfileOptions, 'warm' | 'assignTo'>, Omit<ReadOptions, 'onProgress'> {
  files: string[];
  /** Already-read new reviews (benches, tests). */
  data?: ShopData;
  /** Run to build on (default: the newest train or refresh run). */
  baseRun?: number | 'latest';
  /** Re-cluster users instead of assigning them to the existing segments. */
  refit?: boolean;
  radius?: number;
  onReadProgress?: Progress;
  onStoreStage?: (stage: string) => void;
}

export interface RefreshSummary extends TrainSummary {
  parentRunId: number;
  added: number;
  alreadyStored: number;
  refit: boolean;
}

const reviewKey = (r: ReviewRecord): string => `${r.userId}\u0000${r.productId}\u0000${r.timestamp ?? ''}\u0000${r.text}`;

/** The stored shop plus the reviews it does not hold yet; new product metadata wins. */
export function mergeShop(base: ShopData, extra: ShopData): { data: ShopData; added: number; alreadyStored: number } {
  const ids = new Set(base.reviews.map((r) => r.reviewId));
  const keys = new Set(base.reviews.map(reviewKey));
  const reviews = base.reviews.slice();
  let alreadyStored = 0;
  for (const r of extra.reviews) {
    if (ids.has(r.reviewId) || keys.has(reviewKey(r))) {
      alreadyStored++;
      continue;
    }
    ids.add(r.reviewId);
    keys.add(reviewKey(r));
    reviews.push(r);
  }
  const products = new Map(base.products);
  for (const [id, p] of extra.products) products.set(id, p);
  return {
    data: { kind: 'shop', reviews, products, users: extra.users, counts: extra.counts, files: extra.files },
    added: reviews.length - base.reviews.length,
    alreadyStored,
  };
}

/** Profile options of the base run, so the refreshed vectors live in the same space. */
function baseOptions(base: RunInfo): ProfileOptions {
  const p = base.params;
  const num = (k: string): number | undefined => (typeof p[k] === 'number' ? (p[k] as number) : undefined);
  return {
    dim: num('dim'),
    walkLength: num('walkLength'),
    walksPerNode: num('walksPerNode'),
    window: num('window'),
    p: num('p'),
    q: num('q'),
    negative: num('negative'),
    epochs: num('epochs'),
    textWeight: num('textWeight'),
    fusedDim: num('fusedDim'),
    textModel: typeof p.textModel === 'string' ? p.textModel : undefined,
    textPrecision: p.textPrecision === 'fp32' || p.textPrecision === 'int8' ? p.textPrecision : 'fp32',
    shopTextModel: typeof p.shopTextModel === 'string' ? p.shopTextModel : undefined,
    // The base run's encoders (runs from before the shop encoder used the transformer alone).
    textRoutes: Array.isArray(p.textRoutes) ? (p.textRoutes as TextRoute[]) : ['transformer'],
    batchSize: num('batchSize'),
    clusters: typeof p.clusters === 'number' || p.clusters === 'auto' ? (p.clusters as number | 'auto') : undefined,
    seed: num('seed'),
  };
}

function readCentroids(db: DB, runId: number): { k: number; centroids: Float32Array } | undefined {
  const rows = db.prepare('SELECT centroid FROM segments WHERE run_id = ? ORDER BY segment').pluck().all(runId) as Buffer[];
  if (rows.length === 0) return undefined;
  const parts = rows.map(blobVector);
  const dim = parts[0].length;
  const centroids = new Float32Array(rows.length * dim);
  parts.forEach((c, i) => centroids.set(c, i * dim));
  return { k: rows.length, centroids };
}

export async function runRefresh(db: DB, opts: RefreshJobOptions): Promise<RefreshSummary> {
  const timer = new PhaseTimer();
  const base = getRun(db, opts.baseRun ?? 'latest', ['train', 'refresh']);
  const state = readSgnsState(db, base.id);
  if (!state) throw new GraphprofError(`run ${base.id} has no stored skip-gram state to refresh from; train again with this graphprof version`, ExitCode.usage);
  const extra = opts.data ?? (await timer.time('read', () => readShop(opts.files, opts, opts.onReadProgress)));
  const { data, added, alreadyStored } = timer.timeSync('merge', () => mergeShop(readRunShop(db, base.id), extra));
  if (added === 0) throw new GraphprofError(`refresh: every review in ${opts.files.join(', ')} is already in run ${base.id}; nothing to do`, ExitCode.ok);
  const keys = db.prepare('SELECT key FROM nodes WHERE run_id = ? ORDER BY idx').pluck().all(base.id) as string[];
  const o = { ...baseOptions(base), ...definedOnly(opts) };
  const centroids = readCentroids(db, base.id);
  // A PCA projection is refitted on every run, so old centroids would not match it.
  const refit = opts.refit === true || o.fusedDim !== undefined || centroids === undefined;
  const cache = new SqliteTextVectorCache(db);
  const profiles = await computeProfiles(data, {
    ...o,
    clusters: refit && centroids ? (o.clusters ?? centroids.k) : o.clusters,
    textCache: cache,
    warm: { keys, state, radius: opts.radius ?? refreshDefaults.radius },
    assignTo: refit ? undefined : centroids,
  });
  const params = recordedParams(profiles.params, { refit, radius: opts.radius ?? refreshDefaults.radius });
  const summary = storeProfiles(db, {
    kind: 'refresh',
    parentRunId: base.id,
    data,
    profiles,
    params,
    extraCounts: { added, alreadyStored },
    timer,
    cache,
    onStage: opts.onStoreStage,
  });
  return { ...summary, parentRunId: base.id, added, alreadyStored, refit };
}

/** Options the caller actually set (undefined ones must not hide the base run's). */
function definedOnly(opts: RefreshJobOptions): Partial<ProfileOptions> {
  const out: Record<string, unknown> = {};
  for (const k of ['dim', 'walkLength', 'walksPerNode', 'window', 'p', 'q', 'negative', 'epochs', 'textWeight', 'fusedDim', 'textModel', 'batchSize', 'clusters', 'seed', 'threads', 'signal', 'progress'] as const) {
    if (opts[k] !== undefined) out[k] = opts[k];
  }
  return out as Partial<ProfileOptions>;
}
