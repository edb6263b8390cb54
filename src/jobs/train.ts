/**
 * The train job: read inputs, compute profiles (walks, skip-gram, text,
 * fusion, segments) and store everything as one complete run.
 */
import type { Database as DB } from 'better-sqlite3';
import { readInputs, type ReadOptions } from '../ingest/index.js';
import type { ShopData } from '../ingest/records.js';
import { firstAppearance } from '../ingest/table.js';
import { params as table, pickParams, profileParamNames, type ParamValues } from '../params/index.js';
import { getRun, listRuns, writeRun, type StoreSeconds, type VectorSet } from '../store/runs.js';
import { writeSegmentIdentity, type SegmentIdentityWrite } from '../store/segment-ids.js';
import { writeRunTags } from '../store/tags.js';
import type { TagModel, TagScores } from '../tags/index.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';
import { withWriteLock } from '../store/write-lock.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { PhaseTimer } from '../util/timing.js';
import type { Progress } from '../util/progress.js';
import { countNodeTypes } from '../graph/counts.js';
import { computeProfiles, type ProfileOptions, type Profiles } from './profiles.js';
import { matchMeasure, segmentIdentity } from './identity.js';
import { fitRunTags } from './tags.js';

export interface TrainJobOptions extends ProfileOptions, Omit<ReadOptions, 'onProgress'>, Partial<ParamValues<'tags' | 'tagThreshold' | 'matchBy'>> {
  files: string[];
  /** Already-read shop data (benches, tests); `files` is then only recorded. */
  data?: ShopData;
  onReadProgress?: Progress;
  /** Called between stages of the database write (tests use it to fail mid-write). */
  onStoreStage?: (stage: string) => void;
}

export interface TrainSummary {
  runId: number;
  nodes: Record<string, number>;
  reviews: number;
  users: number;
  products: number;
  /** `id`: the stable segment id (kept from the previous run where the segment matched), `name`: its readable name. */
  segments: { segment: number; id: number; name: string; size: number; label: string; meanRating: number | null }[];
  /** How the segments were matched to the previous run's (absent: a first run, or segments kept as they were). */
  match?: { comparedRunId: number; by: string; matched: { id: number; similarity: number }[]; created: { id: number; closest: number | null; similarity: number }[]; vanished: { id: number; closest: number | null; similarity: number }[] };
  /** Tags fitted (train) or rescored (refresh): users having each tag, and what the fit could not use. */
  tags?: { threshold: number; counts: Record<string, number>; warnings: string[] };
  silhouettes?: Record<number, number>;
  text: Profiles['textStats'] & { modelId: string | null };
  /** How the fused vectors were made (learned fusion: part weights, validation scores, notes). */
  fusion: Profiles['fusion'];
  params: Record<string, unknown>;
  timings: Record<string, number>;
  /** Seconds per part of the store phase (nodes, edges, vectors per kind, ...; store/runs.ts StoreSeconds). */
  storeSeconds: StoreSeconds;
}

export async function readShop(files: string[], opts: Omit<ReadOptions, 'onProgress'>, onProgress?: Progress): Promise<ShopData> {
  const data = await readInputs(files, { ...opts, onProgress });
  if (data.kind !== 'shop') {
    throw new GraphprofError(`${files.join(', ')}: an edge list has no users, products or reviews to profile; use "graphprof embed-graph" for plain graphs`, ExitCode.badInput);
  }
  if (data.reviews.count === 0) throw new GraphprofError(`${files.join(', ')}: no reviews to train on`, ExitCode.badInput);
  return data;
}

/**
 * A fixed number of segments must not exceed the users there are to put in
 * them: checked as soon as the data is read, before any walk or encoding.
 */
export function checkSegmentsFit(clusters: number | 'auto' | undefined, data: ShopData, job: string): void {
  if (typeof clusters !== 'number') return;
  const users = firstAppearance(data.reviews.user, data.reviews.userKeys.length).length;
  if (clusters > users) {
    throw new GraphprofError(`${job}: ${clusters} segments asked for (clusters), but the data has ${users} user${users === 1 ? '' : 's'}; ask for at most ${users}, or "auto"`, ExitCode.usage);
  }
}

