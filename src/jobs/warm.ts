/**
 * Warm start for refresh: maps the previous run's skip-gram state onto the new
 * graph by node key, initialises new nodes from the mean of their already
 * trained neighbours (so they start near where they belong), and picks the
 * nodes whose context changed: new nodes and everything within `radius` hops
 * of them. Only those start walks.
 */
import type { Csr } from '../graph/csr.js';
import type { SgnsState } from '../store/runs.js';
import { params } from '../params/index.js';
import { uniform } from '../util/random.js';

export interface WarmStart {
  /** Node keys of the previous run, by its CSR index. */
  keys: readonly string[];
  /** The earlier state; null once a handed-over state has been planned from (`handOver`). */
  state: SgnsState | null;
  /** Hops around new nodes whose walks are redone (default 1). */
  radius?: number;
  /**
   * The state is handed over (train's validation pass to its final pass):
   * planWarmStart drops it once copied, so its two nodes x dim matrices
   * (1.1 GB at a million reviews) are freed before the final pass trains.
   */
  handOver?: boolean;
}

export interface WarmPlan {
  input: Float32Array;
  output: Float32Array;
  /** Nodes to start walks from: new nodes and their neighbourhood. */
  affected: Uint32Array;
  newNodes: number;
}

function row(csr: Csr, v: number): [number, number] {
  return [Number(csr.offsets[v]), Number(csr.offsets[v + 1])];
}

export function planWarmStart(csr: Csr, warm: WarmStart, seed: number): WarmPlan {
  const state = warm.state;
  if (state === null) throw new Error('planWarmStart: the warm-start state was handed over and already used');
  const dim = state.dim;
  const oldIndex = new Map(warm.keys.map((k, i) => [k, i]));
  const old = new Int32Array(csr.nodeCount).fill(-1);
  for (let v = 0; v < csr.nodeCount; v++) old[v] = oldIndex.get(csr.keys[v]) ?? -1;
  const input = new Float32Array(csr.nodeCount * dim);
  const output = new Float32Array(csr.nodeCount * dim);
  // Small seeded values, as word2vec initialises input vectors: uniform in (-0.5/dim, 0.5/dim).
  const draw = uniform(seed, 'warm-start');
  const rand = (): number => draw() - 0.5;
  let newNodes = 0;
  const affected = new Uint8Array(csr.nodeCount);
  for (let v = 0; v < csr.nodeCount; v++) {
    const o = old[v];
    if (o >= 0) {
      input.set(state.input.subarray(o * dim, (o + 1) * dim), v * dim);
      output.set(state.output.subarray(o * dim, (o + 1) * dim), v * dim);
      continue;
    }
    newNodes++;
    affected[v] = 1;
    const [s, e] = row(csr, v);
    let known = 0;
    const dst = input.subarray(v * dim, (v + 1) * dim);
    for (let a = s; a < e; a++) {
      const n = old[csr.targets[a]];
      if (n < 0) continue;
      known++;
      const src = state.input.subarray(n * dim, (n + 1) * dim);
      for (let i = 0; i < dim; i++) dst[i] += src[i];
    }
    if (known > 0) for (let i = 0; i < dim; i++) dst[i] /= known;
    else for (let i = 0; i < dim; i++) dst[i] = rand() / dim;
  }
  // Grow the affected set hop by hop.
  let frontier = affected.slice();
  for (let hop = 0; hop < (warm.radius ?? params.radius.default); hop++) {
    const next = new Uint8Array(csr.nodeCount);
    for (let v = 0; v < csr.nodeCount; v++) {
      if (!frontier[v]) continue;
      const [s, e] = row(csr, v);
      for (let a = s; a < e; a++) {
        const t = csr.targets[a];
        if (!affected[t]) {
          affected[t] = 1;
          next[t] = 1;
        }
      }
    }
    frontier = next;
  }
  if (warm.handOver) warm.state = null;
  let n = 0;
  for (const a of affected) n += a;
  const list = new Uint32Array(n);
  let i = 0;
  for (let v = 0; v < csr.nodeCount; v++) if (affected[v]) list[i++] = v;
  return { input, output, affected: list, newNodes };
}
