/**
 * float32 values as text that reads back to the very same float32: the
 * fewest of 7..9 significant digits (6..9 outside 1e-6..1e9) that round-trip
 * through `Math.fround(Number(s))`, i.e. text -> double -> float32, the path of
 * JSON.parse, Python's float() and gensim (9 digits always do). "0.1f" prints
 * as "0.1", not as the 17 digits of its double value.
 */
import { GraphprofError } from '../util/errors.js';

/** Drops trailing zeros of the mantissa: "0.500000" -> "0.5", "1.20000e-7" -> "1.2e-7", "100.000" -> "100". */
function trimMantissa(s: string): string {
  const e = s.indexOf('e');
  let mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? '' : s.slice(e);
  if (mantissa.includes('.')) {
    let end = mantissa.length;
    while (mantissa.charCodeAt(end - 1) === 48) end--; // '0'
    if (mantissa.charCodeAt(end - 1) === 46) end--; // '.'
    mantissa = mantissa.slice(0, end);
  }
  return mantissa + exponent;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22

/** Digits of the integer n times 10^-k as a plain decimal ("123", 2 -> "1.23"; 5, 3 -> "0.005"). */
function placeDecimal(n: number, k: number): string {
  const digits = String(n);
  if (k <= 0) return digits + '0'.repeat(-k);
  const whole = digits.length - k;
  const s = whole > 0 ? `${digits.slice(0, whole)}.${digits.slice(whole)}` : `0.${'0'.repeat(-whole)}${digits}`;
  return trimMantissa(s);
}

/**
 * The common range without toPrecision (the slow part of text export): n =
 * round(|v| * 10^k) with p significant digits, kept if n / 10^k rounds back to
 * v. n and 10^k are exact doubles, so n / 10^k is the double any reader parses
 * from the printed decimal, and the check is exact. Undefined: use the slow path.
 */
function formatFast(v: number): string | undefined {
  const a = Math.abs(v);
  if (!(a >= 1e-6 && a < 1e9)) return undefined;
  const e10 = Math.floor(Math.log10(a));
  for (let p = 7; p <= 9; p++) {
    const k = p - 1 - e10;
    const n = k >= 0 ? Math.round(a * POW10[k]!) : Math.round(a / POW10[-k]!);
    const back = k >= 0 ? n / POW10[k]! : n * POW10[-k]!;
    if (Math.fround(back) === a) return (v < 0 ? '-' : '') + placeDecimal(n, k);
  }
  return undefined;
}

/** Text of a float32 value (the argument must already be a float32, e.g. read from a Float32Array). */
export function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const fast = formatFast(v);
  if (fast !== undefined) return fast;
  for (let p = 6; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return trimMantissa(s);
  }
  return trimMantissa(v.toPrecision(9));
}

/** Text formats cannot carry NaN or infinities portably (JSON has neither): refuse them by name. */
export function checkFinite(data: Float32Array, length: number, rowId: (i: number) => string, dim: number): void {
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = Math.floor(i / dim);
      throw new GraphprofError(`exportVectors: the vector of ${rowId(row)} holds ${data[i]} at position ${i % dim}; text formats only carry finite numbers (use --format npy, word2vec-bin or parquet)`);
    }
  }
}

/** Row `r` of a batch as `sep`-joined float texts. */
export function formatRow(data: Float32Array, r: number, dim: number, sep: string): string {
  const parts = new Array<string>(dim);
  const base = r * dim;
  for (let k = 0; k < dim; k++) parts[k] = formatFloat32(data[base + k]!);
  return parts.join(sep);
}
