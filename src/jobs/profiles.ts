/**
 * Computes user and product profiles from shop data, without touching the
 * database: graph -> node2vec walks -> skip-gram -> text vectors -> fusion ->
 * segments. `train` stores the result; `eval` scores it on held-out reviews.
 * With the learned fusion (the default) this runs twice: a validation pass
 * without the newest training review of some users, on which the part weights
 * are fitted, then the final pass on everything (learnFusedProfiles).
 */
import { buildShopCsr, type EdgeTypeName } from '../graph/build.js';
import { NodeType, type Csr } from '../graph/csr.js';
import type { ProductRecord, ShopData } from '../ingest/records.js';
import { allRows, firstAppearance, rowsOfKeys, takeRows } from '../ingest/table.js';
import { trainOnWalks, type WalkTrainingResult } from '../sgns/index.js';
import { encodeTexts, entityTextVectors, type EntityDocs, type TextBlock, type TextRoute } from '../text/auto.js';
import type { TextEncodingStats } from '../text/stats.js';
import type { TextVectorCache } from '../text/cache.js';
import { readablePart } from '../text/limits.js';
import { normaliseText } from '../text/normalize.js';
import { FLAG_GRAPH_ONLY, fuse, meanTextVectors, type FusedVectors } from '../fuse/fuse.js';
import { normaliseRows } from '../fuse/vectors.js';
import { assignToCentroids, cluster, type Clustering } from '../segment/cluster.js';
import type { SgnsState } from '../store/runs.js';
import { planWarmStart, type WarmPlan, type WarmStart } from './warm.js';
import { describeSegments, type SegmentDescription } from '../segment/describe.js';
import { checkpoint } from '../util/cancel.js';
import { PhaseTimer } from '../util/timing.js';
import type { Progress } from '../util/progress.js';
import { profileParamNames, resolveParams, type ParamValues, type ProfileParamName, type ResolvedParams } from '../params/index.js';
import { OptionError } from '../util/errors.js';
import { validationK, type FusionMode } from '../rank/defaults.js';
import { fitFusion, fuseParts, type FusedSlice, type FusionWeights, type PartName, type ScoringPart } from '../rank/fusion.js';
import { interactionsOf } from '../rank/interactions.js';
import type { ValidationScore, ValidationTask } from '../rank/objective.js';
import { scoringParts } from '../rank/parts.js';
import { alignPart, resolveWalkDim, type WalkParams } from '../rank/walk-part.js';
import { matrix, type Matrix } from '../rank/linalg.js';
import { uniform } from '../util/random.js';
import { intern } from '../util/intern.js';
import { tuneRp3, tuneSequence } from '../rank/tune.js';
import { validationSplit, validationTasks, type HoldOutSplit } from '../eval/split.js';
import { MemoryTextVectorCache } from '../text/cache.js';

/** The table's profile parameters (src/params/table.ts), each optional, plus what callers pass through. */
export interface ProfileOptions extends Partial<ParamValues<ProfileParamName>> {
  /** Id of a stored shop-trained text model to embed with (refresh reuses its base run's). */
  shopTextModel?: string;
  /** The text encoders allowed (refresh keeps its base run's, so the vector layout stays). */
  textRoutes?: TextRoute[];
  textCache?: TextVectorCache;
  /** Skip segmentation (eval does not need it unless ground truth is given). */
  segments?: boolean;
  /**
   * Also train review nodes' vectors (default false: walks pass through review
   * nodes, but only users, products and categories start walks and are
   * trained; review rows keep their random start).
   */
  reviewVectors?: boolean;
  /** Refresh: continue from a previous run's skip-gram state; walks start only near new nodes. */
  warm?: WarmStart;
  /** Refresh without refit: assign users to these existing segment centroids [k x fusedDim]. */
  assignTo?: { k: number; centroids: Float32Array };
  signal?: AbortSignal;
  /** A progress callback per phase (the CLI draws one bar per phase). */
  progress?: (phase: string) => Progress;
  /** A fitted fusion to apply instead of learning one (refresh, and the second pass of learning). */
  fusionModel?: FusionModel;
  /** Refresh: the base run's fused product vectors, to rotate the walk part into their basis. */
  walkAlign?: WalkAlignment;
  /** The validation pass's walk product vectors: the final pass's subspace iteration starts from them. */
  walkStart?: { productIds: readonly string[]; vectors: Float32Array; dim: number };
}

