/**
 * Test helper: builds a Csr by hand from an edge list (typed arrays, rows
 * sorted ascending as src/graph/csr.ts requires). Undirected edges are stored
 * both ways; an undirected self-loop is stored once.
 */
import { uniform } from '../src/util/random.js';
import { NodeType, type Csr } from '../src/graph/csr.js';

export type Edge = readonly [from: number, to: number, weight?: number];

export function csrFromEdges(
  nodeCount: number,
  edges: readonly Edge[],
  opts: { directed?: boolean; nodeType?: Uint8Array; wideOffsets?: boolean } = {},
): Csr {
  const directed = opts.directed ?? false;
  const arcs: [number, number, number][] = [];
  for (const [a, b, w = 1] of edges) {
    arcs.push([a, b, w]);
    if (!directed && a !== b) arcs.push([b, a, w]);
  }
  arcs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const counts = new Uint32Array(nodeCount + 1);
  for (const [a] of arcs) counts[a + 1]!++;
  for (let i = 0; i < nodeCount; i++) counts[i + 1]! += counts[i]!;
  const offsets = opts.wideOffsets ? BigUint64Array.from(counts, (c) => BigInt(c)) : counts;
  return {
    nodeCount,
    offsets,
    targets: Uint32Array.from(arcs, (a) => a[1]),
    weights: Float32Array.from(arcs, (a) => a[2]),
    directed,
    nodeType: opts.nodeType ?? new Uint8Array(nodeCount).fill(NodeType.plain),
    keys: Array.from({ length: nodeCount }, (_, i) => String(i)),
  };
}

/** True if the CSR has an arc a -> b. */
export function hasArc(csr: Csr, a: number, b: number): boolean {
  const end = Number(csr.offsets[a + 1]);
  for (let k = Number(csr.offsets[a]); k < end; k++) if (csr.targets[k] === b) return true;
  return false;
}

/** Seeded random graph with `edges` weighted edges among `nodeCount` nodes (util/random uniform). */
export function randomEdges(nodeCount: number, edges: number, seed: number): Edge[] {
  const rand = uniform(seed);
  const out: Edge[] = [];
  for (let i = 0; i < edges; i++) {
    out.push([Math.floor(rand() * nodeCount), Math.floor(rand() * nodeCount), 0.5 + rand() * 4]);
  }
  return out;
}

/** Walk i of a corpus, as a subarray. */
export function walkAt(tokens: Uint32Array, lengths: Uint32Array, starts: Float64Array, i: number): Uint32Array {
  return tokens.subarray(starts[i]!, starts[i]! + lengths[i]!);
}

export function walkStarts(lengths: Uint32Array): Float64Array {
  const starts = new Float64Array(lengths.length);
  for (let i = 1; i < lengths.length; i++) starts[i] = starts[i - 1]! + lengths[i - 1]!;
  return starts;
}

/**
 * Upper 0.1% point of the chi-square distribution (Wilson-Hilferty), so a
 * correct sampler fails about once in a thousand seeds and a fixed seed is stable.
 */
export function chiSquareCritical(df: number): number {
  const z = 3.0902;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

export function chiSquare(observed: readonly number[], expectedProb: readonly number[]): number {
  const n = observed.reduce((s, x) => s + x, 0);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = n * expectedProb[i]!;
    stat += (observed[i]! - e) ** 2 / e;
  }
  return stat;
}
