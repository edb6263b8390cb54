import { describe, expect, it } from 'vitest';
import { fuse, FLAG_GRAPH_ONLY, meanTextVectors } from '../src/fuse/fuse.js';
import { dot, rowOf, topK } from '../src/fuse/vectors.js';
import { cluster, distanceMatrix, pickK, sampleIndices, silhouette } from '../src/segment/cluster.js';
import { describeSegments, groupRows } from '../src/segment/describe.js';
import { adjustedRandIndex, rankingScore } from '../src/eval/metrics.js';
import { leaveLastOut } from '../src/eval/split.js';
import type { ReviewRecord } from '../src/ingest/records.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { uniform } from '../src/util/random.js';

const rng = uniform;

describe('fusion', () => {
  it('makes the fused dot product (1-w) cos_graph + w cos_text', () => {
    const g = new Float32Array([3, 4, 0, 0, 1, 0]); // 2 x 3: cos = 4/5
    const t = new Float32Array([1, 0, 0.6, 0.8]); // 2 x 2
    for (const w of [0, 0.3, 0.5, 1]) {
      const f = fuse(g, 3, t, 2, new Uint8Array([1, 1]), { textWeight: w });
      expect(f.dim).toBe(5);
      const cg = 0.8;
      const ct = 0.6;
      expect(dot(rowOf(f.vectors, 5, 0), rowOf(f.vectors, 5, 1))).toBeCloseTo((1 - w) * cg + w * ct, 5);
      expect(dot(rowOf(f.vectors, 5, 0), rowOf(f.vectors, 5, 0))).toBeCloseTo(1, 5);
    }
  });

  it('flags rows without text and fuses them from the graph part alone', () => {
    const f = fuse(new Float32Array([2, 0]), 2, new Float32Array([0, 0]), 2, new Uint8Array([0]), { textWeight: 0.5 });
    expect(f.flags[0]).toBe(FLAG_GRAPH_ONLY);
    expect(Array.from(f.vectors)).toEqual([1, 0, 0, 0]);
  });

  it('rejects a text weight outside [0, 1], naming the function', () => {
    expect(() => fuse(new Float32Array(2), 2, new Float32Array(2), 2, new Uint8Array(1), { textWeight: 1.5 })).toThrow(/fuse: option "textWeight" is 1.5/);
  });

  it('projects with PCA to unit rows of the asked size', () => {
    const r = rng(1);
    const n = 40;
    const g = Float32Array.from({ length: n * 6 }, () => r() - 0.5);
    const t = Float32Array.from({ length: n * 4 }, () => r() - 0.5);
    const f = fuse(g, 6, t, 4, new Uint8Array(n).fill(1), { textWeight: 0.5, fusedDim: 3 });
    expect(f.dim).toBe(3);
    expect(f.vectors.length).toBe(n * 3);
    expect(dot(rowOf(f.vectors, 3, 7), rowOf(f.vectors, 3, 7))).toBeCloseTo(1, 5);
  });

  it('averages text per owner and normalises', () => {
    const m = meanTextVectors({ vectors: new Float32Array([1, 0, 0, 1, 1, 1]), dim: 2, owner: new Uint32Array([0, 0, 2]), entities: 3 });
    expect(Array.from(m.hasText)).toEqual([1, 0, 1]);
    expect(m.vectors[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(m.vectors[2]).toBe(0);
  });
});

describe('segments', () => {
  const r = rng(7);
  const centers = [[5, 0, 0], [0, 5, 0], [0, 0, 5], [-5, -5, 0]];
  const truth: number[] = [];
  const pts: number[] = [];
  for (let i = 0; i < 200; i++) {
    const c = i % 4;
    truth.push(c);
    for (const x of centers[c]) pts.push(x + (r() - 0.5) * 2);
  }
  const m = Float32Array.from(pts);

  it('recovers planted blobs exactly and picks k = 4 by silhouette', () => {
    const res = cluster(m, 3, { k: 'auto', seed: 3 });
    expect(res.k).toBe(4);
    expect(adjustedRandIndex(res.assignment, truth)).toBe(1);
    expect(res.silhouettes?.[4]).toBeGreaterThan(res.silhouettes?.[2] ?? 1);
    expect(res.distance.every((d) => d < 2)).toBe(true);
  });

  it('auto k: the smallest k within the tolerance of the best silhouette, not a noisy argmax', () => {
    // Musical Instruments' flat curve (two 2-thread runs): 0.0001 must not move k from 2 to 11.
    expect(pickK({ 2: 0.0235, 3: 0.0146, 8: 0.0196, 11: 0.0236, 12: 0.0233 }, 0.01)).toBe(2);
    // Real structure still wins: the sample shop's planted k = 5, All Beauty's k = 12.
    expect(pickK({ 2: 0.1728, 4: 0.2326, 5: 0.3179, 6: 0.2801, 7: 0.2264 }, 0.01)).toBe(5);
    expect(pickK({ 2: 0.5296, 10: 0.7658, 11: 0.7667, 12: 0.7813 }, 0.01)).toBe(12);
    expect(pickK({ 3: 0.2, 2: 0.3 }, 0)).toBe(2);
    expect(() => pickK({}, 0.01)).toThrow(/pickK/);
  });

  it('is deterministic for a seed', () => {
    const a = cluster(m, 3, { k: 4, seed: 11 });
    const b = cluster(m, 3, { k: 4, seed: 11 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
  });

  it('silhouette is near 1 for separated blobs and lower for a random split', () => {
    const rows = Array.from({ length: 200 }, (_, i) => pts.slice(i * 3, i * 3 + 3));
    const d = distanceMatrix(rows);
    expect(silhouette(d, truth, 4)).toBeGreaterThan(0.8);
    const coin = rng(9);
    expect(silhouette(d, truth.map(() => (coin() < 0.5 ? 0 : 1)), 2)).toBeLessThan(0.1);
  });

  it('samples distinct sorted indices', () => {
    const s = sampleIndices(100, 30, 5);
    expect(new Set(s).size).toBe(30);
    expect(Array.from(s)).toEqual(Array.from(s).sort((a, b) => a - b));
  });

  it('describes segments by their distinctive words, products and nearest members', () => {
    const products = ['g1', 'b1', 'b2'];
    const reviews = {
      member: Int32Array.from([0, 1, 2, 3]),
      product: Uint32Array.from([0, 0, 1, 2]),
      rating: Float64Array.from([5, 4, 2, 3]),
      text: [
        'The guitar strings sound bright, great guitar strings',
        'Guitar strings stay in tune, lovely strings',
        'This blender blends smoothies; blender motor strong',
        'Smoothies every morning from this blender motor',
      ],
    };
    const d = describeSegments({
      k: 2,
      assignment: Int32Array.from([0, 0, 1, 1]),
      distance: Float32Array.from([0.2, 0.1, 0.3, 0.4]),
      reviews,
      products: { ids: products, titles: products.map((p) => p.toUpperCase()), categories: products.map((p) => (p.startsWith('g') ? ['Guitars'] : ['Kitchen'])) },
    });
    expect(d[0].terms.slice(0, 2).sort()).toEqual(['guitar', 'strings']);
    expect(d[1].terms).toContain('blender');
    expect(d[0].topProducts[0]).toEqual({ productId: 'g1', title: 'G1', members: 2 });
    expect(d[1].topCategories[0].category).toBe('Kitchen');
    expect(d[0].meanRating).toBe(4.5);
    expect(d[0].snippets[0]).toMatch(/^Guitar strings stay in tune/); // member 1 is nearest the centroid
  });
});

describe('segment descriptions from review columns', () => {
  it('groups rows by a counting sort: every group in order, empty groups empty, -1 left out', () => {
    const { offsets, rows } = groupRows(Int32Array.from([2, 0, -1, 2, 0, 4, 2]), 5);
    expect(Array.from(offsets)).toEqual([0, 2, 2, 5, 5, 6]);
    expect(Array.from(rows)).toEqual([1, 4, 0, 3, 6, 5]);
    expect(() => groupRows(Int32Array.from([0, 3]), 3)).toThrow(/group\[1\]/);
  });

  it('gives each member its own reviews when reviews are out of member order and some members have none', () => {
    // Members 0 and 3 (segment 0), 1, 2 and 4 (segment 1); members 2 and 4 wrote nothing,
    // and the last review's author is not a member. A review credited to the wrong member
    // moves a product, rating, review count or snippet to the other segment.
    const products = ['p0', 'p1', 'p2'];
    const d = describeSegments({
      k: 2,
      assignment: Int32Array.from([0, 1, 1, 0, 1]),
      distance: Float32Array.from([0.5, 0.1, 0.05, 0.2, 0.01]),
      reviews: {
        member: Int32Array.from([3, 1, 0, 1, 3, -1]),
        product: Uint32Array.from([2, 1, 0, 1, 2, 0]),
        rating: Float64Array.from([1, 5, 2, NaN, 1, 4]),
        text: ['Member three: short', 'Member one wrote the first review here', 'Member zero, a much longer review than the others', 'one again', 'Member three at length, a longer one', 'not a member'],
      },
      products: { ids: products, titles: ['P0', 'P1', 'P2'], categories: [['A'], ['B'], ['A', 'C']] },
    });
    expect(d.map((s) => [s.size, s.reviews, s.meanRating])).toEqual([
      [2, 3, 1.33],
      [3, 2, 5],
    ]);
    expect(d[0].topProducts).toEqual([
      { productId: 'p0', title: 'P0', members: 1 },
      { productId: 'p2', title: 'P2', members: 1 },
    ]);
    expect(d[0].topCategories).toEqual([
      { category: 'A', members: 2 },
      { category: 'C', members: 1 },
    ]);
    expect(d[1].topProducts).toEqual([{ productId: 'p1', title: 'P1', members: 1 }]);
    // Nearest first (member 3, then 0), each member's longest review.
    expect(d[0].snippets).toEqual(['Member three at length, a longer one', 'Member zero, a much longer review than the others']);
    expect(d[1].snippets).toEqual(['Member one wrote the first review here']);
  });
});

describe('evaluation metrics', () => {
  it('ARI is 1 for equal partitions up to relabelling and about 0 for independent ones', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9])).toBe(1);
    const r = rng(3);
    const a = Array.from({ length: 2000 }, () => Math.floor(r() * 4));
    const b = Array.from({ length: 2000 }, () => Math.floor(r() * 4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('recall and NDCG count the held-out item by its rank', () => {
    const s = rankingScore([Uint32Array.from([3, 1, 2]), Uint32Array.from([0, 4, 5]), Uint32Array.from([7])], [3, 4, 9], 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.ndcg).toBeCloseTo((1 + 1 / Math.log2(3)) / 3);
  });

  it('topK returns the best indices in order and honours skip', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.5, 0.7, 0.3]);
    expect(Array.from(topK(scores, 3))).toEqual([1, 3, 2]);
    expect(Array.from(topK(scores, 2, (i) => i === 1))).toEqual([3, 2]);
  });

  it('leave-last-out holds out the newest review of users with >= 3 reviews', () => {
    const mk = (u: string, p: string, t: number): ReviewRecord => ({ reviewId: `${u}${p}`, userId: u, productId: p, rating: 5, text: '', summary: '', timestamp: t, source: { file: '', line: 0 } });
    const table = reviewTableOf([mk('a', 'x', 1), mk('a', 'y', 3), mk('a', 'z', 2), mk('b', 'x', 1), mk('b', 'y', 2)]);
    const split = leaveLastOut(table);
    expect(Array.from(split.test, (r) => table.reviewId[r])).toEqual(['ay']);
    expect(Array.from(split.train)).toEqual([0, 2, 3, 4]);
  });
});