/** Fused product vectors of an earlier run and where the walk part sits in them. */
export interface WalkAlignment {
  productIds: readonly string[];
  vectors: Float32Array;
  stride: number;
  offset: number;
  dim: number;
}

/** What the learned fusion fitted: stored with a run's parameters so refresh applies the same. */
export interface FusionModel {
  walk: WalkParams;
  /** Absent: build the parts only (the validation pass). */
  weights?: FusionWeights;
  /** Where each part sits in the fused vectors (recorded with the run). */
  layout?: FusedSlice[];
}

/** How a run's fused vectors were made (train summary, eval, run parameters). */
export interface FusionSummary {
  mode: FusionMode;
  weights: FusionWeights;
  walk: FusionModel['walk'];
  layout: FusedSlice[];
  /** Validation Recall@K / NDCG@K of each part alone and fused, and of RP3β's tuning (learned fusion only). */
  validation?: Partial<Record<PartName | 'fused' | 'rp3beta', ValidationScore>>;
  validationUsers?: number;
  notes: string[];
}

type Passed = 'shopTextModel' | 'textRoutes' | 'textCache' | 'signal' | 'progress' | 'warm' | 'assignTo' | 'fusionModel' | 'walkAlign' | 'walkStart';
export type ResolvedProfileOptions = ResolvedParams<ProfileParamName> & { segments: boolean } & Pick<ProfileOptions, Passed>;

export function resolveProfileOptions(o: ProfileOptions): ResolvedProfileOptions {
  return { ...o, ...resolveParams(profileParamNames, o, 'computeProfiles'), segments: o.segments ?? true };
}

/** Rows of one entity type (users or products) with their vectors. */
export interface EntityVectors {
  /** CSR index of each row. */
  nodes: Uint32Array;
  /** Ids without the type prefix. */
  ids: string[];
  graph: Float32Array;
  text: Float32Array;
  hasText: Uint8Array;
  fused: Float32Array;
  flags: Uint8Array;
}

export interface Profiles {
  csr: Csr;
  /** Skip-gram input and output matrices, stored for a later warm start. */
  sgnsState: SgnsState;
  walk: { starts: number; newNodes: number; tokens: number };
  edgeCounts: Partial<Record<EdgeTypeName, number>>;
  graphDim: number;
  textDim: number;
  fusedDim: number;
  /** Graph vectors of every node (row = CSR index). */
  nodeVectors: Float32Array;
  users: EntityVectors;
  products: EntityVectors;
  clustering: Clustering | null;
  segments: SegmentDescription[];
  /** Scoring parts of the learned fusion, row-aligned with users and products (empty with fixed fusion). */
  parts: ScoringPart[];
  fusion: FusionSummary | null;
  /** The run's text model (the encoders' ids joined by " + " when auto used two). */
  modelId: string | null;
  /** Model ids whose new cache entries are written with the run. */
  textCacheModelIds: string[];
  textStats: TextEncodingStats;
  /** Review text vectors (null without a text model), for tags. */
  reviewTexts: ReviewTexts | null;
  timings: Record<string, number>;
  params: ResolvedProfileOptions;
}

function nodesOfType(csr: Csr, type: number): Uint32Array {
  let n = 0;
  for (let v = 0; v < csr.nodeCount; v++) if (csr.nodeType[v] === type) n++;
  const out = new Uint32Array(n);
  let i = 0;
  for (let v = 0; v < csr.nodeCount; v++) if (csr.nodeType[v] === type) out[i++] = v;
  return out;
}

function gatherRows(m: Float32Array, dim: number, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(m.subarray(r * dim, (r + 1) * dim), i * dim));
  return out;
}

const stripPrefix = (key: string): string => key.slice(key.indexOf(':') + 1);

interface TextPart {
  dim: number;
  users: { vectors: Float32Array; hasText: Uint8Array };
  products: { vectors: Float32Array; hasText: Uint8Array };
  modelId: string;
  cacheModelIds: string[];
  shopModelId?: string;
  routes: TextRoute[];
  stats: TextEncodingStats;
  reviews: ReviewTexts;
}