/**
 * Stored parameters: the table's profile parameters as resolved (threads included, as a record of the run), the fitted
 * fusion and the text encoders used (a refresh applies the same: baseFusion/baseText in refresh.ts), plus `extra`.
 */
export function recordedParams(p: Profiles['params'], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { fusionModel, shopTextModel, textRoutes } = p;
  return {
    ...pickParams(profileParamNames, p),
    ...(fusionModel !== undefined ? { fusionModel } : {}),
    ...(shopTextModel !== undefined ? { shopTextModel } : {}),
    ...(textRoutes !== undefined ? { textRoutes } : {}),
    ...extra,
  };
}

export function profileVectorSets(p: Profiles): VectorSet[] {
  const sets: VectorSet[] = [];
  for (const e of [p.users, p.products]) {
    sets.push({ kind: 'graph', dim: p.graphDim, data: e.graph, indices: e.nodes });
    if (p.textDim > 0) sets.push({ kind: 'text', dim: p.textDim, data: e.text, indices: e.nodes, flags: Uint8Array.from(e.hasText, (h) => (h ? 0 : 1)) });
    sets.push({ kind: 'fused', dim: p.fusedDim, data: e.fused, indices: e.nodes, flags: e.flags });
  }
  return sets;
}

interface StoreRequest {
  kind: 'train' | 'refresh';
  parentRunId?: number;
  data: ShopData;
  profiles: Profiles;
  params: Record<string, unknown>;
  extraCounts?: Record<string, unknown>;
  timer: PhaseTimer;
  cache: SqliteTextVectorCache;
  identity?: SegmentIdentityWrite;
  tags?: { model: TagModel; scores: TagScores };
  /** More rows of the run, written in its transaction (refresh: drift). */
  also?: ((db: DB, runId: number) => void)[];
  onStage?: (stage: string) => void;
}

