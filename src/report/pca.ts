/**
 * The two leading principal components of a row-major Float32Array, for the
 * user map. ml-pca decomposes the full d x d covariance with a general dense
 * eigensolver, which takes tens of seconds at the 640 dimensions of fused
 * vectors; the map needs two axes only. So: the covariance of at most
 * `fitRows` evenly spaced rows (the leading directions of 10k users are
 * already set by 2k of them), then subspace iteration for its top two
 * eigenvectors, with signs fixed so a given input always gives the same picture.
 */

export interface Pca2 {
  /** Projections on the first and second component, one per row. */
  x: Float64Array;
  y: Float64Array;
  /** Variance along each component, and the total variance, of the fitted rows. */
  variance: [number, number];
  totalVariance: number;
}

export const pcaDefaults = { fitRows: 2000, maxIterations: 300, tolerance: 1e-9 } as const;

function fitRowsOf(rows: number, max: number): Uint32Array {
  if (rows <= max) return Uint32Array.from({ length: rows }, (_, i) => i);
  return Uint32Array.from({ length: max }, (_, i) => Math.floor((i * rows) / max));
}

function meanAndCovariance(m: Float32Array, dim: number, fit: Uint32Array): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(dim);
  for (const r of fit) for (let j = 0; j < dim; j++) mean[j] += m[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= fit.length;
  const cov = new Float64Array(dim * dim);
  const c = new Float64Array(dim);
  for (const r of fit) {
    for (let j = 0; j < dim; j++) c[j] = m[r * dim + j] - mean[j];
    for (let i = 0; i < dim; i++) {
      const ci = c[i];
      if (ci === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) cov[row + j] += ci * c[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov[i * dim + j] / fit.length;
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  return { mean, cov };
}

function multiply(cov: Float64Array, dim: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < dim; i++) {
    let s = 0;
    const row = i * dim;
    for (let j = 0; j < dim; j++) s += cov[row + j] * v[j];
    out[i] = s;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(v: Float64Array): number {
  const n = Math.sqrt(dot(v, v));
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return n;
}

/** Largest-magnitude entry positive: eigenvectors have no sign of their own. */
function fixSign(v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  if (v[best] < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

/** Eigenvectors (columns, larger eigenvalue first) of the symmetric 2x2 matrix [[p, q], [q, r]]. */
function eig2(p: number, q: number, r: number): [[number, number], [number, number]] {
  if (Math.abs(q) < 1e-300) return p >= r ? [[1, 0], [0, 1]] : [[0, 1], [1, 0]];
  const mid = (p + r) / 2;
  const l1 = mid + Math.hypot((p - r) / 2, q);
  const v: [number, number] = [l1 - r, q];
  const n = Math.hypot(v[0], v[1]);
  return [[v[0] / n, v[1] / n], [-v[1] / n, v[0] / n]];
}

/**
 * Top two eigenvectors of a symmetric PSD matrix: orthogonal iteration with a
 * Rayleigh-Ritz rotation each step, so the pair converges at the rate of the
 * third-to-second eigenvalue ratio even when the first two are close.
 */
function topTwo(cov: Float64Array, dim: number): [Float64Array, Float64Array] {
  const a = new Float64Array(dim);
  const b = new Float64Array(dim);
  // Fixed, non-degenerate start vectors (deterministic; not aligned with any axis).
  for (let i = 0; i < dim; i++) {
    a[i] = 1 + ((i * 7919) % 13) / 13;
    b[i] = ((i * 104729) % 17) / 17 - 0.5;
  }
  const ta = new Float64Array(dim);
  const tb = new Float64Array(dim);
  const orthonormalise = (): void => {
    normalise(a);
    const p = dot(a, b);
    for (let i = 0; i < dim; i++) b[i] -= p * a[i];
    normalise(b);
  };
  orthonormalise();
  const prevA = new Float64Array(dim);
  const prevB = new Float64Array(dim);
  for (let it = 0; it < pcaDefaults.maxIterations; it++) {
    multiply(cov, dim, a, ta);
    multiply(cov, dim, b, tb);
    const [[r00, r10], [r01, r11]] = eig2(dot(a, ta), dot(a, tb), dot(b, tb));
    prevA.set(a);
    prevB.set(b);
    for (let i = 0; i < dim; i++) {
      a[i] = ta[i] * r00 + tb[i] * r10;
      b[i] = ta[i] * r01 + tb[i] * r11;
    }
    orthonormalise();
    const change = 2 - Math.abs(dot(a, prevA)) - Math.abs(dot(b, prevB));
    if (change < pcaDefaults.tolerance) break;
  }
  fixSign(a);
  fixSign(b);
  return [a, b];
}

export function pca2(m: Float32Array, dim: number, fitRows: number = pcaDefaults.fitRows): Pca2 {
  const rows = dim > 0 ? m.length / dim : 0;
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  if (rows < 2 || dim < 2) return { x, y, variance: [0, 0], totalVariance: 0 };
  const { mean, cov } = meanAndCovariance(m, dim, fitRowsOf(rows, fitRows));
  let totalVariance = 0;
  for (let i = 0; i < dim; i++) totalVariance += cov[i * dim + i];
  const [a, b] = topTwo(cov, dim);
  const t = new Float64Array(dim);
  multiply(cov, dim, a, t);
  const va = dot(a, t);
  multiply(cov, dim, b, t);
  const vb = dot(b, t);
  for (let r = 0; r < rows; r++) {
    let sx = 0;
    let sy = 0;
    for (let j = 0; j < dim; j++) {
      const c = m[r * dim + j] - mean[j];
      sx += c * a[j];
      sy += c * b[j];
    }
    x[r] = sx;
    y[r] = sy;
  }
  return { x, y, variance: [va, vb], totalVariance };
}
