/**
 * Computes user and product profiles from shop data, without touching the
 * database: graph -> node2vec walks -> skip-gram -> text vectors -> fusion ->
 * segments. `train` stores the result; `eval` scores it on held-out reviews.
 */
import { buildShopGraph, toCsr, type EdgeTypeName } from '../graph/build.js';
import { countEdgeTypes } from '../graph/counts.js';
import { NodeType, type Csr } from '../graph/csr.js';
import type { ShopData } from '../ingest/records.js';
import { generateWalks } from '../walk/index.js';
import { trainSkipGram } from '../sgns/index.js';
import { encodeTexts, entityTextVectors, type TextRoute } from '../text/auto.js';
import type { TextEncodingStats } from '../text/stats.js';
import type { TextVectorCache } from '../text/cache.js';
import { readablePart } from '../text/limits.js';
import { normaliseText } from '../text/normalize.js';
import { textPrecisionParam, type TextPrecision } from '../text/params.js';
import { fuse, type FusedVectors } from '../fuse/fuse.js';
import { normaliseRows } from '../fuse/vectors.js';
import { assignToCentroids, cluster, type Clustering } from '../segment/cluster.js';
import type { SgnsState } from '../store/runs.js';
import { planWarmStart, type WarmStart } from './warm.js';
import { describeSegments, type SegmentDescription, type SegmentReview } from '../segment/describe.js';
import { PhaseTimer } from '../util/timing.js';
import type { Progress } from '../util/progress.js';
import { trainDefaults } from './defaults.js';

export interface ProfileOptions {
  dim?: number;
  walkLength?: number;
  walksPerNode?: number;
  window?: number;
  p?: number;
  q?: number;
  negative?: number;
  epochs?: number;
  textWeight?: number;
  fusedDim?: number;
  clusters?: number | 'auto';
  seed?: number;
  threads?: number;
  /** --text-model: auto (default), shop, or a model directory / cached name (src/text/params.ts). */
  textModel?: string;
  /** Built-in model variant, int8 (default) or fp32. */
  textPrecision?: TextPrecision;
  /** Id of a stored shop-trained text model to embed with (refresh reuses its base run's). */
  shopTextModel?: string;
  /** The text encoders allowed (refresh keeps its base run's, so the vector layout stays). */
  textRoutes?: TextRoute[];
  batchSize?: number;
  textCache?: TextVectorCache;
  /** Skip segmentation (eval does not need it unless ground truth is given). */
  segments?: boolean;
  /** Refresh: continue from a previous run's skip-gram state; walks start only near new nodes. */
  warm?: WarmStart;
  /** Refresh without refit: assign users to these existing segment centroids [k x fusedDim]. */
  assignTo?: { k: number; centroids: Float32Array };
  signal?: AbortSignal;
  /** A progress callback per phase (the CLI draws one bar per phase). */
  progress?: (phase: string) => Progress;
}

type Passed = 'fusedDim' | 'threads' | 'textModel' | 'shopTextModel' | 'textRoutes' | 'textCache' | 'signal' | 'progress' | 'warm' | 'assignTo';
export type ResolvedProfileOptions = Required<Omit<ProfileOptions, Passed>> & Pick<ProfileOptions, Passed>;

export function resolveProfileOptions(o: ProfileOptions): ResolvedProfileOptions {
  const d = trainDefaults;
  return {
    ...o,
    dim: o.dim ?? d.dim,
    walkLength: o.walkLength ?? d.walkLength,
    walksPerNode: o.walksPerNode ?? d.walksPerNode,
    window: o.window ?? d.window,
    p: o.p ?? d.p,
    q: o.q ?? d.q,
    negative: o.negative ?? d.negative,
    epochs: o.epochs ?? d.epochs,
    textWeight: o.textWeight ?? d.textWeight,
    clusters: o.clusters ?? d.clusters,
    seed: o.seed ?? d.seed,
    batchSize: o.batchSize ?? d.batchSize,
    textPrecision: textPrecisionParam.check(o.textPrecision ?? textPrecisionParam.default, 'computeProfiles'),
    segments: o.segments ?? true,
  };
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
  /** The run's text model (the encoders' ids joined by " + " when auto used two). */
  modelId: string | null;
  /** Model ids whose new cache entries are written with the run. */
  textCacheModelIds: string[];
  textStats: TextEncodingStats;
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
}

