import { describe, expect, it } from 'vitest';
import { buildEdgeListCsr, buildShopCsr, buildShopGraph, toCsr, type ShopGraph } from '../src/graph/build.js';
import { countEdgeTypes } from '../src/graph/counts.js';
import { NodeType, type Csr } from '../src/graph/csr.js';
import { graphStats } from '../src/graph/stats.js';
import { readInputs } from '../src/ingest/index.js';
import { emptyCounts, type EdgeListData, type ReviewRecord, type ShopData } from '../src/ingest/records.js';
import { reviewTableOf, takeRows } from '../src/ingest/table.js';
import { sharedData } from './helpers/paths.js';

function review(id: string, user: string, product: string, rating: number | null, text = 'ok'): ReviewRecord {
  return { reviewId: id, userId: user, productId: product, rating, text, summary: '', timestamp: 1, source: { file: 'x', line: 1 } };
}

function shop(reviews: ReviewRecord[], categories: Record<string, string[]> = {}): ShopData {
  const products = new Map(
    Object.entries(categories).map(([p, cats]) => [p, { productId: p, title: p, categories: cats, brand: '', price: null }]),
  );
  return {
    kind: 'shop',
    reviews: reviewTableOf(reviews),
    products,
    users: new Map(),
    counts: emptyCounts(reviews.length),
    files: [],
  };
}

function edgeList(pairs: [string, string, number?][]): EdgeListData {
  return {
    kind: 'edgelist',
    edges: pairs.map(([src, dst, weight]) => ({ src, dst, weight: weight ?? 1 })),
    counts: emptyCounts(pairs.length),
    files: [],
  };
}

function row(csr: Csr, v: number): { t: number[]; w: number[] } {
  const s = Number(csr.offsets[v]);
  const e = Number(csr.offsets[v + 1]);
  return { t: Array.from(csr.targets.subarray(s, e)), w: Array.from(csr.weights.subarray(s, e)) };
}

/** buildShopCsr gives exactly toCsr(buildShopGraph(data)): keys, types, offsets, targets, weights and edge counts. */
function expectDirectCsrIdentical(data: ShopData): void {
  const g = buildShopGraph(data);
  const via = toCsr(g);
  const direct = buildShopCsr(data);
  expect(direct.csr.keys).toEqual(via.keys);
  expect(direct.csr.nodeType).toEqual(via.nodeType);
  expect(direct.csr.offsets).toEqual(via.offsets);
  expect(direct.csr.targets).toEqual(via.targets);
  expect(direct.csr.weights).toEqual(via.weights);
  expect(direct.csr.directed).toBe(false);
  expect(direct.edgeCounts).toEqual(countEdgeTypes(g));
}

/** Every graphology edge appears in both CSR rows with its weight, and nothing else does. */
function expectCsrMatchesGraph(graph: ShopGraph, csr: Csr): void {
  expect(csr.nodeCount).toBe(graph.order);
  const index = new Map(csr.keys.map((k, i) => [k, i]));
  graph.forEachNode((key, attrs) => expect(csr.nodeType[index.get(key)!]).toBe(NodeType[attrs.type]));
  let arcs = 0;
  graph.forEachEdge((_e, attrs, source, target) => {
    const s = index.get(source)!;
    const t = index.get(target)!;
    for (const [a, b] of [[s, t], [t, s]]) {
      const r = row(csr, a);
      const at = r.t.indexOf(b);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(r.w[at]).toBeCloseTo(attrs.weight, 5);
    }
    arcs += 2;
  });
  expect(Number(csr.offsets[csr.nodeCount])).toBe(arcs);
  for (let v = 0; v < csr.nodeCount; v++) {
    const t = row(csr, v).t;
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
  }
}

