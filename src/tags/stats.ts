/**
 * The few statistics tag scoring needs, on typed arrays: mean and sd, median
 * and MAD, quantiles and percentiles, and the standard normal quantile. They
 * are written here rather than taken from a statistics package because each
 * is a few lines and the scorer needs them on typed arrays with NaN as "no
 * data" (the normal quantile is Acklam's rational approximation, relative
 * error below 1.2e-9).
 */

/** Mean and sample standard deviation of the finite values. */
export function meanSd(values: ArrayLike<number>): { mean: number; sd: number; n: number } {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
  }
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, n };
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return Float64Array.from(out).sort();
}

const medianOfSorted = (a: Float64Array): number => (a.length === 0 ? NaN : a.length % 2 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2);

/** Median and 1.4826 * MAD of the finite values; the sd when the MAD is 0 (most values equal). */
export function robustCenterScale(values: ArrayLike<number>): { center: number; scale: number } {
  const sorted = finiteSorted(values);
  const center = medianOfSorted(sorted);
  const dev = sorted.map((v) => Math.abs(v - center)).sort();
  let scale = 1.4826 * medianOfSorted(dev);
  if (!(scale > 1e-12)) scale = meanSd(sorted).sd;
  return { center, scale: scale > 1e-12 ? scale : NaN };
}

/** `q` evenly spaced quantiles (q >= 2) of the finite values, linear interpolation; NaN when there are none. */
export function quantiles(values: ArrayLike<number>, q: number): Float32Array {
  const sorted = finiteSorted(values);
  const out = new Float32Array(q).fill(NaN);
  if (sorted.length === 0) return out;
  for (let i = 0; i < q; i++) {
    const pos = (i / (q - 1)) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    out[i] = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  }
  return out;
}

/** Percentile (0..100) of value c among `q` stored quantiles at `offset`; equal quantiles share their middle rank. */
export function percentileOf(qs: Float32Array, offset: number, q: number, c: number): number {
  if (!Number.isFinite(c) || !Number.isFinite(qs[offset]!)) return NaN;
  const at = (i: number): number => qs[offset + i]!;
  if (c < at(0)) return 0;
  if (c > at(q - 1)) return 100;
  let lo = 0; // first index with at(i) >= c
  let hi = q - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) >= c) hi = mid;
    else lo = mid + 1;
  }
  if (at(lo) <= c) {
    let last = lo; // last index with at(i) <= c
    while (last + 1 < q && at(last + 1) <= c) last++;
    return (((lo + last) / 2) * 100) / (q - 1);
  }
  const below = lo - 1;
  return ((below + (c - at(below)) / (at(lo) - at(below))) * 100) / (q - 1);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** x with P(Z <= x) = p for a standard normal Z, p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const tail = (q: number): number => (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log1p(-p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}