/** Encodes each distinct review text (and product title) once; one text vector per user and product (src/text/auto.ts). */
async function textVectors(data: ShopData, userRow: Map<string, number>, productRow: Map<string, number>, o: ResolvedProfileOptions): Promise<TextPart> {
  const textIndex = new Map<string, number>();
  const texts: string[] = [];
  const docOf = (raw: string): number => {
    const t = normaliseText(readablePart(raw));
    if (t === '') return -1;
    let i = textIndex.get(t);
    if (i === undefined) {
      i = texts.length;
      textIndex.set(t, i);
      texts.push(t);
    }
    return i;
  };
  const userDocs: [number, number][] = [];
  const productDocs: [number, number][] = [];
  for (const r of data.reviews) {
    const d = docOf(r.text);
    if (d < 0) continue;
    userDocs.push([userRow.get(r.userId) as number, d]);
    productDocs.push([productRow.get(r.productId) as number, d]);
  }
  for (const p of data.products.values()) {
    const row = productRow.get(p.productId);
    const d = row === undefined ? -1 : docOf(p.title);
    if (d >= 0) productDocs.push([row as number, d]);
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
  const users = entityTextVectors(enc, userDocs, userRow.size);
  const products = entityTextVectors(enc, productDocs, productRow.size);
  return { dim: users.dim, users, products, modelId: enc.modelId, cacheModelIds: enc.cacheModelIds, shopModelId: enc.shopModelId, routes: enc.routes, stats: enc.stats };
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

export async function computeProfiles(data: ShopData, options: ProfileOptions = {}): Promise<Profiles> {
  const o = resolveProfileOptions(options);
  const timer = new PhaseTimer();
  const { csr, edgeCounts } = timer.timeSync('graph', () => {
    const graph = buildShopGraph(data);
    return { csr: toCsr(graph), edgeCounts: countEdgeTypes(graph) };
  });
  const warm = o.warm ? timer.timeSync('warm-start', () => planWarmStart(csr, o.warm as WarmStart, o.seed)) : null;
  const corpus = await timer.time('walks', () =>
    generateWalks(csr, {
      p: o.p,
      q: o.q,
      walkLength: o.walkLength,
      walksPerNode: o.walksPerNode,
      seed: o.seed,
      threads: o.threads,
      startNodes: warm?.affected,
      signal: o.signal,
      onProgress: o.progress?.('walks'),
    }),
  );
  const sgProgress = o.progress?.('skip-gram');
  const sg = await timer.time('skip-gram', () =>
    trainSkipGram(corpus, {
      dim: o.dim,
      window: o.window,
      negative: o.negative,
      epochs: o.epochs,
      seed: o.seed,
      threads: o.threads,
      signal: o.signal,
      init: warm ? { input: warm.input, output: warm.output } : undefined,
      onProgress: sgProgress ? (p) => sgProgress(p.words, p.totalWords, `${Math.round(p.wordsPerSec / 1000)}k words/s, loss ${p.loss.toFixed(3)}`) : undefined,
    }),
  );
  const userNodes = nodesOfType(csr, NodeType.user);
  const productNodes = nodesOfType(csr, NodeType.product);
  const userRow = new Map(Array.from(userNodes, (v, i) => [stripPrefix(csr.keys[v]), i] as [string, number]));
  const productRow = new Map(Array.from(productNodes, (v, i) => [stripPrefix(csr.keys[v]), i] as [string, number]));
  const text = o.textWeight > 0 ? await timer.time('text', () => textVectors(data, userRow, productRow, o)) : null;
  const textDim = text?.dim ?? 0;
  const { users, products } = timer.timeSync('fusion', () => {
    const u = entity(csr, userNodes, sg.vectors, o.dim, text?.users ?? null, textDim);
    const p = entity(csr, productNodes, sg.vectors, o.dim, text?.products ?? null, textDim);
    const [fu, fp] = fuseBoth(u, p, o.dim, textDim, o);
    return { users: { ...u, fused: fu.vectors, flags: fu.flags }, products: { ...p, fused: fp.vectors, flags: fp.flags }, fusedDim: fu.dim };
  });
  const fusedDim = users.fused.length / Math.max(1, users.nodes.length);
  let clustering: Clustering | null = null;
  let segments: SegmentDescription[] = [];
  if (o.segments && users.nodes.length >= 2) {
    clustering = timer.timeSync('segments', () =>
      o.assignTo ? assignToCentroids(users.fused, fusedDim, o.assignTo.centroids, o.assignTo.k) : cluster(users.fused, fusedDim, { k: o.clusters, seed: o.seed }),
    );
    segments = timer.timeSync('describe', () => describe(data, clustering as Clustering, userRow));
  }
  return {
    csr,
    edgeCounts,
    sgnsState: { dim: o.dim, input: sg.vectors, output: sg.output },
    walk: { starts: warm ? warm.affected.length : csr.nodeCount, newNodes: warm?.newNodes ?? csr.nodeCount, tokens: corpus.tokens.length },
    graphDim: o.dim,
    textDim,
    fusedDim,
    nodeVectors: sg.vectors,
    users,
    products,
    clustering,
    segments,
    modelId: text?.modelId ?? null,
    textCacheModelIds: text?.cacheModelIds ?? [],
    textStats: text?.stats ?? { texts: 0, encoded: 0, cacheHits: 0, sessionRuns: 0, truncated: 0, byModel: {} },
    timings: timer.toJSON(),
    params: { ...o, shopTextModel: text?.shopModelId ?? o.shopTextModel, textRoutes: text?.routes ?? o.textRoutes },
  };
}

function describe(data: ShopData, c: Clustering, userRow: Map<string, number>): SegmentDescription[] {
  const reviews: SegmentReview[] = data.reviews.map((r) => ({
    member: userRow.get(r.userId) as number,
    text: r.text,
    rating: r.rating,
    productId: r.productId,
  }));
  return describeSegments({
    k: c.k,
    assignment: c.assignment,
    distance: c.distance,
    reviews,
    productTitle: (id) => data.products.get(id)?.title ?? '',
    productCategories: (id) => data.products.get(id)?.categories ?? [],
  });
}