describe('shop graph', () => {
  it('has typed nodes and edges, a merged user-product edge with the mean rating, and categories', () => {
    const g = buildShopGraph(
      shop([review('r1', 'u1', 'p1', 5), review('r2', 'u1', 'p1', 3), review('r3', 'u2', 'p1', null), review('r4', 'u2', 'p2', 4)], {
        p1: ['Guitars', 'Strings'],
        p2: ['Guitars'],
      }),
    );
    expect(g.order).toBe(2 + 2 + 4 + 2);
    expect(g.getNodeAttributes('review:r1')).toEqual({ type: 'review', id: 'r1' });
    expect(g.getEdgeAttribute(g.edge('user:u1', 'product:p1')!, 'weight')).toBe(4);
    expect(g.getEdgeAttribute(g.edge('user:u2', 'product:p1')!, 'weight')).toBe(1);
    expect(g.getEdgeAttribute(g.edge('review:r1', 'product:p1')!, 'type')).toBe('review-product');
    expect(g.hasEdge('product:p1', 'category:Strings')).toBe(true);
    expectCsrMatchesGraph(g, toCsr(g));
  });

  it('is built the same straight from the records (buildShopCsr), repeated pairs and categories included', () => {
    expectDirectCsrIdentical(
      shop([review('r1', 'u1', 'p1', 5), review('r2', 'u1', 'p1', 2), review('r5', 'u1', 'p1', 4), review('r3', 'u2', 'p1', null), review('r4', 'u2', 'p2', 0)], {
        p1: ['Guitars', 'Strings', 'Guitars'],
        p2: ['Guitars'],
        p3: ['Drums'],
      }),
    );
  });

  it('is built the same from rows cut out of a larger table, whose key lists name users and products without rows', () => {
    const all = shop([review('r1', 'u1', 'p1', 5), review('r2', 'u2', 'p2', 2), review('r3', 'u3', 'p1', 4), review('r4', 'u2', 'p1', 3), review('r5', 'u1', 'p3', 1)], { p2: ['Drums'], p1: ['Guitars'] });
    const part: ShopData = { ...all, reviews: takeRows(all.reviews, Uint32Array.of(3, 2, 4)) };
    expect(part.reviews.userKeys).toEqual(['u1', 'u2', 'u3']);
    expectDirectCsrIdentical(part);
    expect(buildShopCsr(part).csr.keys).toEqual(['user:u2', 'product:p1', 'review:r4', 'user:u3', 'review:r3', 'user:u1', 'product:p3', 'review:r5', 'category:Guitars']);
  });
});

describe('edge-list CSR', () => {
  it('merges repeated undirected pairs, keeps self-loops once and sorts rows', () => {
    const csr = buildEdgeListCsr(edgeList([['a', 'c', 2], ['c', 'a', 3], ['b', 'a'], ['b', 'b', 5]]));
    expect(csr.keys).toEqual(['a', 'c', 'b']);
    expect(row(csr, 0)).toEqual({ t: [1, 2], w: [3, 1] });
    expect(row(csr, 2)).toEqual({ t: [0, 2], w: [1, 5] });
    expect(graphStats(csr).edges).toBe(3);
  });

  it('stores arcs one way when directed, and parallel arcs with multi', () => {
    const d = buildEdgeListCsr(edgeList([['a', 'b'], ['b', 'a'], ['a', 'b']]), { directed: true });
    expect(row(d, 0).t).toEqual([1]);
    expect(row(d, 1).t).toEqual([0]);
    const m = buildEdgeListCsr(edgeList([['a', 'b'], ['a', 'b', 2]]), { multi: true });
    expect(row(m, 0)).toEqual({ t: [1, 1], w: [1, 2] });
  });
});

describe('real data', () => {
  it('cora as an edge list: 2,708 nodes and 5,278 undirected edges in 78 components', async () => {
    const data = await readInputs([sharedData('cora', 'cora.cites')], { format: 'edgelist' });
    const csr = buildEdgeListCsr(data as EdgeListData);
    const stats = graphStats(csr);
    expect(stats.nodes).toBe(2708);
    expect(stats.edges).toBe(5278);
    expect(stats.components.count).toBe(78);
    expect(stats.components.largest).toBe(2485);
  });

  it('musical instruments: the CSR matches the graphology graph edge for edge', async () => {
    const data = (await readInputs([sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv')])) as ShopData;
    const g = buildShopGraph(data);
    const csr = toCsr(g);
    expectCsrMatchesGraph(g, csr);
    expectDirectCsrIdentical(data);
    const stats = graphStats(csr);
    expect(stats.byType.user?.nodes).toBe(1429);
    expect(stats.byType.product?.nodes).toBe(900);
    expect(stats.byType.review?.nodes).toBe(10261);
    expect(stats.byType.user?.min).toBe(10); // 5-core: >= 5 reviews, each a review edge and a product edge
  });
});