/** Writes computed profiles as one complete run and summarises it (shared by train and refresh). */
export function storeProfiles(db: DB, r: StoreRequest): TrainSummary {
  const { data, profiles, timer } = r;
  for (const [phase, s] of Object.entries(profiles.timings)) timer.add(phase, s);
  const nodes = countNodeTypes(profiles.csr) as Record<string, number>;
  const c = profiles.clustering;
  const counts = {
    nodes,
    edges: profiles.edgeCounts,
    reviews: data.reviews.count,
    users: profiles.users.nodes.length,
    products: profiles.products.nodes.length,
    segments: c?.k ?? 0,
    text: profiles.textStats,
    walk: profiles.walk,
    ...data.counts,
    ...(data.columns ? { columns: data.columns } : {}),
    ...r.extraCounts,
  };
  let storeSeconds: StoreSeconds = {};
  const runId = writeRun(db, {
    kind: r.kind,
    parentRunId: r.parentRunId,
    inputs: data.files,
    params: { ...r.params, silhouettes: c?.silhouettes ?? null },
    counts,
    timings: timer.toJSON(),
    modelId: profiles.modelId,
    csr: profiles.csr,
    reviews: data.reviews,
    products: data.products.values(),
    vectors: profileVectorSets(profiles),
    segments: c ? profiles.segments.map((s) => ({ segment: s.segment, size: s.size, centroid: c.centroids.subarray(s.segment * profiles.fusedDim, (s.segment + 1) * profiles.fusedDim), description: s })) : [],
    assignments: c ? { indices: profiles.users.nodes, segment: c.assignment, distance: c.distance } : undefined,
    textCache: profiles.textCacheModelIds.map((modelId) => ({ modelId, entries: r.cache.pendingEntries(modelId) })),
    sgnsState: profiles.sgnsState,
    also: [
      ...(r.identity ? [(d: DB, id: number) => writeSegmentIdentity(d, id, r.identity as SegmentIdentityWrite)] : []),
      ...(r.tags ? [(d: DB, id: number) => writeRunTags(d, id, r.tags!.model, r.tags!.scores, profiles.users.nodes)] : []),
      ...(r.also ?? []),
    ],
    onStage: r.onStage,
    onStoreSeconds: (s) => (storeSeconds = s),
  });
  const timings = getRun(db, runId).timings;
  return {
    runId,
    nodes,
    reviews: data.reviews.count,
    users: profiles.users.nodes.length,
    products: profiles.products.nodes.length,
    segments: profiles.segments.map((s) => ({ segment: s.segment, id: r.identity?.ids[s.segment] ?? s.segment, name: r.identity?.names[s.segment] ?? '', size: s.size, label: s.label, meanRating: s.meanRating })),
    ...(r.identity?.match ? { match: matchSummary(r.identity.match) } : {}),
    ...(r.tags ? { tags: tagSummary(r.tags.model, r.tags.scores) } : {}),
    silhouettes: c?.silhouettes,
    text: { ...profiles.textStats, modelId: profiles.modelId },
    fusion: profiles.fusion,
    params: r.params,
    timings,
    storeSeconds,
  };
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

function matchSummary(m: NonNullable<SegmentIdentityWrite['match']>): NonNullable<TrainSummary['match']> {
  const r = m.result;
  return {
    comparedRunId: m.comparedRunId,
    by: r.by,
    matched: r.matched.map((x) => ({ id: x.id, similarity: round4(x.similarity) })),
    created: r.created.map((x) => ({ id: x.id, closest: x.closest, similarity: round4(x.similarity) })),
    vanished: r.vanished.map((x) => ({ id: x.id, closest: x.closest, similarity: round4(x.similarity) })),
  };
}

function tagSummary(model: TagModel, scores: TagScores): NonNullable<TrainSummary['tags']> {
  return { threshold: model.threshold, counts: Object.fromEntries(scores.tags.map((t, i) => [t, scores.counts[i]!])), warnings: model.warnings };
}

/** The newest complete train or refresh run, whose segment ids a new train keeps where its segments match. */
export function previousProfileRun(db: DB): number | undefined {
  return listRuns(db).filter((r) => r.kind === 'train' || r.kind === 'refresh').pop()?.id;
}

/** Trains and stores one run, holding the database's write lock from before reading the inputs to the commit. */
export const runTrain = (db: DB, opts: TrainJobOptions): Promise<TrainSummary> =>
  withWriteLock(db, { what: 'train', signal: opts.signal, userIds: opts }, () => trainLocked(db, opts));

async function trainLocked(db: DB, opts: TrainJobOptions): Promise<TrainSummary> {
  const timer = new PhaseTimer(opts.progress);
  const data = opts.data ?? (await timer.time('read', () => readShop(opts.files, opts, opts.onReadProgress)));
  checkSegmentsFit(opts.clusters, data, 'train');
  const cache = new SqliteTextVectorCache(db);
  const profiles = await computeProfiles(data, { ...opts, textCache: cache });
  const p = profiles.params;
  const tags = await timer.time('tags', () =>
    fitRunTags(data, profiles, { tagFile: opts.tags, threshold: opts.tagThreshold, textModel: p.textModel, textPrecision: p.textPrecision, batchSize: p.batchSize, threads: p.threads, cache }),
  );
  const matchBy = opts.matchBy ?? table.matchBy.default;
  const identity = timer.timeSync('segment ids', () => segmentIdentity(db, profiles, previousProfileRun(db), matchMeasure(matchBy)));
  const params = recordedParams(profiles.params, {
    format: opts.format ?? 'auto',
    skipInvalid: opts.skipInvalid ?? false,
    map: opts.map ?? {},
    pseudonymized: opts.pseudonymize !== undefined,
    tags: opts.tags ?? null,
    tagThreshold: tags.model.threshold,
    matchBy,
  });
  return storeProfiles(db, { kind: 'train', data, profiles, params, timer, cache, identity, tags, onStage: opts.onStoreStage });
}
