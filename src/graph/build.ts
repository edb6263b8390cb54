/**
 * Builds graphprof's graphs from ingested records:
 * - the heterogeneous shop graph (graphology, undirected): nodes `user:<id>`,
 *   `product:<id>`, `review:<id>`, `category:<name>`; edges user–review and
 *   review–product (weight 1), user–product (weight = rating; the mean when a user
 *   reviewed a product more than once; 1 when unrated), product–category (weight 1);
 * - its compact CSR form for the native code (`toCsr`), or the same CSR built
 *   straight from the records (`buildShopCsr`: no graphology objects, for
 *   shops of millions of reviews);
 * - the CSR of a plain edge list (`buildEdgeListCsr`), with no graphology detour.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { EdgeTableBuilder } from '../ingest/edgelist.js';
import type { EdgeListData, EdgeTable, ShopData } from '../ingest/records.js';
import { NodeType, type Csr, type NodeTypeName } from './csr.js';
import { ArcBuffer, arcsToCsr } from './csr-build.js';

export type EdgeTypeName = 'user-review' | 'review-product' | 'user-product' | 'product-category';
export const edgeTypeNames: readonly EdgeTypeName[] = ['user-review', 'review-product', 'user-product', 'product-category'];

export interface NodeAttributes {
  type: NodeTypeName;
  /** The id without its type prefix. */
  id: string;
}
export interface EdgeAttributes {
  type: EdgeTypeName;
  weight: number;
  /** How many reviews were merged into a user–product edge. */
  count?: number;
}
export type ShopGraph = AbstractGraph<NodeAttributes, EdgeAttributes>;

export function nodeKey(type: NodeTypeName, id: string): string {
  return `${type}:${id}`;
}

function ensureNode(graph: ShopGraph, type: NodeTypeName, id: string): string {
  const key = nodeKey(type, id);
  if (!graph.hasNode(key)) graph.addNode(key, { type, id });
  return key;
}

/** The heterogeneous graph of a shop: one node per user, product, review and category. */
export function buildShopGraph(data: ShopData): ShopGraph {
  const graph: ShopGraph = new UndirectedGraph<NodeAttributes, EdgeAttributes>();
  for (const r of data.reviews) {
    const user = ensureNode(graph, 'user', r.userId);
    const product = ensureNode(graph, 'product', r.productId);
    const review = ensureNode(graph, 'review', r.reviewId);
    graph.addEdge(user, review, { type: 'user-review', weight: 1 });
    graph.addEdge(review, product, { type: 'review-product', weight: 1 });
    const rating = r.rating !== null && r.rating > 0 ? r.rating : 1;
    const existing = graph.edge(user, product);
    if (existing === undefined) {
      graph.addEdge(user, product, { type: 'user-product', weight: rating, count: 1 });
    } else {
      const attrs = graph.getEdgeAttributes(existing);
      const count = (attrs.count ?? 1) + 1;
      graph.mergeEdgeAttributes(existing, { weight: attrs.weight + (rating - attrs.weight) / count, count });
    }
  }
  // Users and products known only from users.csv / metadata have nothing to
  // walk from and no profile to learn: they join the graph only in a graph
  // without reviews (metadata alone), where categories are all there is.
  if (data.reviews.length === 0) for (const u of data.users.keys()) ensureNode(graph, 'user', u);
  for (const p of data.products.values()) {
    if (!graph.hasNode(nodeKey('product', p.productId)) && data.reviews.length > 0) continue;
    const product = ensureNode(graph, 'product', p.productId);
    for (const c of p.categories) {
      const category = ensureNode(graph, 'category', c);
      if (!graph.hasEdge(product, category)) graph.addEdge(product, category, { type: 'product-category', weight: 1 });
    }
  }
  return graph;
}

