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
  const t = data.reviews;
  for (let r = 0; r < t.count; r++) {
    const user = ensureNode(graph, 'user', t.userKeys[t.user[r]!]!);
    const product = ensureNode(graph, 'product', t.productKeys[t.product[r]!]!);
    const review = ensureNode(graph, 'review', t.reviewId[r]!);
    graph.addEdge(user, review, { type: 'user-review', weight: 1 });
    graph.addEdge(review, product, { type: 'review-product', weight: 1 });
    const rating = ratingWeight(t.rating[r]!);
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
  if (t.count === 0) for (const u of data.users.keys()) ensureNode(graph, 'user', u);
  for (const p of data.products.values()) {
    if (!graph.hasNode(nodeKey('product', p.productId)) && t.count > 0) continue;
    const product = ensureNode(graph, 'product', p.productId);
    for (const c of p.categories) {
      const category = ensureNode(graph, 'category', c);
      if (!graph.hasEdge(product, category)) graph.addEdge(product, category, { type: 'product-category', weight: 1 });
    }
  }
  return graph;
}

/** A user–product edge's weight from one review: its rating, 1 when unrated (NaN) or 0. */
const ratingWeight = (rating: number): number => (rating > 0 ? rating : 1);

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
 * The CSR of buildShopGraph(data) built directly from the review table: the
 * same node indices (first appearance: user, product, review of each review in
 * order, then categories), the same arcs and weights (a user–product edge's
 * weight is the running mean of its ratings, computed in the same order), so
 * walks and vectors are identical. Hand-written beside graphology because a
 * million-review shop would otherwise hold millions of graphology node and edge
 * objects (~60 s and ~1 GB at 1M reviews) only to be flattened into this.
 * Reads the table's index columns: node ids per interned user and product in
 * typed arrays, user–product pairs grouped by a counting sort over users (no
 * Map lookup per review). Review ids are unique in a table (records.ts).
 */
export function buildShopCsr(data: ShopData): ShopCsr {
  const t = data.reviews;
  const n = t.count;
  let categoryBound = 0;
  for (const p of data.products.values()) categoryBound += p.categories.length;
  const bound = t.userKeys.length + t.productKeys.length + n + (n === 0 ? data.users.size + data.products.size : 0) + categoryBound;
  const keys: string[] = [];
  const types = new Uint8Array(bound);
  const addNode = (type: NodeTypeName, id: string): number => {
    types[keys.length] = NodeType[type];
    return keys.push(nodeKey(type, id)) - 1;
  };
  const userNode = new Int32Array(t.userKeys.length).fill(-1);
  const productNode = new Int32Array(t.productKeys.length).fill(-1);
  const arcs = new ArcBuffer();
  for (let r = 0; r < n; r++) {
    const u = t.user[r]!;
    const p = t.product[r]!;
    if (userNode[u]! < 0) userNode[u] = addNode('user', t.userKeys[u]!);
    if (productNode[p]! < 0) productNode[p] = addNode('product', t.productKeys[p]!);
    const review = addNode('review', t.reviewId[r]!);
    arcs.push(userNode[u]!, review, 1);
    arcs.push(review, productNode[p]!, 1);
  }
  const pairs = addUserProductArcs(t.user, t.product, t.rating, t.userKeys.length, t.productKeys.length, userNode, productNode, arcs);
  // As buildShopGraph: users known only from users.csv join only a graph without reviews, and so do products from metadata.
  if (n === 0) for (const u of data.users.keys()) addNode('user', u);
  const productIndex = new Map(t.productKeys.map((k, i) => [k, i] as [string, number]));
  const categoryNode = new Map<string, number>();
  let productCategory = 0;
  for (const p of data.products.values()) {
    const i = productIndex.get(p.productId);
    let product = i === undefined ? -1 : productNode[i]!;
    if (product < 0) {
      if (n > 0) continue;
      product = addNode('product', p.productId);
    }
    const linked = new Set<number>();
    for (const c of p.categories) {
      let category = categoryNode.get(c);
      if (category === undefined) categoryNode.set(c, (category = addNode('category', c)));
      if (linked.has(category)) continue;
      linked.add(category);
      arcs.push(product, category, 1);
      productCategory++;
    }
  }
  const csr = arcsToCsr(keys.length, arcs.toArcList(), true, types.slice(0, keys.length), keys);
  return { csr, edgeCounts: { 'user-review': n, 'review-product': n, 'user-product': pairs, 'product-category': productCategory } };
}

/**
 * One arc per (user, product) pair, its weight the running mean of the pair's
 * ratings in row order (as buildShopGraph merges them). Rows are bucketed by
 * user with a counting sort (row order kept within a user), and a user's
 * pairs found through a per-product flag array reset after the user. The CSR
 * does not depend on the order arcs are pushed in (rows come out sorted, and
 * pairs are unique), so pairs are pushed user by user. Returns the pair count.
 */
function addUserProductArcs(
  user: Uint32Array,
  product: Uint32Array,
  rating: Float64Array,
  users: number,
  products: number,
  userNode: Int32Array,
  productNode: Int32Array,
  arcs: ArcBuffer,
): number {
  const n = user.length;
  const start = new Uint32Array(users + 1);
  for (let r = 0; r < n; r++) start[user[r]! + 1]++;
  for (let u = 0; u < users; u++) start[u + 1] += start[u]!;
  const fill = start.slice(0, users);
  const byUser = new Uint32Array(n);
  for (let r = 0; r < n; r++) byUser[fill[user[r]!]!++] = r;
  const open = new Uint8Array(products); // 1 while product p has a pair with the current user
  const weight = new Float64Array(products);
  const count = new Uint32Array(products);
  const touched = new Uint32Array(products);
  let pairs = 0;
  for (let u = 0; u < users; u++) {
    let m = 0;
    for (let k = start[u]!; k < start[u + 1]!; k++) {
      const r = byUser[k]!;
      const p = product[r]!;
      const w = ratingWeight(rating[r]!);
      if (open[p] === 0) {
        open[p] = 1;
        weight[p] = w;
        count[p] = 1;
        touched[m++] = p;
      } else {
        const c = ++count[p]!;
        weight[p] += (w - weight[p]!) / c;
      }
    }
    for (let j = 0; j < m; j++) {
      const p = touched[j]!;
      arcs.push(userNode[u]!, productNode[p]!, weight[p]!);
      open[p] = 0;
    }
    pairs += m;
  }
  return pairs;
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
