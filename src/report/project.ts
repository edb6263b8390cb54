/**
 * The user map: which users are drawn, and where. Above the point cap a
 * seeded per-segment sample is drawn, in proportion to segment size but with
 * a floor so small segments stay visible. Positions are the first two
 * principal components (./pca.ts) of the drawn users' fused vectors, scaled
 * to [0, 1].
 * Draw order is shuffled so no segment is painted over the others wholesale.
 */
import { Prng } from '../util/random.js';
import type { ReportUsers } from './data.js';
import { pca2 } from './pca.js';

export interface MapPoints {
  /** Row (in ReportUsers) of each drawn point, in draw order. */
  rows: Uint32Array;
  /** Positions in [0, 1], y growing downwards. */
  x: Float32Array;
  y: Float32Array;
  /** Share of the total variance the two axes hold, 0..1. */
  explained: number;
  /** Users in the run (drawn or not). */
  total: number;
}

/** Fewest points drawn for a segment (all of them if it is smaller). */
const minPerSegment = 30;

/**
 * How many rows each segment draws: in proportion to its size, except that a
 * segment whose share would fall under the floor keeps min(size, floor) and
 * the others share what is left (repeated until no share falls under it).
 */
function quotas(sizes: Map<number, number>, max: number): Map<number, number> {
  const floorCap = Math.min(minPerSegment, Math.floor(max / Math.max(1, sizes.size)));
  const floored = new Set<number>();
  for (;;) {
    let free = max;
    let restSize = 0;
    for (const [s, n] of sizes) {
      if (floored.has(s)) free -= Math.min(n, floorCap);
      else restSize += n;
    }
    const share = (n: number): number => Math.min(n, Math.floor((Math.max(0, free) * n) / Math.max(1, restSize)));
    const under = [...sizes].filter(([s, n]) => !floored.has(s) && share(n) < Math.min(n, floorCap));
    if (under.length === 0) return new Map([...sizes].map(([s, n]) => [s, floored.has(s) ? Math.min(n, floorCap) : share(n)]));
    for (const [s] of under) floored.add(s);
  }
}

/** Seeded choice of at most `max` rows, proportional per segment, in shuffled draw order. */
export function choosePoints(segment: Int32Array, max: number, seed: number): Uint32Array {
  const rng = new Prng(seed, 'report-map');
  const bySegment = new Map<number, number[]>();
  segment.forEach((s, row) => {
    const list = bySegment.get(s);
    if (list) list.push(row);
    else bySegment.set(s, [row]);
  });
  const chosen: number[] = [];
  if (segment.length <= max) {
    for (let r = 0; r < segment.length; r++) chosen.push(r);
  } else {
    const keys = [...bySegment.keys()].sort((a, b) => a - b);
    const quota = quotas(new Map(keys.map((s) => [s, (bySegment.get(s) as number[]).length])), max);
    for (const s of keys) chosen.push(...rng.shuffle(bySegment.get(s) as number[]).slice(0, quota.get(s)));
  }
  return Uint32Array.from(rng.shuffle(chosen));
}

function gather(users: ReportUsers, rows: Uint32Array): Float32Array {
  const d = users.dim;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(users.vectors.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

/** Scales to [pad, 1 - pad] keeping the aspect ratio of the two components. */
function fitUnit(x: Float32Array, y: Float32Array): void {
  const range = (v: Float32Array): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of v) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
    return [lo, hi];
  };
  const [x0, x1] = range(x);
  const [y0, y1] = range(y);
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  const pad = 0.02;
  const scale = (1 - 2 * pad) / span;
  // Centre the shorter axis so the cloud sits in the middle.
  const ox = pad + (1 - 2 * pad - (x1 - x0) * scale) / 2;
  const oy = pad + (1 - 2 * pad - (y1 - y0) * scale) / 2;
  for (let i = 0; i < x.length; i++) {
    x[i] = ox + (x[i] - x0) * scale;
    y[i] = oy + (y1 - y[i]) * scale;
  }
}

export function projectUsers(users: ReportUsers, maxPoints: number, seed: number): MapPoints {
  const rows = choosePoints(users.segment, maxPoints, seed);
  const p = pca2(gather(users, rows), users.dim);
  const x = Float32Array.from(p.x);
  const y = Float32Array.from(p.y);
  fitUnit(x, y);
  const explained = p.totalVariance > 0 ? Math.min(1, (p.variance[0] + p.variance[1]) / p.totalVariance) : 0;
  return { rows, x, y, explained, total: users.ids.length };
}