/** CSR of a shop graph; node index = graphology insertion order. */
export function toCsr(graph: ShopGraph): Csr {
  const keys = graph.nodes();
  const index = new Map<string, number>();
  const nodeType = new Uint8Array(keys.length);
  keys.forEach((k, i) => {
    index.set(k, i);
    nodeType[i] = NodeType[graph.getNodeAttribute(k, 'type')];
  });
  const arcs = new ArcBuffer();
  graph.forEachEdge((_e, attrs, source, target) => {
    arcs.push(index.get(source) as number, index.get(target) as number, attrs.weight);
  });
  return arcsToCsr(keys.length, arcs.toArcList(), graph.type !== 'directed', nodeType, keys);
}

/** The shop graph's CSR and its edge counts per type, as toCsr(buildShopGraph(data)) and countEdgeTypes give them. */
export interface ShopCsr {
  csr: Csr;
  edgeCounts: Record<EdgeTypeName, number>;
}

/**
 * The CSR of buildShopGraph(data) built directly from the records: the same
 * node indices (first appearance: user, product, review of each review in
 * order, then categories), the same arcs and weights (a user–product edge's
 * weight is the running mean of its ratings, computed in the same order), so
 * walks and vectors are identical. Hand-written beside graphology because a
 * million-review shop would otherwise hold millions of graphology node and edge
 * objects (~60 s and ~1 GB at 1M reviews) only to be flattened into this.
 */
export function buildShopCsr(data: ShopData): ShopCsr {
  const keys: string[] = [];
  const types: number[] = [];
  const byType = { user: new Map<string, number>(), product: new Map<string, number>(), review: new Map<string, number>(), category: new Map<string, number>() };
  const nodeOf = (type: keyof typeof byType, id: string): number => {
    const m = byType[type];
    let v = m.get(id);
    if (v === undefined) {
      v = keys.length;
      m.set(id, v);
      keys.push(nodeKey(type, id));
      types.push(NodeType[type]);
    }
    return v;
  };
  const reviews = data.reviews;
  const arcs = new ArcBuffer();
  // User–product pairs: one arc per pair, its weight the running mean of the pair's ratings in review order.
  const userNode = new Uint32Array(reviews.length);
  const productNode = new Uint32Array(reviews.length);
  for (let r = 0; r < reviews.length; r++) {
    const rec = reviews[r];
    const user = nodeOf('user', rec.userId);
    const product = nodeOf('product', rec.productId);
    if (byType.review.has(rec.reviewId)) throw new Error(`buildShopCsr: review id "${rec.reviewId}" occurs twice (${rec.source.file}:${rec.source.line})`);
    const review = nodeOf('review', rec.reviewId);
    arcs.push(user, review, 1);
    arcs.push(review, product, 1);
    userNode[r] = user;
    productNode[r] = product;
  }
  const pairs = new Map<number, number>(); // user node * node bound + product node -> position in pairWeight
  const pairWeight: number[] = [];
  const pairCount: number[] = [];
  const pairUser: number[] = [];
  const pairProduct: number[] = [];
  const bound = keys.length;
  for (let r = 0; r < reviews.length; r++) {
    const rating = reviews[r].rating;
    const w = rating !== null && rating > 0 ? rating : 1;
    const key = userNode[r] * bound + productNode[r];
    const at = pairs.get(key);
    if (at === undefined) {
      pairs.set(key, pairWeight.length);
      pairWeight.push(w);
      pairCount.push(1);
      pairUser.push(userNode[r]);
      pairProduct.push(productNode[r]);
    } else {
      const count = pairCount[at] + 1;
      pairWeight[at] += (w - pairWeight[at]) / count;
      pairCount[at] = count;
    }
  }
  for (let i = 0; i < pairWeight.length; i++) arcs.push(pairUser[i], pairProduct[i], pairWeight[i]);
  // As buildShopGraph: users known only from users.csv join only a graph without reviews, and so do products from metadata.
  if (reviews.length === 0) for (const u of data.users.keys()) nodeOf('user', u);
  let productCategory = 0;
  for (const p of data.products.values()) {
    if (!byType.product.has(p.productId) && reviews.length > 0) continue;
    const product = nodeOf('product', p.productId);
    const linked = new Set<number>();
    for (const c of p.categories) {
      const category = nodeOf('category', c);
      if (linked.has(category)) continue;
      linked.add(category);
      arcs.push(product, category, 1);
      productCategory++;
    }
  }
  const csr = arcsToCsr(keys.length, arcs.toArcList(), true, Uint8Array.from(types), keys);
  return { csr, edgeCounts: { 'user-review': reviews.length, 'review-product': reviews.length, 'user-product': pairWeight.length, 'product-category': productCategory } };
}

