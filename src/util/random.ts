/**
 * A small seeded generator (mulberry32) for the TypeScript side: k-means
 * samples, warm-start vectors. Deterministic for a seed on any platform; the
 * native hot loops use their own xoshiro256** (native/src/rng.h).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
