import { describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../src/ingest/records.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { interactionsOf, itemsOf, recencyWeights, type Interactions } from '../src/rank/interactions.js';
import { ease, itemItemScores, itemKnnCosine, itemPieces, rp3beta } from '../src/rank/item-models.js';
import { choleskyInPlace, gram, invertSpd, matrix, multiply, multiplyTransposed, symmetricEigen, truncatedEigen, type Matrix } from '../src/rank/linalg.js';
import { bestUnseen, fitFusion, type ScoringPart } from '../src/rank/fusion.js';
import { pairedGainT, clearlyBetter, targetRank } from '../src/rank/objective.js';
import { alignPart, resolveWalkDim, walkPart } from '../src/rank/walk-part.js';
import { uniform } from '../src/util/random.js';

/**
 * The hand-checkable shop of these tests, 4 users x 3 items:
 *   u0: i0 i1      u1: i0 i1 i2      u2: i1 i2      u3: i2
 * item degrees n = (2, 3, 3), user degrees (2, 3, 2, 1).
 */
function review(user: number, item: number, day: number): ReviewRecord {
  return { reviewId: `r${user}-${item}`, userId: `u${user}`, productId: `i${item}`, rating: 5, text: '', summary: '', timestamp: day * 86400, source: { file: 't', line: 1 } };
}
const reviews = [review(0, 0, 1), review(0, 1, 2), review(1, 0, 1), review(1, 1, 1), review(1, 2, 3), review(2, 1, 1), review(2, 2, 1), review(3, 2, 5)];
const rows = (prefix: string, n: number): Map<string, number> => new Map(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
const x: Interactions = interactionsOf(reviewTableOf(reviews), null, rows('u', 4), rows('i', 3));
const at = (w: Float64Array, i: number, j: number): number => w[i * 3 + j];

function randomSpd(n: number, seed: number): Matrix {
  const rand = uniform(seed);
  const a = matrix(n, n, Float64Array.from({ length: n * n }, () => rand() - 0.5));
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) g[i * n + j] += a.data[k * n + i] * a.data[k * n + j];
  for (let i = 0; i < n; i++) g[i * n + i] += 0.1;
  return matrix(n, n, g);
}

describe('dense linear algebra on typed arrays', () => {
  it('factors and inverts a symmetric positive definite matrix (Cholesky, tiled past one tile)', () => {
    const n = 150;
    const a = randomSpd(n, 3);
    const l = choleskyInPlace(matrix(n, n, a.data.slice()));
    let err = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l.data[i * n + k] * l.data[j * n + k];
      err = Math.max(err, Math.abs(s - a.data[i * n + j]));
    }
    expect(err).toBeLessThan(1e-9);
    const id = multiply(a, invertSpd(matrix(n, n, a.data.slice())));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(id.data[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 7);
  });

  it('computes a Gram matrix from its upper triangle, equal to the full product', () => {
    const rand = uniform(5);
    const y = matrix(300, 70, Float64Array.from({ length: 300 * 70 }, () => (rand() < 0.2 ? 0 : rand() - 0.5)));
    expect(gram(y).data).toEqual(multiplyTransposed(y, y).data);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyInPlace(matrix(2, 2, Float64Array.from([1, 2, 2, 1])))).toThrow(/not positive definite \(pivot 1/);
  });

  it('finds every eigenpair of a symmetric matrix, and the leading ones of an operator by randomised iteration', () => {
    const n = 60;
    const a = randomSpd(n, 5);
    const { values, vectors } = symmetricEigen(a);
    const av = multiply(a, vectors);
    for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) expect(av.data[r * n + c]).toBeCloseTo(vectors.data[r * n + c] * values[c], 8);
    for (let c = 1; c < n; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
    // A matrix with a known spectrum: the eigenvectors above, values 100, 50, 20, 10, 5, then 0.1.
    const spectrum = Array.from({ length: n }, (_, c) => [100, 50, 20, 10, 5][c] ?? 0.1);
    const b = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) b[i * n + j] += vectors.data[i * n + c] * spectrum[c] * vectors.data[j * n + c];
    const top = truncatedEigen({ size: n, apply: (m) => multiply(matrix(n, n, b), m) }, 5, uniform(1));
    expect(Array.from(top.values, (v) => Math.round(v * 1e6) / 1e6)).toEqual([100, 50, 20, 10, 5]);
  });
});

