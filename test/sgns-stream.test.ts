/**
 * Walks streamed into skip-gram (trainOnWalks): with one thread it must give
 * the very vectors of the materialised path (generateWalks + trainSkipGram),
 * for any p/q, several epochs, dead ends and warm starts; it must train with
 * several threads, leave excluded nodes out of training, show one monotone
 * progress bar and cancel like every native job.
 */
import { describe, expect, it } from 'vitest';
import { generateWalks } from '../src/walk/index.js';
import { trainOnWalks, trainSkipGram } from '../src/sgns/index.js';
import { AbortedError, OptionError } from '../src/util/errors.js';
import { fixtureCsr, plantedPartition } from './sgns-fixtures.js';
import { csrFromEdges, randomEdges } from './walk-csr.js';

const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
const sgns = { dim: 16, window: 4, negative: 3, threads: 1, seed: 5 };

describe('trainOnWalks', () => {
  it.each([
    ['p = q = 1', { p: 1, q: 1 }, 1],
    ['p = 0.25, q = 4, 2 epochs', { p: 0.25, q: 4 }, 2],
    ['p = 2, q = 0.5', { p: 2, q: 0.5 }, 1],
  ])('equals generateWalks + trainSkipGram bit for bit with one thread (%s)', async (_name, pq, epochs) => {
    // Dead ends (a directed tail) make some walks end early.
    const csr = csrFromEdges(300, [...randomEdges(290, 1200, 3), [295, 296], [296, 297]], {});
    const walk = { ...pq, walkLength: 30, walksPerNode: 4, seed: 8, threads: 2 };
    const corpus = await generateWalks(csr, walk);
    const materialised = await trainSkipGram(corpus, { ...sgns, epochs });
    const streamed = await trainOnWalks(csr, { ...sgns, epochs, walk });
    expect(streamed.stats.tokens).toBe(corpus.tokens.length);
    expect(streamed.stats.walks).toBe(corpus.lengths.length);
    expect(streamed.stats.words).toBe(materialised.stats.words);
    expect(streamed.stats.pairs).toBe(materialised.stats.pairs);
    expect(same(streamed.vectors, materialised.vectors)).toBe(true);
    expect(same(streamed.output, materialised.output)).toBe(true);
  });

  it('continues a warm start like trainSkipGram does, over start nodes only', async () => {
    const csr = fixtureCsr(plantedPartition(3, 40, 0.2, 0.02, 4));
    const first = await trainOnWalks(csr, { ...sgns, walk: { walkLength: 20, walksPerNode: 3 } });
    const init = { input: first.vectors, output: first.output };
    const walk = { walkLength: 20, walksPerNode: 2, seed: 9, startNodes: Uint32Array.of(0, 1, 2, 50) };
    const corpus = await generateWalks(csr, walk);
    const a = await trainSkipGram(corpus, { ...sgns, init });
    const b = await trainOnWalks(csr, { ...sgns, init, walk });
    expect(same(a.vectors, b.vectors)).toBe(true);
    expect(same(first.vectors, b.vectors)).toBe(false);
  });

  it('learns block structure with two threads and shows one monotone progress bar', async () => {
    const csr = fixtureCsr(plantedPartition(4, 50, 0.25, 0.01, 1));
    const reports: [number, number][] = [];
    const r = await trainOnWalks(csr, {
      ...sgns,
      dim: 32,
      threads: 2,
      epochs: 3,
      walk: { walkLength: 40, walksPerNode: 10 },
      onProgress: (done, total) => reports.push([done, total]),
    });
    expect(r.stats.vocabulary).toBe(200);
    expect(r.stats.words).toBe(3 * r.stats.tokens);
    // Nearest centroid by block: trained vectors separate the planted blocks.
    let correct = 0;
    const dim = r.dim;
    const norm = (u: number): number => Math.hypot(...r.vectors.subarray(u * dim, (u + 1) * dim));
    const cos = (u: number, v: number): number => {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += r.vectors[u * dim + k]! * r.vectors[v * dim + k]!;
      return dot / (norm(u) * norm(v));
    };
    for (let u = 0; u < 200; u++) {
      const own = Math.floor(u / 50);
      const scores = [0, 1, 2, 3].map((b) => {
        let s = 0;
        for (let v = b * 50; v < b * 50 + 50; v++) if (v !== u) s += cos(u, v);
        return s;
      });
      if (scores.indexOf(Math.max(...scores)) === own) correct++;
    }
    expect(correct / 200).toBeGreaterThanOrEqual(0.95);
    expect(reports.length).toBeGreaterThan(0);
    const last = reports[reports.length - 1]!;
    expect(last[0]).toBe(last[1]);
    for (let i = 1; i < reports.length; i++) expect(reports[i]![0] / reports[i]![1]).toBeGreaterThanOrEqual(reports[i - 1]![0] / reports[i - 1]![1] - 1e-12);
  });

  it('walks through excluded nodes but never trains them', async () => {
    // Bipartite-like: even nodes are "reviews" between odd nodes.
    const csr = fixtureCsr(plantedPartition(2, 30, 0.3, 0.02, 2));
    const exclude = Uint8Array.from({ length: 60 }, (_, v) => (v % 2 === 0 ? 1 : 0));
    const r = await trainOnWalks(csr, { ...sgns, exclude, walk: { walkLength: 20, walksPerNode: 4 } });
    expect(r.stats.vocabulary).toBe(30);
    for (let v = 0; v < 60; v += 2) {
      const row = r.vectors.subarray(v * sgns.dim, (v + 1) * sgns.dim);
      expect(row.every((x) => Math.abs(x) <= 0.5 / sgns.dim)).toBe(true);
      expect(r.output.subarray(v * sgns.dim, (v + 1) * sgns.dim).every((x) => x === 0)).toBe(true);
    }
    // Odd nodes are trained: their output rows left zero.
    for (let v = 1; v < 60; v += 2) expect(r.output.subarray(v * sgns.dim, (v + 1) * sgns.dim).some((x) => x !== 0)).toBe(true);
    await expect(trainOnWalks(csr, { ...sgns, exclude: new Uint8Array(3) })).rejects.toBeInstanceOf(OptionError);
  });

  it('cancels through an AbortSignal, in the counting pass or in training', async () => {
    const csr = csrFromEdges(2000, randomEdges(2000, 10_000, 5));
    const controller = new AbortController();
    const run = trainOnWalks(csr, {
      ...sgns,
      epochs: 200,
      walk: { walkLength: 40, walksPerNode: 5 },
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 0) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    await expect(trainOnWalks(csr, { ...sgns, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
  });
});
