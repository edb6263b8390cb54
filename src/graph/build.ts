/**
 * Builds graphprof's graphs from ingested records:
 * - the heterogeneous shop graph (graphology, undirected): nodes `user:<id>`,
 *   `product:<id>`, `review:<id>`, `category:<name>`; edges user–review and
 *   review–product (weight 1), user–product (weight = rating; the mean when a user
 *   reviewed a product more than once; 1 when unrated), product–category (weight 1);
 * - its compact CSR form for the native code (`toCsr`);
 * - the CSR of a plain edge list (`buildEdgeListCsr`), with no graphology detour.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import type { EdgeListData, ShopData } from '../ingest/records.js';
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
  const directed = opts.directed ?? false;
  const index = new Map<string, number>();
  const keys: string[] = [];
  const idOf = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = keys.length;
      index.set(id, i);
      keys.push(id);
    }
    return i;
  };
  const arcs = new ArcBuffer();
  const seen = new Map<string, number>(); // pair -> arc position, for merging repeats
  for (const e of data.edges) {
    let s = idOf(e.src);
    let d = idOf(e.dst);
    if (!opts.multi) {
      if (!directed && s > d) [s, d] = [d, s];
      const pair = `${s} ${d}`;
      const at = seen.get(pair);
      if (at !== undefined) {
        const list = arcs.toArcList();
        if (e.weight > list.weight[at]) list.weight[at] = e.weight;
        continue;
      }
      seen.set(pair, arcs.count);
    }
    arcs.push(s, d, e.weight);
  }
  const nodeType = new Uint8Array(keys.length); // NodeType.plain
  return arcsToCsr(keys.length, arcs.toArcList(), !directed, nodeType, keys);
}
