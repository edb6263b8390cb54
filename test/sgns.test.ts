/**
 * The native skip-gram trainer: it must learn block structure, be
 * bit-reproducible with one thread, warm-start without touching nodes outside
 * the new corpus, cancel through an AbortSignal, and reject bad input by name.
 */
import { describe, expect, it } from 'vitest';
import { autoEpochs, resolveSgnsOptions, trainSkipGram, type SgnsProgress } from '../src/sgns/index.js';
import { AbortedError, GraphprofError, OptionError } from '../src/util/errors.js';
import type { WalkCorpus } from '../src/walk/corpus.js';
import { cosine, plantedPartition, uniformWalks } from './sgns-fixtures.js';

const BLOCKS = 4;
const SIZE = 50;
const graph = plantedPartition(BLOCKS, SIZE, 0.25, 0.01, 1);
const corpus = uniformWalks(graph, 10, 40, 2);
const small = { dim: 32, window: 5, epochs: 2, threads: 1, seed: 9 };

function blockMargins(vectors: Float32Array, dim: number): { within: number; across: number } {
  let within = 0;
  let across = 0;
  let nw = 0;
  let na = 0;
  for (let u = 0; u < graph.nodeCount; u++) {
    for (let v = u + 1; v < graph.nodeCount; v++) {
      const c = cosine(vectors, dim, u, v);
      if (Math.floor(u / SIZE) === Math.floor(v / SIZE)) {
        within += c;
        nw++;
      } else {
        across += c;
        na++;
      }
    }
  }
  return { within: within / nw, across: across / na };
}

/** Share of nodes whose nearest block centroid (by cosine) is their own block. */
function centroidAccuracy(vectors: Float32Array, dim: number): number {
  const centroids = new Float32Array(BLOCKS * dim);
  for (let u = 0; u < graph.nodeCount; u++) {
    const b = Math.floor(u / SIZE);
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += vectors[u * dim + k]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dim; k++) centroids[b * dim + k]! += vectors[u * dim + k]! / norm;
  }
  let correct = 0;
  for (let u = 0; u < graph.nodeCount; u++) {
    let best = -1;
    let bestScore = -Infinity;
    for (let b = 0; b < BLOCKS; b++) {
      let dot = 0;
      let norm = 0;
      for (let k = 0; k < dim; k++) {
        dot += vectors[u * dim + k]! * centroids[b * dim + k]!;
        norm += centroids[b * dim + k]! ** 2;
      }
      const score = dot / Math.sqrt(norm);
      if (score > bestScore) {
        bestScore = score;
        best = b;
      }
    }
    if (best === Math.floor(u / SIZE)) correct++;
  }
  return correct / graph.nodeCount;
}

