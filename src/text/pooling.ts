/**
 * Vector arithmetic of the encoder: attention-masked mean pooling of token
 * states (right-padded batches: row r has `lengths[r]` real tokens first),
 * L2 normalisation, and the token-weighted sum used to merge the windows of
 * a long text.
 */

/** Mean of the first lengths[r] token vectors of each row; out is rows x dim. */
export function maskedMeanPool(states: Float32Array, rows: number, cols: number, dim: number, lengths: Int32Array, out: Float32Array): void {
  const acc = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    const len = lengths[r]!;
    const base = r * cols * dim;
    for (let t = 0; t < len; t++) {
      const off = base + t * dim;
      for (let d = 0; d < dim; d++) acc[d]! += states[off + d]!;
    }
    const inv = len > 0 ? 1 / len : 0;
    const o = r * dim;
    for (let d = 0; d < dim; d++) out[o + d] = acc[d]! * inv;
  }
}

/** Scales v[offset .. offset+dim) to unit length; zero vectors stay zero. */
export function l2NormaliseAt(v: Float32Array, offset: number, dim: number): void {
  let s = 0;
  for (let d = 0; d < dim; d++) s += v[offset + d]! * v[offset + d]!;
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let d = 0; d < dim; d++) v[offset + d] = v[offset + d]! * inv;
}

/** acc[accOffset..] += weight * src[srcOffset..] over dim values. */
export function addWeighted(acc: Float32Array, accOffset: number, src: Float32Array, srcOffset: number, dim: number, weight: number): void {
  for (let d = 0; d < dim; d++) acc[accOffset + d] = acc[accOffset + d]! + weight * src[srcOffset + d]!;
}