describe('item-item recommenders on a 4 x 3 matrix', () => {
  it('reads the interactions both ways, with the newest review time per pair', () => {
    expect(Array.from(itemsOf(x, 1))).toEqual([0, 1, 2]);
    expect(Array.from(x.itemOffsets)).toEqual([0, 2, 5, 8]);
    expect(Array.from(x.userTimes)).toEqual([2, 3, 1, 5].map((d) => d * 86400));
    // u1 reviewed i0 and i1 two days before its newest review: exp(-2/τ).
    expect(Array.from(recencyWeights(x, 1, 2))).toEqual([Math.exp(-1), Math.exp(-1), 1]);
    expect(Array.from(recencyWeights(x, 1, null))).toEqual([1, 1, 1]);
  });

  it('ItemKNN is the cosine of item columns', () => {
    const w = itemKnnCosine(x).weights;
    expect(at(w, 0, 1)).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(at(w, 1, 2)).toBeCloseTo(2 / 3, 12);
    expect(at(w, 0, 2)).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(at(w, 1, 1)).toBe(0);
  });

  it('EASE^R matches its closed form worked by hand (λ = 1)', () => {
    // XᵀX + I = [[3,2,1],[2,4,2],[1,2,4]], det 24, P = [[12,-6,0],[-6,11,-4],[0,-4,8]] / 24,
    // B[i][j] = -P[i][j] / P[j][j].
    const w = ease(x, 1).weights;
    expect(at(w, 0, 1)).toBeCloseTo(6 / 11, 12);
    expect(at(w, 0, 2)).toBeCloseTo(0, 12);
    expect(at(w, 1, 0)).toBeCloseTo(1 / 2, 12);
    expect(at(w, 1, 2)).toBeCloseTo(1 / 2, 12);
    expect(at(w, 2, 0)).toBeCloseTo(0, 12);
    expect(at(w, 2, 1)).toBeCloseTo(4 / 11, 12);
    expect([0, 1, 2].map((i) => at(w, i, i))).toEqual([0, 0, 0]);
  });

  it('EASE^R inverts each connected piece alone, with the same weights as the whole', () => {
    // The 4 x 3 shop plus a second piece: u4 and u5 both reviewed i3 and i4.
    const more = [...reviews, review(4, 3, 1), review(4, 4, 1), review(5, 3, 2), review(5, 4, 2)];
    const x2 = interactionsOf(reviewTableOf(more), null, rows('u', 6), rows('i', 5));
    expect(itemPieces(x2).map((p) => Array.from(p))).toEqual([[0, 1, 2], [3, 4]]);
    const w = ease(x2, 1).weights;
    expect(w[0 * 5 + 1]).toBeCloseTo(6 / 11, 12);
    expect(w[2 * 5 + 1]).toBeCloseTo(4 / 11, 12);
    // Piece {i3, i4}: XᵀX + I = [[3, 2], [2, 3]], P = [[3, -2], [-2, 3]] / 5, B[3][4] = 2/3.
    expect(w[3 * 5 + 4]).toBeCloseTo(2 / 3, 12);
    for (const i of [0, 1, 2]) for (const j of [3, 4]) expect(w[i * 5 + j]).toBe(0);
  });

  it('RP3β with α = 1, β = 0 holds the walk probabilities item -> user -> item', () => {
    const w = rp3beta(x, { alpha: 1, beta: 0 }).weights;
    // From i0: to u0 or u1 (1/2 each), then to one of their items uniformly.
    expect(at(w, 0, 1)).toBeCloseTo((1 / 2) * (1 / 2 + 1 / 3), 12);
    expect(at(w, 0, 2)).toBeCloseTo((1 / 2) * (1 / 3), 12);
    // From i2: u1, u2 or u3 (1/3 each).
    expect(at(w, 2, 0)).toBeCloseTo(1 / 9, 12);
    expect(at(w, 2, 1)).toBeCloseTo((1 / 3) * (1 / 3 + 1 / 2), 12);
    // The diagonal (the walk back to itself, 11/18 from i2) is what a ranking never uses: zeroed.
    expect(at(w, 2, 2)).toBe(0);
    // β divides column j by n_j^β; the user → item → user → item score of u3 (only i2) is row i2.
    const wb = rp3beta(x, { alpha: 1, beta: 0.5 }).weights;
    expect(at(wb, 2, 1)).toBeCloseTo(at(w, 2, 1) / Math.sqrt(3), 12);
    const s = itemItemScores(x, rp3beta(x, { alpha: 1, beta: 0 }), [3]);
    expect(s[0]).toBeCloseTo(1 / 9, 6);
    expect(s[1]).toBeCloseTo(5 / 18, 6);
  });

  it('the walk part reproduces RP3β scores as user · product dot products', () => {
    for (const p of [{ alpha: 1, beta: 0 }, { alpha: 0.5, beta: 0.3 }]) {
      const part = walkPart(x, { ...p, dim: 8, recencyDays: null, seed: 1 });
      expect(part.dim).toBe(3); // capped at the number of items: exact
      const model = rp3beta(x, p);
      for (let u = 0; u < 4; u++) {
        const want = itemItemScores(x, model, [u]);
        for (let j = 0; j < 3; j++) {
          if (itemsOf(x, u).includes(j)) continue; // W's zeroed diagonal only touches reviewed items
          let dot = 0;
          for (let c = 0; c < 3; c++) dot += part.users[u * 3 + c] * part.products[j * 3 + c];
          expect(dot).toBeCloseTo(want[j], 6);
        }
      }
    }
  });

  it('aligns a part to an earlier basis by an orthogonal rotation: coordinates move back, scores stay', () => {
    const part = walkPart(x, { alpha: 0.5, beta: 0.2, dim: 3, recencyDays: null, seed: 1 });
    // The "earlier run": the same products rotated by a random orthogonal matrix, inside wider rows.
    const q = symmetricEigen(randomSpd(3, 9)).vectors.data;
    const stride = 5;
    const earlier = new Float32Array(3 * stride);
    for (let j = 0; j < 3; j++) for (let b = 0; b < 3; b++) for (let a = 0; a < 3; a++) earlier[j * stride + 1 + b] += part.products[j * 3 + a] * q[a * 3 + b];
    const aligned = alignPart(part, [[0, 0], [1, 1], [2, 2]], earlier, stride, 1);
    for (let j = 0; j < 3; j++) for (let b = 0; b < 3; b++) expect(aligned.products[j * 3 + b]).toBeCloseTo(earlier[j * stride + 1 + b], 5);
    const dot = (p: { users: Float32Array; products: Float32Array }, u: number, j: number): number => [0, 1, 2].reduce((s, c) => s + p.users[u * 3 + c] * p.products[j * 3 + c], 0);
    for (let u = 0; u < 4; u++) for (let j = 0; j < 3; j++) expect(dot(aligned, u, j)).toBeCloseTo(dot(part, u, j), 5);
  });

  it('keeps the simpler model unless the other wins by more than one standard error of the paired gain', () => {
    // Gains per task (k = 10): rank 0 -> 2, rank 5 -> 1 + 1/log2(7), a miss -> 0.
    const g5 = 1 + 1 / Math.log2(7);
    // 2 of 8 tasks move from rank 5 to rank 0: d = (2 - g5) on 2 tasks, 0 elsewhere.
    const d = 2 - g5;
    const mean = (2 * d) / 8;
    const sd = Math.sqrt((2 * d * d - 8 * mean * mean) / 7);
    const before = Int32Array.from([5, 5, 0, 0, 0, 0, 0, 0]);
    const after = new Int32Array(8);
    expect(pairedGainT(before, after, 10)).toBeCloseTo(mean / (sd / Math.sqrt(8)), 12);
    expect(pairedGainT(before, after, 10)).toBeCloseTo(1.53, 2);
    expect(clearlyBetter(before, after, 10)).toBe(true);
    // Two improve, one that was at the top drops to rank 3: t = 0.64, within noise.
    expect(pairedGainT(before, Int32Array.from([0, 0, 3, 0, 0, 0, 0, 0]), 10)).toBeCloseTo(0.644, 3);
    expect(clearlyBetter(before, Int32Array.from([0, 0, 3, 0, 0, 0, 0, 0]), 10)).toBe(false);
    // One task of eight moving up is t = 1 exactly: not more than one standard error.
    expect(clearlyBetter(Int32Array.from([5, 5, 0, 0, 0, 0, 0, 0]), Int32Array.from([5, 0, 0, 0, 0, 0, 0, 0]), 10)).toBe(false);
    // A move that loses as much as it wins is no gain.
    expect(clearlyBetter(Int32Array.from([5, 0]), Int32Array.from([0, 5]), 10)).toBe(false);
  });

  it('ranks ties like topK and never ranks a reviewed item', () => {
    expect(targetRank([0.5, 0.9, 0.5, 0.1], 2, Uint32Array.from([1]))).toBe(1); // item 0 ties and has the lower index
    expect(targetRank([0.5, 0.9, 0.5, 0.1], 1, Uint32Array.from([1]))).toBe(-1);
    expect(targetRank([0.5, 0.9, 0.5, 0.1], -1, new Uint32Array(0))).toBe(-1);
  });
});

