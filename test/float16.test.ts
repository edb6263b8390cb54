/** Half-precision storage of the skip-gram state: exact where float16 is exact, nearest-even rounding, specials kept. */
import { describe, expect, it } from 'vitest';
import { fromFloat16Bytes, toFloat16Bytes } from '../src/store/float16.js';
import { uniform } from '../src/util/random.js';

const bitsOf = (v: number): number => toFloat16Bytes(Float32Array.of(v)).readUInt16LE(0);

describe('float16', () => {
  it('encodes known values to their IEEE half bit patterns', () => {
    expect([1, -2, 0.5, 65504, 0.1, 2 ** -14, 2 ** -24, 1e-9, 70000, -0].map(bitsOf)).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x2e66, 0x0400, 0x0001, 0x0000, 0x7c00, 0x8000]);
    expect(bitsOf(Infinity)).toBe(0x7c00);
    expect(bitsOf(NaN) & 0x7c00).toBe(0x7c00);
    // Ties go to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
    expect(bitsOf(1 + 2 ** -11)).toBe(0x3c00);
    expect(bitsOf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips every half value exactly, and rounds any float32 to within half a unit', () => {
    const halves = new Uint16Array(0x10000).map((_, i) => i).filter((h) => (h & 0x7c00) !== 0x7c00);
    const back = fromFloat16Bytes(new Uint8Array(halves.buffer));
    expect(Buffer.compare(toFloat16Bytes(back), Buffer.from(halves.buffer))).toBe(0);
    const draw = uniform(3);
    const v = Float32Array.from({ length: 10_000 }, () => (draw() - 0.5) * 20);
    const r = fromFloat16Bytes(toFloat16Bytes(v));
    for (let i = 0; i < v.length; i++) expect(Math.abs(r[i] - v[i])).toBeLessThanOrEqual(Math.abs(v[i]) * 2 ** -11 + 2 ** -25);
  });
});
