/**
 * Small dense-vector kernels over row-major Float32Array matrices, shared by
 * fusion, segmentation, evaluation and the query commands.
 */

export function rowOf(m: Float32Array, dim: number, r: number): Float32Array {
  return m.subarray(r * dim, (r + 1) * dim);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/** Scales every row to unit length in place (zero rows stay zero). */
export function normaliseRows(m: Float32Array, dim: number): Float32Array {
  const rows = m.length / dim;
  for (let r = 0; r < rows; r++) {
    const row = rowOf(m, dim, r);
    const n = norm(row);
    if (n > 0) for (let i = 0; i < dim; i++) row[i] /= n;
  }
  return m;
}

export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/** Indices of the k largest scores, best first (partial selection, O(n log k)). */
export function topK(scores: Float32Array | Float64Array, k: number, skip?: (i: number) => boolean): Uint32Array {
  const heapIdx: number[] = [];
  const heapVal: number[] = [];
  // Min-heap of the best k so far.
  const sift = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heapVal.length && heapVal[l] < heapVal[m]) m = l;
      if (r < heapVal.length && heapVal[r] < heapVal[m]) m = r;
      if (m === i) return;
      [heapVal[i], heapVal[m]] = [heapVal[m], heapVal[i]];
      [heapIdx[i], heapIdx[m]] = [heapIdx[m], heapIdx[i]];
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (skip?.(i)) continue;
    const s = scores[i];
    if (heapVal.length < k) {
      heapVal.push(s);
      heapIdx.push(i);
      for (let j = heapVal.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (heapVal[p] <= heapVal[j]) break;
        [heapVal[p], heapVal[j]] = [heapVal[j], heapVal[p]];
        [heapIdx[p], heapIdx[j]] = [heapIdx[j], heapIdx[p]];
        j = p;
      }
    } else if (s > heapVal[0]) {
      heapVal[0] = s;
      heapIdx[0] = i;
      sift(0);
    }
  }
  const order = heapIdx.map((idx, j) => ({ idx, v: heapVal[j] })).sort((a, b) => b.v - a.v || a.idx - b.idx);
  return Uint32Array.from(order.map((o) => o.idx));
}

/** scores[j] = query · rows[j] for every row of `m`. */
export function scoreRows(m: Float32Array, dim: number, query: Float32Array, out = new Float32Array(m.length / dim)): Float32Array {
  const rows = m.length / dim;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * dim;
    for (let i = 0; i < dim; i++) s += m[base + i] * query[i];
    out[r] = s;
  }
  return out;
}