describe('trainSkipGram', () => {
  it('places nodes of the same planted block closer than nodes of different blocks', async () => {
    const { vectors, dim, stats } = await trainSkipGram(corpus, small);
    const m = blockMargins(vectors, dim);
    // A reversed or zeroed gradient leaves within ~ across (margin ~0); trained SGNS gives > 0.4.
    expect(m.within - m.across).toBeGreaterThan(0.3);
    expect(centroidAccuracy(vectors, dim)).toBeGreaterThanOrEqual(0.95);
    expect(stats.words).toBe(corpus.tokens.length * small.epochs);
    expect(stats.vocabulary).toBe(graph.nodeCount);
    expect(stats.loss).toBeGreaterThan(0);
    expect(stats.loss).toBeLessThan(3);
  });

  it('is bit-identical with one thread and the same seed, and differs with another seed', async () => {
    const a = await trainSkipGram(corpus, small);
    const b = await trainSkipGram(corpus, small);
    const c = await trainSkipGram(corpus, { ...small, seed: 10 });
    expect(Buffer.from(a.vectors.buffer).equals(Buffer.from(b.vectors.buffer))).toBe(true);
    expect(Buffer.from(a.output.buffer).equals(Buffer.from(b.output.buffer))).toBe(true);
    expect(Buffer.from(a.vectors.buffer).equals(Buffer.from(c.vectors.buffer))).toBe(false);
  });

  it('trains with several Hogwild threads', async () => {
    const { vectors, dim } = await trainSkipGram(corpus, { ...small, threads: 3 });
    const m = blockMargins(vectors, dim);
    expect(m.within - m.across).toBeGreaterThan(0.3);
  });

  it('warm-starts from given vectors and leaves nodes outside the new corpus untouched', async () => {
    const first = await trainSkipGram(corpus, small);
    // A corpus of block 0's walks only.
    const keepTokens: number[] = [];
    const keepLengths: number[] = [];
    let offset = 0;
    for (const len of corpus.lengths) {
      if (corpus.tokens[offset]! < SIZE) {
        const walk = Array.from(corpus.tokens.subarray(offset, offset + len));
        const cut = walk.findIndex((t) => t >= SIZE);
        const part = cut === -1 ? walk : walk.slice(0, cut);
        if (part.length > 1) {
          keepTokens.push(...part);
          keepLengths.push(part.length);
        }
      }
      offset += len;
    }
    const block0: WalkCorpus = {
      tokens: Uint32Array.from(keepTokens),
      lengths: Uint32Array.from(keepLengths),
      nodeCount: graph.nodeCount,
    };
    const init = { input: first.vectors, output: first.output };
    const before = first.vectors.slice();
    const second = await trainSkipGram(block0, { ...small, init });
    const dim = small.dim;
    // The caller's arrays are not modified.
    expect(Buffer.from(first.vectors.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    const rows = (v: Float32Array, from: number, to: number) => Buffer.from(v.buffer, from * dim * 4, (to - from) * dim * 4);
    expect(rows(second.vectors, SIZE, graph.nodeCount).equals(rows(first.vectors, SIZE, graph.nodeCount))).toBe(true);
    expect(rows(second.output, SIZE, graph.nodeCount).equals(rows(first.output, SIZE, graph.nodeCount))).toBe(true);
    expect(rows(second.vectors, 0, SIZE).equals(rows(first.vectors, 0, SIZE))).toBe(false);
    // Continuing from trained vectors keeps the structure.
    const m = blockMargins(second.vectors, dim);
    expect(m.within - m.across).toBeGreaterThan(0.3);
  });

  it('keeps the random initial vector of nodes absent from the corpus', async () => {
    const partial: WalkCorpus = { tokens: corpus.tokens, lengths: corpus.lengths, nodeCount: graph.nodeCount + 3 };
    const { vectors, output, dim } = await trainSkipGram(partial, small);
    for (let u = graph.nodeCount; u < partial.nodeCount; u++) {
      const row = vectors.subarray(u * dim, (u + 1) * dim);
      expect(row.some((x) => x !== 0)).toBe(true);
      expect(row.every((x) => Math.abs(x) <= 0.5 / dim)).toBe(true);
      expect(output.subarray(u * dim, (u + 1) * dim).every((x) => x === 0)).toBe(true);
    }
  });

  it('reports progress and cancels through an AbortSignal', async () => {
    const big = uniformWalks(graph, 200, 80, 3);
    const controller = new AbortController();
    const reports: SgnsProgress[] = [];
    const run = trainSkipGram(big, {
      ...small,
      epochs: 50,
      signal: controller.signal,
      onProgress: (p) => {
        reports.push(p);
        if (p.words > 0) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(reports.length).toBeGreaterThan(0);
    const last = reports[reports.length - 1]!;
    expect(last.words).toBeLessThan(last.totalWords);
    expect(last.totalWords).toBe(big.tokens.length * 50);
    const pre = new AbortController();
    pre.abort();
    await expect(trainSkipGram(corpus, { ...small, signal: pre.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('stops and rethrows when the progress callback throws', async () => {
    const big = uniformWalks(graph, 200, 80, 3);
    const boom = new Error('progress sink failed');
    const run = trainSkipGram(big, {
      ...small,
      epochs: 50,
      onProgress: () => {
        throw boom;
      },
    });
    await expect(run).rejects.toBe(boom);
  });

  it('rejects bad options and corpora, naming the value', async () => {
    expect(() => resolveSgnsOptions({ dim: 0 })).toThrow(OptionError);
    expect(() => resolveSgnsOptions({ sample: 1.5 })).toThrow(/sample/);
    expect(() => resolveSgnsOptions({ minAlpha: 0.5 })).toThrow(/minAlpha/);
    const d = resolveSgnsOptions({ threads: 1 });
    expect(d).toMatchObject({ dim: 128, window: 10, negative: 5, epochs: 'auto', alpha: 0.025, minAlpha: 0.0001, sample: 1e-3, seed: 42, minCount: 0 });
    const bad: WalkCorpus = { tokens: Uint32Array.of(0, 1, 7), lengths: Uint32Array.of(3), nodeCount: 5 };
    await expect(trainSkipGram(bad, small)).rejects.toThrow(/tokens\[2\] is 7/);
    const short: WalkCorpus = { tokens: Uint32Array.of(0, 1, 2), lengths: Uint32Array.of(4), nodeCount: 5 };
    await expect(trainSkipGram(short, small)).rejects.toBeInstanceOf(GraphprofError);
    await expect(
      trainSkipGram(corpus, { ...small, init: { input: new Float32Array(3), output: new Float32Array(3) } }),
    ).rejects.toThrow(/init.input/);
  });

  it('gives small corpora more passes under the "auto" schedule', async () => {
    expect(autoEpochs(2_200_000)).toBe(1);
    expect(autoEpochs(100_000_000)).toBe(1);
    expect(autoEpochs(860_000)).toBe(3);
    expect(autoEpochs(10)).toBe(5);
    expect(autoEpochs(0)).toBe(1);
    const r = await trainSkipGram(corpus, { ...small, epochs: 'auto' });
    expect(r.stats.words).toBe(corpus.tokens.length * autoEpochs(corpus.tokens.length));
    expect(() => resolveSgnsOptions({ epochs: 0 })).toThrow(/epochs/);
  });

  it('handles an empty corpus and walks of length one', async () => {
    const empty: WalkCorpus = { tokens: new Uint32Array(0), lengths: new Uint32Array(0), nodeCount: 4 };
    const r = await trainSkipGram(empty, small);
    expect(r.vectors.length).toBe(4 * small.dim);
    expect(r.stats.pairs).toBe(0);
    const single: WalkCorpus = { tokens: Uint32Array.of(0, 1, 2), lengths: Uint32Array.of(1, 1, 1), nodeCount: 3 };
    const s = await trainSkipGram(single, small);
    expect(s.stats.words).toBe(3 * small.epochs);
    expect(s.stats.pairs).toBe(0);
  });
});