/** Each review's text vector: the encoder blocks and, per review, its text's index in them (-1: no text). Tags score users from these. */
export interface ReviewTexts {
  blocks: TextBlock[];
  textOfReview: Int32Array;
}

/** Encodes each distinct review text (and product title) once; one text vector per user and product (src/text/auto.ts). */
async function textVectors(data: ShopData, userRow: Map<string, number>, productRow: Map<string, number>, o: ResolvedProfileOptions): Promise<TextPart> {
  const textIndex = new Map<string, number>();
  const texts: string[] = [];
  const docOf = (raw: string): number => {
    const t = normaliseText(readablePart(raw));
    return t === '' ? -1 : intern(textIndex, texts, t);
  };
  const t = data.reviews;
  // At most one document per review (users) and per review and product title (products):
  // preallocated columns, filled to `users` and `products`, instead of a tuple per review.
  const userDocs: EntityDocs = { entity: new Int32Array(t.count), text: new Uint32Array(t.count) };
  const productDocs: EntityDocs = { entity: new Int32Array(t.count + data.products.size), text: new Uint32Array(t.count + data.products.size) };
  let users = 0;
  let products = 0;
  const textOfReview = new Int32Array(t.count);
  const uOf = rowsOfKeys(t.userKeys, userRow);
  const pOf = rowsOfKeys(t.productKeys, productRow);
  for (let i = 0; i < t.count; i++) {
    const d = docOf(t.text[i]!);
    textOfReview[i] = d;
    if (d < 0) continue;
    userDocs.entity[users] = uOf[t.user[i]!]!;
    userDocs.text[users++] = d;
    productDocs.entity[products] = pOf[t.product[i]!]!;
    productDocs.text[products++] = d;
  }
  for (const p of data.products.values()) {
    const row = productRow.get(p.productId);
    const d = row === undefined ? -1 : docOf(p.title);
    if (d < 0) continue;
    productDocs.entity[products] = row as number;
    productDocs.text[products++] = d;
  }
  const enc = await encodeTexts(texts, {
    textModel: o.textModel,
    precision: o.textPrecision,
    shopModel: o.shopTextModel,
    routes: o.textRoutes,
    batchSize: o.batchSize,
    threads: o.threads,
    seed: o.seed,
    cache: o.textCache,
    signal: o.signal,
    progress: o.progress,
  });
  const userVectors = entityTextVectors(enc, { entity: userDocs.entity.subarray(0, users), text: userDocs.text.subarray(0, users) }, userRow.size);
  const productVectors = entityTextVectors(enc, { entity: productDocs.entity.subarray(0, products), text: productDocs.text.subarray(0, products) }, productRow.size);
  return { dim: userVectors.dim, users: userVectors, products: productVectors, modelId: enc.modelId, cacheModelIds: enc.cacheModelIds, shopModelId: enc.shopModelId, routes: enc.routes, stats: enc.stats, reviews: { blocks: enc.blocks, textOfReview } };
}

function entity(csr: Csr, nodes: Uint32Array, graph: Float32Array, graphDim: number, text: TextPart['users'] | null, textDim: number): Omit<EntityVectors, 'fused' | 'flags'> {
  return {
    nodes,
    ids: Array.from(nodes, (v) => stripPrefix(csr.keys[v])),
    graph: normaliseRows(gatherRows(graph, graphDim, nodes), graphDim),
    text: text ? text.vectors : new Float32Array(nodes.length * textDim),
    hasText: text ? text.hasText : new Uint8Array(nodes.length),
  };
}

