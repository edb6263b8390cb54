/**
 * Fixtures for the skip-gram tests and bench: seeded graphs (planted
 * partition, Cora with held-out edges), a plain uniform random-walk corpus
 * builder (node2vec with p = q = 1) so the trainer can be tested on its own,
 * and the link-prediction ROC-AUC.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArcBuffer, arcsToCsr } from '../src/graph/csr-build.js';
import type { Csr } from '../src/graph/csr.js';
import type { WalkCorpus } from '../src/walk/corpus.js';
import { uniform } from '../src/util/random.js';
import { intern } from '../src/util/intern.js';

/** The repository root, found from test/ (vitest) or dist/test/ (bench build) alike. */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const repoRoot = findRepoRoot();
export const coraCites = resolve(repoRoot, '../shared/data/cora/cora.cites');

/** A seeded uniform [0, 1) generator for test data (the project's one PRNG). */
export const rng = (seed: number): (() => number) => uniform(seed);

export interface UndirectedGraph {
  nodeCount: number;
  /** Unique undirected edges, u < v. */
  edges: Array<[number, number]>;
}

export function adjacency(g: UndirectedGraph): Uint32Array[] {
  const lists: number[][] = Array.from({ length: g.nodeCount }, () => []);
  for (const [u, v] of g.edges) {
    lists[u]!.push(v);
    lists[v]!.push(u);
  }
  return lists.map((l) => Uint32Array.from(l));
}

/** `blocks` blocks of `size` nodes; edge probability pIn inside a block, pOut across. */
export function plantedPartition(blocks: number, size: number, pIn: number, pOut: number, seed: number): UndirectedGraph {
  const random = rng(seed);
  const n = blocks * size;
  const edges: Array<[number, number]> = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const same = Math.floor(u / size) === Math.floor(v / size);
      if (random() < (same ? pIn : pOut)) edges.push([u, v]);
    }
  }
  return { nodeCount: n, edges };
}

/** Uniform random walks: `walksPerNode` from every node, up to `length` nodes each. */
export function uniformWalks(g: UndirectedGraph, walksPerNode: number, length: number, seed: number): WalkCorpus {
  const adj = adjacency(g);
  const random = rng(seed);
  const tokens: number[] = [];
  const lengths: number[] = [];
  for (let r = 0; r < walksPerNode; r++) {
    for (let start = 0; start < g.nodeCount; start++) {
      let node = start;
      let len = 0;
      for (; len < length; len++) {
        tokens.push(node);
        const next = adj[node]!;
        if (next.length === 0) {
          len++;
          break;
        }
        node = next[Math.floor(random() * next.length)]!;
      }
      lengths.push(len);
    }
  }
  return { tokens: Uint32Array.from(tokens), lengths: Uint32Array.from(lengths), nodeCount: g.nodeCount };
}

export interface CoraSplit {
  ids: string[];
  train: UndirectedGraph;
  /** Held-out true edges. */
  positives: Array<[number, number]>;
  /** As many node pairs that are not edges of the full graph. */
  negatives: Array<[number, number]>;
}

/**
 * Cora's citations as an undirected graph with `fraction` of its unique edges
 * held out (seeded), never removing a node's last edge so every node stays in
 * the training graph, plus as many seeded non-edges.
 */
export function coraSplit(fraction: number, seed: number): CoraSplit {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string): number => intern(index, ids, s);
  const seen = new Set<number>();
  const edges: Array<[number, number]> = [];
  for (const line of readFileSync(coraCites, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    const a = id(parts[0]!);
    const b = id(parts[1]!);
    if (a === b) continue;
    const u = Math.min(a, b);
    const v = Math.max(a, b);
    const key = u * 65536 + v;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([u, v]);
  }
  const n = ids.length;
  const random = rng(seed);
  const order = edges.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const degree = new Uint32Array(n);
  for (const [u, v] of edges) {
    degree[u]!++;
    degree[v]!++;
  }
  const target = Math.round(edges.length * fraction);
  const held = new Set<number>();
  for (const i of order) {
    if (held.size >= target) break;
    const [u, v] = edges[i]!;
    if (degree[u]! <= 1 || degree[v]! <= 1) continue;
    degree[u]!--;
    degree[v]!--;
    held.add(i);
  }
  const positives = [...held].map((i) => edges[i]!);
  const trainEdges = edges.filter((_, i) => !held.has(i));
  const negatives: Array<[number, number]> = [];
  while (negatives.length < positives.length) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a === b) continue;
    const u = Math.min(a, b);
    const v = Math.max(a, b);
    if (seen.has(u * 65536 + v)) continue;
    negatives.push([u, v]);
  }
  return { ids, train: { nodeCount: n, edges: trainEdges }, positives, negatives };
}

export function cosine(vectors: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < dim; k++) {
    const x = vectors[a * dim + k]!;
    const y = vectors[b * dim + k]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb || 1);
}

/** ROC-AUC of a score (higher = more likely an edge): P(score(pos) > score(neg)), ties count half. */
export function rocAuc(pos: number[], neg: number[]): number {
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort((x, y) => x[0] - y[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]![1] === 1) rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

/** Link-prediction AUC on a split, scoring a pair by the cosine of its vectors. */
export function linkAuc(vectors: Float32Array, dim: number, split: Pick<CoraSplit, 'positives' | 'negatives'>): number {
  const score = ([u, v]: [number, number]) => cosine(vectors, dim, u, v);
  return rocAuc(split.positives.map(score), split.negatives.map(score));
}

/** CSR of an undirected fixture graph (keys = `ids` when given, else the indices). */
export function fixtureCsr(g: UndirectedGraph, ids?: readonly string[]): Csr {
  const arcs = new ArcBuffer();
  for (const [u, v] of g.edges) arcs.push(u, v, 1);
  const keys = ids ?? Array.from({ length: g.nodeCount }, (_, i) => String(i));
  return arcsToCsr(g.nodeCount, arcs.toArcList(), true, new Uint8Array(g.nodeCount), keys);
}