describe('candidate selection of the fusion fit', () => {
  it('keeps exactly the first items of a full sort (score descending, index ascending), ties and seen items included', () => {
    const rand = uniform(11);
    // Few distinct values, as the popularity part has: most of the cut falls among ties.
    const scores = Float32Array.from({ length: 5000 }, () => Math.floor(rand() * 7) / 7);
    const seen = new Set(Array.from({ length: 300 }, () => Math.floor(rand() * 5000)));
    for (const count of [0, 1, 200, 4700, 6000]) {
      const sorted = Array.from({ length: scores.length }, (_, j) => j)
        .filter((j) => !seen.has(j))
        .sort((a, b) => scores[b] - scores[a] || a - b)
        .slice(0, count);
      expect(Array.from(bestUnseen(scores, seen, count)).sort((a, b) => a - b)).toEqual(sorted.sort((a, b) => a - b));
    }
  });
});

describe('the learned fusion keeps only what wins out of fold', () => {
  // 600 users, 40 items: each user reviewed one item and reviews a target next.
  // A part's user row is its score of every item (product vectors: the identity).
  const U = 600;
  const N = 40;
  function shop(seed: number): { x: Interactions; tasks: { user: number; target: number }[]; part: (name: 'walk' | 'text' | 'popularity', signal: number, s: number) => ScoringPart } {
    const rand = uniform(seed);
    const seen = Array.from({ length: U }, (_, u) => (u * 7) % N);
    const target = seen.map((i) => (i + 1 + Math.floor(rand() * (N - 1))) % N);
    const x = interactionsOf(reviewTableOf(seen.map((i, u) => review(u, i, 1))), null, rows('u', U), rows('i', N));
    const products = new Float32Array(N * N);
    for (let j = 0; j < N; j++) products[j * N + j] = 1;
    const part = (name: 'walk' | 'text' | 'popularity', signal: number, s: number): ScoringPart => {
      const r = uniform(s);
      const users = new Float32Array(U * N);
      for (let u = 0; u < U; u++) for (let j = 0; j < N; j++) users[u * N + j] = r() + (j === target[u] ? signal : 0);
      return { name, dim: N, users, products };
    };
    return { x, tasks: target.map((t, user) => ({ user, target: t })), part };
  }

  it('gives a part of pure noise no weight, though some share of it helps on the tasks it was fitted on', () => {
    for (const seed of [1, 2, 3]) {
      const { x, tasks, part } = shop(seed);
      const fit = fitFusion([part('walk', 0.9, seed + 10), part('popularity', 0, seed + 20)], x, tasks, 10, seed);
      expect(fit.weights).toEqual({ walk: 1 });
    }
  });

  it('blends two parts whose independent errors make them better together', () => {
    for (const seed of [1, 2, 3]) {
      const { x, tasks, part } = shop(seed);
      const fit = fitFusion([part('walk', 0.9, seed + 10), part('text', 0.9, seed + 30)], x, tasks, 10, seed);
      expect(Object.keys(fit.weights).sort()).toEqual(['text', 'walk']);
      expect(fit.validation.fused!.recall + fit.validation.fused!.ndcg).toBeGreaterThan(fit.validation.walk!.recall + fit.validation.walk!.ndcg);
    }
  });
});