/** Fuses users and products together, so one PCA (if any) maps both into the same space. */
function fuseBoth(u: Omit<EntityVectors, 'fused' | 'flags'>, p: Omit<EntityVectors, 'fused' | 'flags'>, graphDim: number, textDim: number, o: ResolvedProfileOptions): [FusedVectors, FusedVectors] {
  const nu = u.nodes.length;
  const cat = (a: Float32Array, b: Float32Array): Float32Array => {
    const out = new Float32Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const hasText = new Uint8Array(nu + p.nodes.length);
  hasText.set(u.hasText);
  hasText.set(p.hasText, nu);
  const all = fuse(cat(u.graph, p.graph), graphDim, cat(u.text, p.text), textDim, hasText, { textWeight: o.textWeight, fusedDim: o.fusedDim });
  const d = all.dim;
  return [
    { vectors: all.vectors.slice(0, nu * d), dim: d, flags: all.flags.slice(0, nu) },
    { vectors: all.vectors.slice(nu * d), dim: d, flags: all.flags.slice(nu) },
  ];
}

/**
 * Node2vec walks streamed into skip-gram (no corpus in memory), one progress
 * bar ("skip-gram"); timed as "walks" (the counting pass) and "skip-gram".
 * Review nodes (most of a large shop's graph, degree 2) are walked through but
 * neither start walks nor get trained unless `reviewVectors` asks for it.
 */
async function walksAndSkipGram(csr: Csr, o: ResolvedProfileOptions, warm: WarmPlan | null, timer: PhaseTimer): Promise<WalkTrainingResult> {
  const start = process.hrtime.bigint();
  const skipReviews = !o.reviewVectors && csr.nodeType.includes(NodeType.review);
  const sg = await trainOnWalks(csr, {
    walk: {
      p: o.p,
      q: o.q,
      walkLength: o.walkLength,
      walksPerNode: o.walksPerNode,
      startNodes: warm?.affected,
      startTypes: skipReviews ? [NodeType.user, NodeType.product, NodeType.category] : undefined,
    },
    exclude: skipReviews ? csr.nodeType.map((t) => (t === NodeType.review ? 1 : 0)) : undefined,
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    epochs: o.epochs,
    alpha: o.alpha,
    minAlpha: o.minAlpha,
    sample: o.sample,
    minCount: o.minCount,
    seed: o.seed,
    threads: o.threads,
    signal: o.signal,
    // The plan's matrices were made for this training alone: handed over, not copied.
    init: warm ? { input: warm.input, output: warm.output, handOver: true } : undefined,
    onProgress: o.progress?.('skip-gram'),
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  timer.add('walks', sg.stats.walkSeconds);
  timer.add('skip-gram', Math.max(0, seconds - sg.stats.walkSeconds));
  return sg;
}

export async function computeProfiles(data: ShopData, options: ProfileOptions = {}): Promise<Profiles> {
  const o = resolveProfileOptions(options);
  if (o.fusion === 'learned' && !o.fusionModel) return learnFusedProfiles(data, options, o);
  const timer = new PhaseTimer(o.progress);
  const { csr, edgeCounts } = timer.timeSync('graph', () => buildShopCsr(data));
  const warm = o.warm ? timer.timeSync('warm-start', () => planWarmStart(csr, o.warm as WarmStart, o.seed)) : null;
  const sg = await walksAndSkipGram(csr, o, warm, timer);
  await checkpoint(o.signal, 'training');
  const userNodes = nodesOfType(csr, NodeType.user);
  const productNodes = nodesOfType(csr, NodeType.product);
  const userRow = new Map(Array.from(userNodes, (v, i) => [stripPrefix(csr.keys[v]), i] as [string, number]));
  const productRow = new Map(Array.from(productNodes, (v, i) => [stripPrefix(csr.keys[v]), i] as [string, number]));
  const text = o.textWeight > 0 ? await timer.time('text', () => textVectors(data, userRow, productRow, o)) : null;
  const textDim = text?.dim ?? 0;
  await checkpoint(o.signal, 'training');
  const { users, products, parts, fusion } = timer.timeSync('fusion', () => profileVectors(data, csr, userNodes, productNodes, { vectors: sg.vectors, output: sg.output }, text, o));
  const fusedDim = users.fused.length / Math.max(1, users.nodes.length);
  let clustering: Clustering | null = null;
  let segments: SegmentDescription[] = [];
  if (o.segments && users.nodes.length >= 2) {
    await checkpoint(o.signal, 'training');
    clustering = timer.timeSync('segments', () =>
      o.assignTo ? assignToCentroids(clusterSpace(users.fused, fusedDim, o), fusedDim, o.assignTo.centroids, o.assignTo.k) : cluster(clusterSpace(users.fused, fusedDim, o), fusedDim, { k: o.clusters, seed: o.seed }),
    );
    await checkpoint(o.signal, 'training');
    segments = timer.timeSync('describe', () => describeShopSegments(data, clustering as Clustering, userRow));
  }
  return {
    csr,
    edgeCounts,
    sgnsState: { dim: o.dim, input: sg.vectors, output: sg.output, reviewsTrained: o.reviewVectors || !csr.nodeType.includes(NodeType.review) },
    walk: { starts: warm ? warm.affected.length : csr.nodeCount, newNodes: warm?.newNodes ?? csr.nodeCount, tokens: sg.stats.tokens },
    graphDim: o.dim,
    textDim,
    fusedDim,
    nodeVectors: sg.vectors,
    users,
    products,
    clustering,
    segments,
    parts,
    fusion,
    modelId: text?.modelId ?? null,
    textCacheModelIds: text?.cacheModelIds ?? [],
    textStats: text?.stats ?? { texts: 0, encoded: 0, cacheHits: 0, sessionRuns: 0, truncated: 0, byModel: {} },
    reviewTexts: text?.reviews ?? null,
    timings: timer.toJSON(),
    params: {
      ...o,
      epochs: sg.stats.epochs,
      shopTextModel: text?.shopModelId ?? o.shopTextModel,
      textRoutes: text?.routes ?? o.textRoutes,
      ...(fusion && o.fusionModel ? { fusionModel: { ...o.fusionModel, layout: fusion.layout } } : {}),
    },
  };
}

/** The segments described from the review table's columns; per-product titles and categories are looked up once per product. */
export function describeShopSegments(data: ShopData, c: Clustering, userRow: ReadonlyMap<string, number>): SegmentDescription[] {
  const t = data.reviews;
  const uOf = rowsOfKeys(t.userKeys, userRow);
  const member = new Int32Array(t.count);
  for (let r = 0; r < t.count; r++) member[r] = uOf[t.user[r]!]!;
  const product = (id: string): ProductRecord | undefined => data.products.get(id);
  return describeSegments({
    k: c.k,
    assignment: c.assignment,
    distance: c.distance,
    reviews: { member, product: t.product, rating: t.rating, text: t.text },
    products: { ids: t.productKeys, titles: t.productKeys.map((id) => product(id)?.title ?? ''), categories: t.productKeys.map((id) => product(id)?.categories ?? []) },
  });
}

const rowMap = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, i) => [id, i]));

