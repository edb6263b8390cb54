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
import type { ReviewTable, ShopData } from '../ingest/records.js';
import { ReviewTableBuilder } from '../ingest/table.js';
import { fixedOnRefresh, inheritedParams, params, pickParams, profileParamNames, type ParamValues } from '../params/index.js';
import { writeUserDrift } from '../store/drift.js';
import { readTagModel } from '../store/tags.js';
import { decideRetrain, driftDefaults, type DriftReport, type RetrainDecision } from '../segment/drift.js';
import { matchMeasure, segmentIdentity, userDrift } from './identity.js';
import { rescoreRunTags } from './tags.js';
import { readNodeKeys } from '../store/graph.js';
import { getRun, readSgnsState, type RunInfo } from '../store/runs.js';
import { readCentroids } from '../store/segments.js';
import { readRunShop } from '../store/shop.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';
import { withWriteLock } from '../store/write-lock.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PhaseTimer } from '../util/timing.js';
import { NodeType } from '../graph/csr.js';
import { readVectors } from '../store/vectors.js';
import { computeProfiles, type FusionModel, type ProfileOptions, type WalkAlignment } from './profiles.js';
import { checkSegmentsFit, readShop, recordedParams, storeProfiles, type TrainSummary } from './train.js';
import type { TextRoute } from '../text/auto.js';

export interface RefreshJobOptions extends Omit<ProfileOptions, 'warm' | 'assignTo'>, Omit<ReadOptions, 'onProgress'>, Partial<ParamValues<'matchBy' | 'driftThreshold' | 'onlyIfDrift'>> {
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
  /** Users who moved from the base run (JSON: src/segment/drift.ts), absent when the runs have no comparable vectors. */
  drift?: DriftReport;
  /** With onlyIfDrift: whether the share of drifted users says to retrain (the CLI exits with code 10 then). */
  decision?: RetrainDecision;
}

/** What makes two reviews the same review when neither id matches: user, product, time and text (as the readers' dedupe). */
const reviewKey = (t: ReviewTable, r: number): string => {
  const ts = t.timestamp[r]!;
  return `${t.userKeys[t.user[r]!]}\u0000${t.productKeys[t.product[r]!]}\u0000${Number.isNaN(ts) ? '' : ts}\u0000${t.text[r]}`;
};

/** The stored shop plus the reviews it does not hold yet; new product metadata wins where it says something. */
export function mergeShop(base: ShopData, extra: ShopData): { data: ShopData; added: number; alreadyStored: number } {
  const b = base.reviews;
  const x = extra.reviews;
  const ids = new Set(b.reviewId);
  const keys = new Set<string>();
  const merged = new ReviewTableBuilder();
  for (let r = 0; r < b.count; r++) {
    keys.add(reviewKey(b, r));
    merged.addRowOf(b, r);
  }
  let alreadyStored = 0;
  for (let r = 0; r < x.count; r++) {
    const key = reviewKey(x, r);
    if (ids.has(x.reviewId[r]!) || keys.has(key)) {
      alreadyStored++;
      continue;
    }
    ids.add(x.reviewId[r]!);
    keys.add(key);
    merged.addRowOf(x, r);
  }
  const reviews = merged.finish();
  const products = new Map(base.products);
  // A reviews-only file names its products without metadata: a field the new record leaves empty keeps the stored value.
  for (const [id, p] of extra.products) {
    const old = products.get(id);
    products.set(id, old ? { ...p, title: p.title || old.title, categories: p.categories.length ? p.categories : old.categories, brand: p.brand || old.brand, price: p.price ?? old.price } : p);
  }
  return {
    data: { kind: 'shop', reviews, products, users: extra.users, counts: extra.counts, files: extra.files },
    added: reviews.count - b.count,
    alreadyStored,
  };
}

/**
 * The base run's fusion, applied as it was fitted: runs from before the
 * learned fusion used the fixed blend. The walk part keeps the base run's
 * rank, so the fused space (and the segment centroids in it) keeps its size.
 */
function baseFusion(p: Record<string, unknown>): Pick<ProfileOptions, 'fusion' | 'fusionModel'> {
  const model = p.fusionModel as FusionModel | undefined;
  if (p.fusion !== 'learned' || !model?.weights || !model.walk) return { fusion: 'fixed' };
  const walkDim = model.layout?.find((s) => s.name === 'walk')?.dim ?? model.walk.dim;
  return { fusion: 'learned', fusionModel: { ...model, walk: { ...model.walk, dim: walkDim } } };
}

/**
 * The base run's text encoders, so a refresh embeds new reviews the way the
 * base run did and the vector layout stays (runs from before the shop encoder
 * used the transformer alone, in fp32).
 */
function baseText(p: Record<string, unknown>): Pick<ProfileOptions, 'textPrecision' | 'shopTextModel' | 'textRoutes'> {
  return {
    textPrecision: p.textPrecision === 'fp32' || p.textPrecision === 'int8' ? p.textPrecision : 'fp32',
    shopTextModel: typeof p.shopTextModel === 'string' ? p.shopTextModel : undefined,
    textRoutes: Array.isArray(p.textRoutes) ? (p.textRoutes as TextRoute[]) : ['transformer'],
  };
}

