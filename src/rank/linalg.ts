/**
 * Dense linear algebra on row-major Float64Array matrices, for the item-item
 * recommenders (EASE^R's inverse, the walk part's truncated SVD).
 *
 * Hand-written rather than ml-matrix: ml-matrix stores arrays of arrays and
 * allocates per row, and an n_items^2 inverse (900^2 on Musical Instruments,
 * up to 20,000^2 allowed) must stay one typed buffer with contiguous inner
 * loops. Every kernel below runs its innermost loop along a row (unit stride)
 * and tiles the outer loops so a tile of rows is reused while it is in cache.
 */

const TILE = 64;

/** A row-major [rows x cols] matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)): Matrix {
  if (data.length !== rows * cols) throw new Error(`matrix: ${data.length} values for a ${rows} x ${cols} matrix`);
  return { rows, cols, data };
}

/**
 * In-place Cholesky factorisation A = L Lᵀ of a symmetric positive definite
 * [n x n] matrix (only its lower triangle is read). On return the lower
 * triangle holds L and the strict upper triangle is zeroed.
 * Row-oriented (Cholesky–Banachiewicz): L[i][j] = (A[i][j] - L[i][:j]·L[j][:j]) / L[j][j],
 * a dot product of two contiguous row prefixes; rows i are processed in tiles
 * so every row j read is reused by a whole tile.
 */
export function choleskyInPlace(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`choleskyInPlace: matrix is ${a.rows} x ${a.cols}, not square`);
  const d = a.data;
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    // Columns left of the tile: every row of the tile against finished rows j < i0.
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      const ljj = d[rj + j];
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        let s = d[ri + j];
        for (let k = 0; k < j; k++) s -= d[ri + k] * d[rj + k];
        d[ri + j] = s / ljj;
      }
    }
    // The triangle inside the tile.
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let j = i0; j <= i; j++) {
        const rj = j * n;
        let s = d[ri + j];
        for (let k = 0; k < j; k++) s -= d[ri + k] * d[rj + k];
        if (j === i) {
          if (!(s > 0)) throw new Error(`choleskyInPlace: matrix is not positive definite (pivot ${i} is ${s})`);
          d[ri + i] = Math.sqrt(s);
        } else {
          d[ri + j] = s / d[rj + j];
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = 0;
  return a;
}

/** Inverse of a lower-triangular [n x n] matrix (row by row: contiguous row updates). */
export function invertLower(l: Matrix): Matrix {
  const n = l.rows;
  const src = l.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // out[i][:] = (e_i - Σ_{k<i} L[i][k] out[k][:]) / L[i][i]; out[k] is zero beyond column k.
    for (let k = 0; k < i; k++) {
      const f = src[ri + k];
      if (f === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) out[ri + c] -= f * out[rk + c];
    }
    out[ri + i] += 1;
    const inv = 1 / src[ri + i];
    for (let c = 0; c <= i; c++) out[ri + c] *= inv;
  }
  return matrix(n, n, out);
}

/**
 * Inverse of a symmetric positive definite matrix through its Cholesky factor,
 * A⁻¹ = L⁻ᵀ L⁻¹. Both triangular steps are written as dot products of
 * contiguous row segments, with U = L⁻ᵀ kept row-major:
 *   U[c][i] = −(L[i][c..i) · U[c][c..i)) / L[i][i]      (U[c][c] = 1 / L[c][c])
 *   A⁻¹[i][j] = U[i][j..n) · U[j][j..n)                  (j ≥ i)
 * about n³/3 + n³/6 + n³/6 multiply-adds. Consumes `a`.
 */
export function invertSpd(a: Matrix): Matrix {
  const n = a.rows;
  const l = choleskyInPlace(a).data;
  const u = new Float64Array(n * n);
  // Rows c of U in tiles: each row L[i] is read once per tile while the tile's rows of U stay in cache.
  for (let c0 = 0; c0 < n; c0 += TILE) {
    const c1 = Math.min(n, c0 + TILE);
    for (let c = c0; c < c1; c++) u[c * n + c] = 1 / l[c * n + c];
    for (let i = c0 + 1; i < n; i++) {
      const ri = i * n;
      const inv = 1 / l[ri + i];
      for (let c = c0; c < Math.min(c1, i); c++) {
        const rc = c * n;
        let s = 0;
        for (let k = c; k < i; k++) s += l[ri + k] * u[rc + k];
        u[rc + i] = -s * inv;
      }
    }
  }
  const out = l; // L is no longer needed: the inverse takes its place.
  // A⁻¹[i][j] for j in a tile of rows of U, against every row i <= j.
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const j1 = Math.min(n, j0 + TILE);
    for (let i = 0; i < j1; i++) {
      const ri = i * n;
      for (let j = Math.max(i, j0); j < j1; j++) {
        const rj = j * n;
        let s = 0;
        for (let k = j; k < n; k++) s += u[ri + k] * u[rj + k];
        out[ri + j] = s;
        out[rj + i] = s;
      }
    }
  }
  return matrix(n, n, out);
}