/** Graph, text and fused vectors of users and products, by the fixed blend or the learned parts. */
function profileVectors(
  data: ShopData,
  csr: Csr,
  userNodes: Uint32Array,
  productNodes: Uint32Array,
  sg: { vectors: Float32Array; output: Float32Array },
  text: TextPart | null,
  o: ResolvedProfileOptions,
): { users: EntityVectors; products: EntityVectors; parts: ScoringPart[]; fusion: FusionSummary | null } {
  const textDim = text?.dim ?? 0;
  const u = entity(csr, userNodes, sg.vectors, o.dim, text?.users ?? null, textDim);
  const p = entity(csr, productNodes, sg.vectors, o.dim, text?.products ?? null, textDim);
  if (o.fusion === 'fixed') {
    const [fu, fp] = fuseBoth(u, p, o.dim, textDim, o);
    return { users: { ...u, fused: fu.vectors, flags: fu.flags }, products: { ...p, fused: fp.vectors, flags: fp.flags }, parts: [], fusion: null };
  }
  if (o.fusedDim) {
    throw new OptionError('computeProfiles', 'fusedDim', o.fusedDim, 'no projection with the learned fusion (a PCA would not keep its user·product scores); use fusion "fixed" to project');
  }
  const model = o.fusionModel as FusionModel;
  const x = interactionsOf(data.reviews, null, rowMap(u.ids), rowMap(p.ids));
  const parts = scoringParts({
    x,
    graph: { dim: o.dim, users: u.graph, products: p.graph, productContext: gatherRows(sg.output, o.dim, productNodes) },
    text: text ? { dim: textDim, users: u.text, products: p.text } : undefined,
    walk: { ...model.walk, seed: o.seed, start: o.walkStart && startBasis(p.ids, o.walkStart, o.seed) },
  }).map((part) => (part.name === 'walk' && o.walkAlign ? { ...part, ...alignWalk(part, p.ids, o.walkAlign) } : part));
  const flags = (hasText: Uint8Array): Uint8Array => Uint8Array.from(hasText, (h) => (textDim > 0 && !h ? FLAG_GRAPH_ONLY : 0));
  if (!model.weights) {
    return { users: { ...u, fused: new Float32Array(0), flags: flags(u.hasText) }, products: { ...p, fused: new Float32Array(0), flags: flags(p.hasText) }, parts, fusion: null };
  }
  const f = fuseParts(parts, model.weights, o.seed);
  return {
    users: { ...u, fused: f.users, flags: flags(u.hasText) },
    products: { ...p, fused: f.products, flags: flags(p.hasText) },
    parts,
    fusion: { mode: 'learned', weights: model.weights, walk: model.walk, layout: f.layout, notes: [] },
  };
}