export interface EdgeListCsrOptions {
  /** Store arcs one way only (default false: undirected). */
  directed?: boolean;
  /**
   * Keep repeated edges as parallel arcs (default false). When false, a repeated
   * pair (in either direction for undirected graphs) keeps the larger weight, so a
   * citation listed both ways is one edge, not a doubly weighted one.
   */
  multi?: boolean;
}

/** CSR of a plain edge list; node index = order of first appearance, keys = raw ids. */
export function buildEdgeListCsr(data: EdgeListData, opts: EdgeListCsrOptions = {}): Csr {
  return buildEdgeTableCsr(EdgeTableBuilder.fromRecords(data.edges), opts);
}

/**
 * CSR of an edge table (node i = table.keys[i]) in O(V + E) with typed arrays
 * only: the arcs are bucketed into sorted rows (arcsToCsr), then repeats,
 * adjacent in a sorted row, are merged there (mergeRepeatedArcs) instead of
 * through a map of every pair seen (which at 10M edges cost ~1 GB and nears
 * the 2^24 entries a Map can hold).
 */
export function buildEdgeTableCsr(table: EdgeTable, opts: EdgeListCsrOptions = {}): Csr {
  const directed = opts.directed ?? false;
  const nodeCount = table.keys.length;
  const arcs = { src: table.src, dst: table.dst, weight: table.weight, count: table.count };
  const csr = arcsToCsr(nodeCount, arcs, !directed, new Uint8Array(nodeCount) /* NodeType.plain */, table.keys);
  return opts.multi ? csr : mergeRepeatedArcs(csr);
}

/**
 * A repeated pair (in either direction for undirected graphs: both rows hold
 * every copy) becomes one arc with the largest of its weights, so a citation
 * listed both ways is one edge, not a doubly weighted one. Rows are sorted, so
 * repeats are adjacent: one pass, compacting in place.
 */
function mergeRepeatedArcs(csr: Csr): Csr {
  const { nodeCount, targets, weights } = csr;
  const wide = csr.offsets instanceof BigUint64Array;
  const offsetAt = (v: number): number => Number(csr.offsets[v]);
  let out = 0;
  let begin = 0;
  const ends = new Float64Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    const end = offsetAt(v + 1);
    for (let k = begin; k < end; k++) {
      if (k > begin && targets[k] === targets[out - 1]) {
        if (weights[k]! > weights[out - 1]!) weights[out - 1] = weights[k]!;
        continue;
      }
      targets[out] = targets[k]!;
      weights[out] = weights[k]!;
      out++;
    }
    ends[v] = out;
    begin = end;
  }
  if (out === targets.length) return csr;
  const offsets = wide && out >= 0xffffffff ? new BigUint64Array(nodeCount + 1) : new Uint32Array(nodeCount + 1);
  for (let v = 0; v < nodeCount; v++) {
    if (offsets instanceof Uint32Array) offsets[v + 1] = ends[v]!;
    else offsets[v + 1] = BigInt(ends[v]!);
  }
  // Exact-size copies when repeats freed much, else views (no second copy of the arcs).
  const shrink = out < targets.length * 0.875;
  return {
    ...csr,
    offsets,
    targets: shrink ? targets.slice(0, out) : targets.subarray(0, out),
    weights: shrink ? weights.slice(0, out) : weights.subarray(0, out),
  };
}