/** The base run's fused product vectors and where its walk part sits, to keep the walk part's basis. */
function baseWalkAlignment(db: DB, base: RunInfo, model: FusionModel | undefined): WalkAlignment | undefined {
  const slice = model?.layout?.find((s) => s.name === 'walk');
  if (!slice) return undefined;
  const v = readVectors(db, base.id, 'fused', NodeType.product);
  return { productIds: v.keys.map((k) => k.slice(k.indexOf(':') + 1)), vectors: v.data, stride: v.dim, offset: slice.offset, dim: slice.dim };
}

/** Refreshes the base run, holding the database's write lock from before reading it to the commit (no lost updates). */
export const runRefresh = (db: DB, opts: RefreshJobOptions): Promise<RefreshSummary> =>
  withWriteLock(db, { what: 'refresh', signal: opts.signal, userIds: opts }, () => refreshLocked(db, opts));

async function refreshLocked(db: DB, opts: RefreshJobOptions): Promise<RefreshSummary> {
  const timer = new PhaseTimer(opts.progress);
  const base = getRun(db, opts.baseRun ?? 'latest', ['train', 'refresh']);
  const state = readSgnsState(db, base.id);
  if (!state) throw new GraphprofError(`run ${base.id} has no stored skip-gram state to refresh from; train again with this graphprof version`, ExitCode.usage);
  // The base run's column mapping reads the new files the way its own were read.
  const map = opts.map ?? inheritedParams(['map'], base.params, base.id).map;
  const extra = opts.data ?? (await timer.time('read', () => readShop(opts.files, { ...opts, map }, opts.onReadProgress)));
  const merged = timer.timeSync('merge', () => mergeShop(readRunShop(db, base.id), extra));
  const { added, alreadyStored } = merged;
  // The new run holds the base run's reviews too, so it names the base run's inputs as well as the new ones.
  const data: ShopData = { ...merged.data, files: [...new Set([...base.inputs, ...extra.files])] };
  if (added === 0) throw new GraphprofError(`refresh: every review in ${opts.files.join(', ')} is already in run ${base.id}; nothing to do`, ExitCode.ok);
  const keys = readNodeKeys(db, base.id);
  // Parameters not given are the base run's, so the refreshed vectors live in the same space.
  const inherited = inheritedParams(profileParamNames, base.params, base.id);
  for (const n of fixedOnRefresh) {
    if (opts[n] !== undefined && opts[n] !== inherited[n]) {
      throw new GraphprofError(`refresh: run ${base.id} was made with ${n} = ${inherited[n] ?? 'unset'}; a refresh keeps it (it shapes the vectors the new run shares with its base), so it cannot be ${opts[n]}; train a new run instead`, ExitCode.usage);
    }
  }
  const o = { ...inherited, ...pickParams(profileParamNames, opts), ...baseFusion(base.params), ...baseText(base.params) };
  const centroids = readCentroids(db, base.id);
  // A PCA projection is refitted on every run, so old centroids would not match it.
  const refit = opts.refit === true || o.fusedDim !== undefined || centroids === undefined;
  const radius = opts.radius ?? params.radius.default;
  const cache = new SqliteTextVectorCache(db);
  if (refit) checkSegmentsFit(o.clusters, data, 'refresh');
  const profiles = await computeProfiles(data, {
    ...o,
    walkAlign: o.fusion === 'learned' ? baseWalkAlignment(db, base, o.fusionModel) : undefined,
    clusters: refit && centroids ? (o.clusters ?? centroids.k) : o.clusters,
    textCache: cache,
    signal: opts.signal,
    progress: opts.progress,
    warm: { keys, state, radius },
    assignTo: refit ? undefined : centroids,
  });
  const matchBy = opts.matchBy ?? (typeof base.params.matchBy === 'string' ? (base.params.matchBy as 'members') : params.matchBy.default);
  const identity = timer.timeSync('segment ids', () => segmentIdentity(db, profiles, base.id, matchMeasure(matchBy), !refit));
  const tagModel = readTagModel(db, base.id);
  const tags = tagModel ? { model: tagModel, scores: timer.timeSync('tags', () => rescoreRunTags(tagModel, data, profiles)) } : undefined;
  const threshold = opts.driftThreshold ?? params.driftThreshold.default;
  const drift = timer.timeSync('drift', () => userDrift(db, base.id, profiles, identity?.ids, threshold));
  const recorded = recordedParams(profiles.params, { refit, radius, map: map ?? {}, matchBy, driftThreshold: threshold });
  const summary = storeProfiles(db, {
    kind: 'refresh',
    parentRunId: base.id,
    data,
    profiles,
    params: recorded,
    extraCounts: { added, alreadyStored, ...(drift ? { drift: { ...drift, users: undefined, listed: undefined } } : {}) },
    timer,
    cache,
    identity,
    tags,
    also: drift ? [(d, id) => writeUserDrift(d, id, drift.users)] : [],
    onStage: opts.onStoreStage,
  });
  const decision = drift && opts.onlyIfDrift !== undefined ? decideRetrain(drift, opts.onlyIfDrift) : undefined;
  // The summary lists the most drifted users (the run stores them all: `graphprof drift`).
  const listed = drift ? { ...drift, users: drift.users.slice(0, driftDefaults.limit), listed: Math.min(drift.users.length, driftDefaults.limit) } : undefined;
  return { ...summary, parentRunId: base.id, added, alreadyStored, refit, ...(listed ? { drift: listed } : {}), ...(decision ? { decision } : {}) };
}