/** An earlier pass's walk product vectors on this pass's product rows, plus 10 seeded Gaussian columns (oversampling). */
function startBasis(productIds: readonly string[], s: NonNullable<ProfileOptions['walkStart']>, seed: number): Matrix | undefined {
  const earlier = rowMap(s.productIds);
  const cols = s.dim + 10;
  if (cols > productIds.length) return undefined; // a full-rank walk part is computed exactly
  const rand = uniform(seed);
  const out = matrix(productIds.length, cols);
  productIds.forEach((id, j) => {
    const e = earlier.get(id);
    if (e !== undefined) for (let c = 0; c < s.dim; c++) out.data[j * cols + c] = s.vectors[e * s.dim + c];
    for (let c = s.dim; c < cols; c++) out.data[j * cols + c] = rand() - 0.5;
  });
  return out;
}

function alignWalk(part: ScoringPart, productIds: readonly string[], a: WalkAlignment): ScoringPart {
  if (a.dim !== part.dim) return part;
  const earlier = rowMap(a.productIds);
  const pairs: [number, number][] = [];
  productIds.forEach((id, j) => {
    const e = earlier.get(id);
    if (e !== undefined) pairs.push([j, e]);
  });
  return { ...part, ...alignPart(part, pairs, a.vectors, a.stride, a.offset) };
}

/** Segments are found on unit fused vectors with the learned fusion (its vectors are scoring vectors, not unit). */
function clusterSpace(fused: Float32Array, dim: number, o: ResolvedProfileOptions): Float32Array {
  return o.fusion === 'learned' ? normaliseRows(fused.slice(), dim) : fused;
}

/**
 * The learned fusion: a validation split inside the training reviews
 * (newest review of at most `validationUsers` users), RP3β's α, β tuned on it,
 * every part fitted without those reviews, the part weights fitted on them;
 * then the final profiles on all reviews, their skip-gram warm-started from
 * the validation pass (walks only near the validation reviews), fused with
 * the fitted weights.
 */
async function learnFusedProfiles(data: ShopData, options: ProfileOptions, o: ResolvedProfileOptions): Promise<Profiles> {
  if (options.warm) throw new OptionError('computeProfiles', 'warm', 'a warm start', 'a fusionModel with it (refresh applies the base run\'s fusion)');
  const k = validationK;
  const timer = new PhaseTimer(options.progress);
  const textCache = options.textCache ?? new MemoryTextVectorCache();
  const t = data.reviews;
  const split = timer.timeSync('validation split', () => validationSplit(t, allRows(t.count), { maxUsers: o.validationUsers, seed: o.seed }));
  const walkDim = resolveWalkDim(o.walkDim, firstAppearance(t.product, t.productKeys.length).length);
  if (split.test.length === 0) {
    const walk = { alpha: 0.5, beta: 0.2, dim: walkDim, recencyDays: null };
    const weights = Object.fromEntries(['graph', 'context', ...(o.textWeight > 0 ? ['text'] : []), 'walk', 'popularity'].map((n, _i, all) => [n, 1 / all.length])) as FusionWeights;
    const p = await computeProfiles(data, { ...options, textCache, fusionModel: { walk, weights } });
    (p.fusion as FusionSummary).notes.push('no user has 2 reviews to hold one out for validation: the parts are weighted equally');
    return p;
  }
  // Rows of the training part's users and products, in order of first appearance in it.
  const rowsOf = (index: Uint32Array, keys: readonly string[]): Map<string, number> => new Map(Array.from(firstAppearance(index, keys.length, split.train), (k, i) => [keys[k]!, i] as [string, number]));
  const rows = { users: rowsOf(t.user, t.userKeys), products: rowsOf(t.product, t.productKeys) };
  const v = { x: interactionsOf(t, split.train, rows.users, rows.products), tasks: validationTasks(t, split.test, rows.users, rows.products), k };
  const tuned = timer.timeSync('validation walk', () => tuneRp3(v, o.seed, { recency: true }));
  const next = timer.timeSync('validation sequence', () => tuneSequence(v, { ...tuned.params, dim: walkDim }, o.seed, tuned.embedding));
  const walk = { ...tuned.params, dim: walkDim, sequence: next.params.sequence };
  const { fit, warm, walkStart } = await validationPass(data, split, { ...options, textCache }, walk, k, o.seed, timer);
  const final = await computeProfiles(data, { ...options, textCache, fusionModel: { walk, weights: fit.weights }, warm, walkStart });
  for (const [phase, s] of Object.entries(final.timings)) timer.add(phase, s);
  const fusion: FusionSummary = {
    ...(final.fusion as FusionSummary),
    validation: { ...fit.validation, rp3beta: tuned.validation },
    validationUsers: fit.tasks,
    notes: fusionNotes(fit.weights, fit.validation),
  };
  return { ...final, fusion, timings: timer.toJSON() };
}