/** C = A B for row-major A [m x k] and B [k x n], tiled over k so rows of B stay in cache. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`multiply: ${a.rows} x ${a.cols} times ${b.rows} x ${b.cols}`);
  const m = a.rows;
  const kk = a.cols;
  const n = b.cols;
  const out = new Float64Array(m * n);
  const ad = a.data;
  const bd = b.data;
  for (let k0 = 0; k0 < kk; k0 += TILE) {
    const k1 = Math.min(kk, k0 + TILE);
    for (let i = 0; i < m; i++) {
      const ri = i * n;
      const ra = i * kk;
      for (let k = k0; k < k1; k++) {
        const f = ad[ra + k];
        if (f === 0) continue;
        const rb = k * n;
        for (let j = 0; j < n; j++) out[ri + j] += f * bd[rb + j];
      }
    }
  }
  return matrix(m, n, out);
}

/** Aᵀ B for row-major A [k x m] and B [k x n]: a sum of outer products of matching rows. */
export function multiplyTransposed(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows) throw new Error(`multiplyTransposed: (${a.rows} x ${a.cols})ᵀ times ${b.rows} x ${b.cols}`);
  const m = a.cols;
  const n = b.cols;
  const out = new Float64Array(m * n);
  for (let k = 0; k < a.rows; k++) {
    const ra = k * m;
    const rb = k * n;
    for (let i = 0; i < m; i++) {
      const f = a.data[ra + i];
      if (f === 0) continue;
      const ri = i * n;
      for (let j = 0; j < n; j++) out[ri + j] += f * b.data[rb + j];
    }
  }
  return matrix(m, n, out);
}

