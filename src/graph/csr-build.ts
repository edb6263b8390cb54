/**
 * Builds a CSR from flat arc arrays in O(V + E) time with two counting-sort
 * passes: first bucket arcs by target, then scatter them into their source rows
 * in ascending target order, so every row comes out sorted without a comparison
 * sort (the walker's "is x a neighbour of t" test relies on sorted rows).
 */
import { grown } from '../util/grow.js';
import type { Csr } from './csr.js';

export interface ArcList {
  src: Uint32Array;
  dst: Uint32Array;
  weight: Float32Array;
  /** Number of valid entries (the arrays may be over-allocated). */
  count: number;
}

/** Offsets typed array wide enough for `arcs` entries. */
function makeOffsets(nodeCount: number, arcs: number): Uint32Array | BigUint64Array {
  return arcs < 0xffffffff ? new Uint32Array(nodeCount + 1) : new BigUint64Array(nodeCount + 1);
}

/**
 * Rows of the result hold, for each arc i, `dst[i]` in row `src[i]`; when
 * `mirror` is set each arc is also stored reversed (undirected graphs), except
 * self-loops, which are stored once.
 */
export function arcsToCsr(
  nodeCount: number,
  arcs: ArcList,
  mirror: boolean,
  nodeType: Uint8Array,
  keys: readonly string[],
): Csr {
  const n = arcs.count;
  let total = n;
  if (mirror) for (let i = 0; i < n; i++) if (arcs.src[i] !== arcs.dst[i]) total++;

  // Pass 1: order all (directed) arcs by target with a counting sort.
  const byTarget = new Uint32Array(nodeCount + 1);
  const forEachArc = (fn: (s: number, d: number, i: number) => void): void => {
    for (let i = 0; i < n; i++) {
      const s = arcs.src[i];
      const d = arcs.dst[i];
      fn(s, d, i);
      if (mirror && s !== d) fn(d, s, i);
    }
  };
  forEachArc((_s, d) => byTarget[d + 1]++);
  for (let v = 0; v < nodeCount; v++) byTarget[v + 1] += byTarget[v];
  const sortedSrc = new Uint32Array(total);
  const sortedDst = new Uint32Array(total);
  const sortedArc = new Uint32Array(total);
  const fill = byTarget.slice(0, nodeCount);
  forEachArc((s, d, i) => {
    const at = fill[d]++;
    sortedSrc[at] = s;
    sortedDst[at] = d;
    sortedArc[at] = i;
  });

  // Pass 2: scatter into source rows; targets arrive in ascending order.
  const degree = new Float64Array(nodeCount);
  for (let k = 0; k < total; k++) degree[sortedSrc[k]]++;
  const offsets = makeOffsets(nodeCount, total);
  const cursor = new Float64Array(nodeCount);
  let acc = 0;
  for (let v = 0; v < nodeCount; v++) {
    cursor[v] = acc;
    acc += degree[v];
    if (offsets instanceof Uint32Array) offsets[v + 1] = acc;
    else offsets[v + 1] = BigInt(acc);
  }
  const targets = new Uint32Array(total);
  const weights = new Float32Array(total);
  for (let k = 0; k < total; k++) {
    const s = sortedSrc[k];
    const at = cursor[s]++;
    targets[at] = sortedDst[k];
    weights[at] = arcs.weight[sortedArc[k]];
  }
  return { nodeCount, offsets, targets, weights, directed: !mirror, nodeType, keys };
}

/** Growable arc buffer, so builders need not know the arc count up front. */
export class ArcBuffer {
  private src = new Uint32Array(1024);
  private dst = new Uint32Array(1024);
  private weight = new Float32Array(1024);
  private n = 0;

  push(s: number, d: number, w: number): void {
    if (this.n === this.src.length) this.grow();
    this.src[this.n] = s;
    this.dst[this.n] = d;
    this.weight[this.n] = w;
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  toArcList(): ArcList {
    return { src: this.src, dst: this.dst, weight: this.weight, count: this.n };
  }

  private grow(): void {
    this.src = grown(this.src);
    this.dst = grown(this.dst);
    this.weight = grown(this.weight);
  }
}