/**
 * Every part fitted without the validation reviews, and the fusion weights
 * fitted on them. Returns only what the final pass needs (the fit, and the
 * skip-gram state to warm-start from), so the validation pass's vectors are
 * garbage before the final pass allocates its own.
 */
async function validationPass(
  data: ShopData,
  split: HoldOutSplit,
  options: ProfileOptions,
  walk: FusionModel['walk'],
  k: number,
  seed: number,
  timer: PhaseTimer,
): Promise<{ fit: ReturnType<typeof fitFusion>; warm: WarmStart; walkStart: ProfileOptions['walkStart'] }> {
  const progress = options.progress;
  const inner = await computeProfiles(
    { ...data, reviews: takeRows(data.reviews, split.train) },
    { ...options, segments: false, fusionModel: { walk }, progress: progress ? (phase) => progress(`validation ${phase}`) : undefined },
  );
  for (const [phase, s] of Object.entries(inner.timings)) timer.add(`validation ${phase}`, s);
  const innerUsers = rowMap(inner.users.ids);
  const innerProducts = rowMap(inner.products.ids);
  const fit = timer.timeSync('validation fit', () =>
    fitFusion(inner.parts, interactionsOf(data.reviews, split.train, innerUsers, innerProducts), validationTasks(data.reviews, split.test, innerUsers, innerProducts), k, seed),
  );
  const w = inner.parts.find((p) => p.name === 'walk');
  const walkStart = w && w.dim < inner.products.ids.length ? { productIds: inner.products.ids, vectors: w.products, dim: w.dim } : undefined;
  return { fit, warm: { keys: inner.csr.keys, state: inner.sgnsState, radius: 1, handOver: true }, walkStart };
}

const fmt = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(4));

/** What `train` says about the parts: when the graph is too sparse for its skip-gram vectors to help. */
function fusionNotes(weights: FusionWeights, v: Partial<Record<PartName | 'fused', ValidationScore>>): string[] {
  const notes: string[] = [];
  const pop = v.popularity?.recall ?? 0;
  const graphBest = Math.max(v.graph?.recall ?? 0, v.context?.recall ?? 0);
  if (!weights.graph && !weights.context && graphBest <= pop) {
    notes.push(
      `the graph is too sparse for its skip-gram vectors to help: on the validation split they rank held-out reviews no better than popularity ` +
        `(Recall@10 graph ${fmt(v.graph?.recall)}, context ${fmt(v.context?.recall)}, popularity ${fmt(v.popularity?.recall)}), so they get no weight`,
    );
  }
  if (!weights.walk && (v.walk?.recall ?? 0) <= pop) notes.push(`the walk part (RP3β) ranks no better than popularity on the validation split (Recall@10 ${fmt(v.walk?.recall)} vs ${fmt(pop)})`);
  return notes;
}