describe('the learned fusion is continuous in its parts', () => {
  it('moves every weight by little when one part\'s scores move by little (as two multi-threaded skip-gram runs do)', () => {
    const U = 600;
    const N = 40;
    const rand = uniform(5);
    const seen = Array.from({ length: U }, (_, u) => (u * 7) % N);
    const target = seen.map((i) => (i + 1 + Math.floor(rand() * (N - 1))) % N);
    const x = interactionsOf(reviewTableOf(seen.map((i, u) => review(u, i, 1))), null, rows('u', U), rows('i', N));
    const products = new Float32Array(N * N);
    for (let j = 0; j < N; j++) products[j * N + j] = 1;
    const scores = (signal: number, s: number): Float32Array => {
      const r = uniform(s);
      return Float32Array.from({ length: U * N }, (_, c) => r() + (c % N === target[Math.floor(c / N)] ? signal : 0));
    };
    const walk = scores(0.9, 11);
    const text = scores(0.7, 12);
    const graph = scores(0.5, 13);
    const jitter = uniform(14);
    const graphMoved = graph.map((v) => v + 0.02 * (jitter() - 0.5));
    const tasks = target.map((t, user) => ({ user, target: t }));
    const fit = (g: Float32Array) =>
      fitFusion([{ name: 'graph', dim: N, users: g, products }, { name: 'text', dim: N, users: text, products }, { name: 'walk', dim: N, users: walk, products }], x, tasks, 10, 1).weights;
    const a = fit(graph);
    const b = fit(graphMoved);
    expect(Object.keys(a).sort()).toEqual(['graph', 'text', 'walk']);
    expect(Object.keys(b).sort()).toEqual(['graph', 'text', 'walk']);
    for (const m of ['graph', 'text', 'walk'] as const) expect(Math.abs((a[m] ?? 0) - (b[m] ?? 0))).toBeLessThan(0.02);
  });
});

describe('--walk-dim auto', () => {
  it('is every product up to 1,024 (RP3β exactly), 256 above; a number is kept', () => {
    expect(resolveWalkDim('auto', 3)).toBe(3);
    expect(resolveWalkDim('auto', 1024)).toBe(1024);
    expect(resolveWalkDim('auto', 1025)).toBe(256);
    expect(resolveWalkDim(64, 900)).toBe(64);
  });
});
