/**
 * Reference for bench/walk.ts: the native walker's exact node2vec algorithm
 * written in plain TypeScript on one thread (per-node Vose alias tables for
 * first-order proposals, rejection against the alpha bound with the return
 * node's exact mass folded into the envelope when 1/p is the largest alpha,
 * one coin per proposal, binary search for "t -> x exists"). Same
 * distribution as the native walker, not the same random stream: it exists
 * to put a number on what the C++ buys per step.
 */
import type { Csr } from '../../src/graph/csr.js';

export interface TsWalkOptions {
  p: number;
  q: number;
  walkLength: number;
  /** Start nodes of the walks to run (one walk each). */
  starts: Uint32Array;
  seed: number;
}

export interface TsWalkResult {
  /** Transitions taken (walk nodes minus one, summed). */
  steps: number;
  tokens: Uint32Array;
  lengths: Uint32Array;
}

/** xoshiro128** (32-bit words, so it runs on plain JS numbers): fast and seeded. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = seed | 0 || 1;
    this.b = 0x9e3779b9;
    this.c = 0x243f6a88;
    this.d = 0xb7e15162;
    for (let i = 0; i < 16; i++) this.next32();
  }
  /** xoshiro128** step. */
  next32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }
  uniform(): number {
    return this.next32() / 4294967296;
  }
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

interface FirstOrder {
  /** Probability of keeping the drawn column, per arc; null when every row is uniform. */
  prob: Float64Array | null;
  alias: Uint32Array | null;
  rowWeight: Float64Array;
}

function buildFirstOrder(csr: Csr, off: Float64Array): FirstOrder {
  const n = csr.nodeCount;
  const rowWeight = new Float64Array(n);
  let uniform = true;
  for (let v = 0; v < n; v++) {
    const b = off[v]!;
    const e = off[v + 1]!;
    let sum = 0;
    for (let k = b; k < e; k++) {
      sum += csr.weights[k]!;
      if (csr.weights[k] !== csr.weights[b]) uniform = false;
    }
    rowWeight[v] = sum;
  }
  if (uniform) return { prob: null, alias: null, rowWeight };
  const arcs = csr.targets.length;
  const prob = new Float64Array(arcs);
  const alias = new Uint32Array(arcs);
  const small: number[] = [];
  const large: number[] = [];
  for (let v = 0; v < n; v++) {
    const b = off[v]!;
    const d = off[v + 1]! - b;
    small.length = 0;
    large.length = 0;
    for (let i = 0; i < d; i++) {
      prob[b + i] = (csr.weights[b + i]! * d) / rowWeight[v]!;
      (prob[b + i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      alias[b + s] = l;
      prob[b + l] = prob[b + l]! + prob[b + s]! - 1;
      if (prob[b + l]! < 1) {
        large.pop();
        small.push(l);
      }
    }
    for (const i of large) {
      prob[b + i] = 1;
      alias[b + i] = i;
    }
    for (const i of small) {
      prob[b + i] = 1;
      alias[b + i] = i;
    }
  }
  return { prob, alias, rowWeight };
}

function lowerBound(targets: Uint32Array, b: number, e: number, x: number): number {
  let lo = b;
  let hi = e;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (targets[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs one walk from each start node; returns the packed corpus and step count. */
export function walkTs(csr: Csr, opts: TsWalkOptions): TsWalkResult {
  const off = Float64Array.from(csr.offsets as ArrayLike<number | bigint>, (x) => Number(x));
  const { targets, weights } = csr;
  const fo = buildFirstOrder(csr, off);
  const rng = new Rng(opts.seed);
  const invP = 1 / opts.p;
  const invQ = 1 / opts.q;
  const lowAlpha = Math.min(1, invQ);
  const highAlpha = Math.max(1, invQ);
  const firstOrderOnly = opts.p === 1 && opts.q === 1;
  const split = !firstOrderOnly && invP > highAlpha;
  const bound = split ? highAlpha : Math.max(invP, highAlpha);

  const sample = (v: number): number => {
    const b = off[v]!;
    let i = rng.below(off[v + 1]! - b);
    if (fo.prob !== null && rng.uniform() >= fo.prob[b + i]!) i = fo.alias![b + i]!;
    return targets[b + i]!;
  };
  const isNeighbour = (t: number, x: number): boolean => {
    const e = off[t + 1]!;
    const at = lowerBound(targets, off[t]!, e, x);
    return at < e && targets[at] === x;
  };
  const acceptOther = (t: number, x: number): boolean => {
    const u = rng.uniform() * bound;
    if (u <= lowAlpha) return true;
    if (u > highAlpha) return false;
    return u <= (isNeighbour(t, x) ? 1 : invQ);
  };
  const next = (t: number, v: number): number => {
    if (firstOrderOnly) return sample(v);
    if (!split) {
      for (;;) {
        const x = sample(v);
        if (x === t) {
          if (rng.uniform() * bound <= invP) return x;
        } else if (acceptOther(t, x)) return x;
      }
    }
    const b = off[v]!;
    const e = off[v + 1]!;
    let returnWeight = 0;
    let returnArcs = 0;
    for (let k = lowerBound(targets, b, e, t); k < e && targets[k] === t; k++, returnArcs++) returnWeight += weights[k]!;
    if (returnArcs === e - b) return t;
    // One coin per proposal against the envelope: t's exact mass, then bound
    // times every arc of v (a proposal of t itself is rejected), as natively.
    const returnMass = returnWeight * invP;
    const share = returnMass / (returnMass + fo.rowWeight[v]! * bound);
    const acceptLow = share + ((1 - share) * lowAlpha) / bound;
    const acceptHigh = share + ((1 - share) * highAlpha) / bound;
    for (;;) {
      const u = rng.uniform();
      const x = sample(v);
      if (u < share) return t;
      if (x === t || u >= acceptHigh) continue;
      if (u < acceptLow || isNeighbour(t, x) === invQ < 1) return x;
    }
  };

  const L = opts.walkLength;
  const tokens = new Uint32Array(opts.starts.length * L);
  const lengths = new Uint32Array(opts.starts.length);
  let used = 0;
  let steps = 0;
  for (let w = 0; w < opts.starts.length; w++) {
    const s = opts.starts[w]!;
    tokens[used] = s;
    let len = 1;
    if (L > 1 && off[s + 1]! > off[s]!) {
      let t = s;
      let v = sample(s);
      tokens[used + len++] = v;
      while (len < L && off[v + 1]! > off[v]!) {
        const x = next(t, v);
        tokens[used + len++] = x;
        t = v;
        v = x;
      }
    }
    lengths[w] = len;
    used += len;
    steps += len - 1;
  }
  return { steps, tokens: tokens.subarray(0, used), lengths };
}