/**
 * Eigen-decomposition of a symmetric [n x n] matrix: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm (EISPACK tred2/tql2, as in
 * JAMA). Values in descending order, vectors as the columns of `vectors`.
 * The rotations of the QL phase act on rows of the transposed eigenvector
 * matrix, so its inner loops run at unit stride.
 */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`symmetricEigen: matrix is ${a.rows} x ${a.cols}, not square`);
  // vt[c * n + r] holds V[r][c] (the transpose; A is symmetric, so it starts as A):
  // every inner loop of both phases then walks along a row.
  const vt = a.data.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: matrix(0, 0) };
  // tred2: Householder reduction; v ends as the accumulated orthogonal transform.
  for (let j = 0; j < n; j++) d[j] = vt[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = vt[j * n + (i - 1)];
        vt[j * n + i] = 0;
        vt[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        vt[i * n + j] = f;
        g = e[j] + vt[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += vt[j * n + k] * d[k];
          e[k] += vt[j * n + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) vt[j * n + k] -= f * e[k] + g * d[k];
        d[j] = vt[j * n + (i - 1)];
        vt[j * n + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    vt[i * n + (n - 1)] = vt[i * n + i];
    vt[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = vt[(i + 1) * n + k] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += vt[(i + 1) * n + k] * vt[j * n + k];
        for (let k = 0; k <= i; k++) vt[j * n + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) vt[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = vt[j * n + (n - 1)];
    vt[j * n + (n - 1)] = 0;
  }
  vt[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
  // tql2: QL iterations; row k of vt is eigenvector k.
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; ; iter++) {
        if (iter > 60) throw new Error(`symmetricEigen: no convergence at eigenvalue ${l} of ${n}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ri = i * n;
          const rj = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const hk = vt[rj + k];
            vt[rj + k] = s * vt[ri + k] + c * hk;
            vt[ri + k] = c * vt[ri + k] - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x] || x - y);
  const values = Float64Array.from(order, (i) => d[i]);
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c] * n;
    for (let r = 0; r < n; r++) vectors[r * n + c] = vt[src + r];
  }
  return { values, vectors: matrix(n, n, vectors) };
}

/**
 * The Gram matrix Yᵀ Y of a row-major [m x r] matrix: only its upper triangle
 * is accumulated (row by row, in the order multiplyTransposed uses) and then
 * mirrored, half the multiply-adds for a bit-identical result (x·y = y·x in
 * IEEE arithmetic, and each entry sums over the rows in the same order).
 */
export function gram(y: Matrix): Matrix {
  const r = y.cols;
  const out = new Float64Array(r * r);
  const d = y.data;
  for (let k = 0; k < y.rows; k++) {
    const rk = k * r;
    for (let i = 0; i < r; i++) {
      const f = d[rk + i];
      if (f === 0) continue;
      const ri = i * r;
      for (let j = i; j < r; j++) out[ri + j] += f * d[rk + j];
    }
  }
  for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) out[i * r + j] = out[j * r + i];
  return matrix(r, r, out);
}

/**
 * Orthonormalises the columns of a tall [m x r] matrix in place (CholeskyQR;
 * twice by default, for accuracy — once is enough between power iterations).
 */
export function orthonormaliseColumns(y: Matrix, passes = 2): Matrix {
  for (let pass = 0; pass < passes; pass++) {
    const r = y.cols;
    const g = gram(y);
    // Regularise so a rank-deficient block still factors; its extra columns come out tiny.
    let trace = 0;
    for (let i = 0; i < r; i++) trace += g.data[i * r + i];
    const eps = 1e-12 * Math.max(trace / Math.max(1, r), 1e-300);
    for (let i = 0; i < r; i++) g.data[i * r + i] += eps;
    const linv = invertLower(choleskyInPlace(g));
    // Y <- Y L⁻ᵀ: row_i(Y) L⁻ᵀ, i.e. out[i][c] = Σ_k Y[i][k] Linv[c][k].
    const row = new Float64Array(r);
    for (let i = 0; i < y.rows; i++) {
      const ri = i * r;
      for (let c = 0; c < r; c++) {
        let s = 0;
        const rc = c * r;
        for (let k = 0; k <= c; k++) s += y.data[ri + k] * linv.data[rc + k];
        row[c] = s;
      }
      y.data.set(row, ri);
    }
  }
  return y;
}

/** A symmetric linear operator A [n x n] known only through products with dense blocks. */
export interface SymmetricOperator {
  size: number;
  /** A X for X [n x r]. */
  apply(x: Matrix): Matrix;
}

export interface Eigenpairs {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as columns [n x rank]. */
  vectors: Matrix;
}

/**
 * The `rank` leading eigenpairs of a symmetric positive semidefinite operator
 * by randomised subspace iteration (Halko, Martinsson & Tropp 2011, alg. 4.4
 * and 5.3): a seeded Gaussian sketch with `oversample` extra columns (or
 * `start`, a basis from an earlier, similar operator: a warm start),
 * `powerIterations` re-orthonormalised passes Q <- orth(A Q), then the exact
 * eigen-decomposition of the small projected matrix Qᵀ A Q.
 */
export function truncatedEigen(a: SymmetricOperator, rank: number, rand: () => number, opts: { oversample?: number; powerIterations?: number; start?: Matrix } = {}): Eigenpairs {
  const n = a.size;
  const k = Math.min(n, rank);
  const l = opts.start ? opts.start.cols : Math.min(n, k + (opts.oversample ?? 10));
  const omega = matrix(n, opts.start ? 0 : l);
  for (let i = 0; i < omega.data.length; i += 2) {
    // Box–Muller: two standard normals per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300)));
    const t = 2 * Math.PI * rand();
    omega.data[i] = r * Math.cos(t);
    if (i + 1 < omega.data.length) omega.data[i + 1] = r * Math.sin(t);
  }
  const iterations = opts.powerIterations ?? 2;
  let q = orthonormaliseColumns(a.apply(opts.start ?? omega), iterations > 0 ? 1 : 2);
  for (let it = 0; it < iterations; it++) q = orthonormaliseColumns(a.apply(q), it === iterations - 1 ? 2 : 1);
  const t = multiplyTransposed(q, a.apply(q));
  // Symmetrise against rounding before the small eigen-decomposition.
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) t.data[i * l + j] = t.data[j * l + i] = (t.data[i * l + j] + t.data[j * l + i]) / 2;
  const small = symmetricEigen(t);
  const uk = matrix(l, k);
  for (let r = 0; r < l; r++) for (let c = 0; c < k; c++) uk.data[r * k + c] = small.vectors.data[r * l + c];
  return { values: small.values.slice(0, k), vectors: multiply(q, uk) };
}
