/**
 * The one seeded pseudo-random generator of the TypeScript side (the native
 * hot loops have theirs in native/src/rng.h): xoshiro128** seeded through
 * splitmix32, used by the sample generator, k-means samples, warm-start
 * vectors, the report's map sample and layout, tests and benches. Only 32-bit
 * integer arithmetic (Math.imul, shifts) and exact divisions by powers of two
 * are used, never Math.random or transcendental functions, so a seed gives the
 * same stream on every Node version and platform.
 */

function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units; names sub-streams so they do not overlap. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Prng {
  private readonly s = new Uint32Array(4);

  /**
   * @param seed non-negative safe integer; both 32-bit halves take part.
   * @param label names an independent stream for the same seed (e.g. 'catalog').
   */
  constructor(seed: number, label = '') {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const mix = { x: (lo ^ Math.imul(hi, 0x27d4eb2d) ^ hashLabel(label)) | 0 };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(mix);
    // xoshiro must never start from the all-zero state.
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** A generator at an explicit xoshiro128** state (reference test vectors use [1, 2, 3, 4]). */
  static fromState(state: readonly [number, number, number, number]): Prng {
    const g = new Prng(0);
    for (let i = 0; i < 4; i++) g.s[i] = state[i] >>> 0;
    if ((g.s[0] | g.s[1] | g.s[2] | g.s[3]) === 0) throw new RangeError('Prng.fromState: all-zero state');
    return g;
  }

  /** Copies the state into out[at..at+4), so the stream can be resumed there later (see fromSaved). */
  saveState(out: Uint32Array, at: number): void {
    out.set(this.s, at);
  }

  /** A generator resumed at a state written by saveState. */
  static fromSaved(saved: Uint32Array, at: number): Prng {
    const g = new Prng(0);
    g.s.set(saved.subarray(at, at + 4));
    return g;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** Uniform in [0, 1), a multiple of 2^-32 (exact in a double). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick: empty list');
    return items[this.int(items.length)];
  }

  /** Index drawn with probability proportional to weights[i] (weights >= 0, sum > 0). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    // Rounding can leave u at exactly 0: fall back to the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    throw new RangeError('Prng.weighted: all weights are zero');
  }

  /** Approximately normal (Irwin–Hall sum of 12 uniforms): arithmetic only, so portable. */
  normal(mean: number, sd: number): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.float();
    return mean + (sum - 6) * sd;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A uniform [0, 1) draw function over one seeded stream, for code that only needs floats. */
export function uniform(seed: number, label = ''): () => number {
  const g = new Prng(seed, label);
  return () => g.float();
}
