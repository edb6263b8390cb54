/**
 * Drift between two runs of the same shop: users whose fused vector moved
 * more than a threshold (cosine distance 1 - cos between the old and new
 * vector, aligned by user id) or whose stable segment changed, the share of
 * such users among those in both runs, and the decision a nightly script
 * needs (`refresh --only-if-drift X`: retrain when the share reaches X).
 *
 * Vectors are only comparable within one vector space: a refresh continues
 * its parent's model, so parent and refresh can be compared; two independent
 * full trains cannot (their skip-gram spaces differ by an arbitrary rotation),
 * only their segments can.
 *
 * The JSON a command prints (`--json`) is the DriftReport as is, plus the
 * decision when a limit was given:
 *   {"threshold": 0.1, "compared": 1380, "drifted": 57, "share": 0.0413,
 *    "vectorMoved": 40, "segmentChanged": 30, "newUsers": 49, "goneUsers": 0,
 *    "skipped": 0, "distance": {"mean": .., "p50": .., "p90": .., "p99": .., "max": ..},
 *    "users": [{"user": "A1..", "distance": 0.31, "from": 3, "to": 5,
 *               "vectorMoved": true, "segmentChanged": true}, ...],
 *    "listed": 57,
 *    "decision": {"retrain": false, "share": 0.0413, "limit": 0.1, "reason": ".."}}
 * `users` lists the drifted users, largest distance first, at most `limit`.
 */
import { OptionError } from '../util/errors.js';

export interface VectorSnapshot {
  /** User ids, one per row. */
  ids: readonly string[];
  /** [rows x dim] fused vectors. */
  vectors: Float32Array;
  dim: number;
  /** Stable segment id per row, -1 for none; absent: segments are not compared. */
  segments?: Int32Array;
}

export const driftDefaults = {
  /**
   * Cosine distance from which a user's vector has moved. Measured on the
   * sample shop (train on the first 90% of reviews, refresh with the rest):
   * users without new reviews move at most 0.037 (the continued training's
   * noise), users with new reviews 0.046 at the median and up to 0.29; 0.1
   * flags 4% of the users, the ones whose new reviews changed them most.
   */
  threshold: 0.1,
  /** Most drifted users listed in a report. */
  limit: 1000,
} as const;

export interface DriftOptions {
  threshold?: number;
  limit?: number;
}

export interface DriftedUser {
  user: string;
  /** 1 - cos(old, new). */
  distance: number;
  /** Stable segment ids before and after (null when not compared or none). */
  from: number | null;
  to: number | null;
  vectorMoved: boolean;
  segmentChanged: boolean;
}

export interface DriftReport {
  threshold: number;
  /** Users in both runs with non-zero vectors in both. */
  compared: number;
  /** Users whose vector moved or whose segment changed. */
  drifted: number;
  /** drifted / compared (0 when nothing was compared). */
  share: number;
  vectorMoved: number;
  segmentChanged: number;
  newUsers: number;
  goneUsers: number;
  /** Users in both runs with a zero vector in one of them. */
  skipped: number;
  distance: { mean: number; p50: number; p90: number; p99: number; max: number };
  users: DriftedUser[];
  /** How many of the drifted users `users` lists. */
  listed: number;
}

export interface RetrainDecision {
  retrain: boolean;
  share: number;
  limit: number;
  reason: string;
}

function check(s: VectorSnapshot, which: string): void {
  if (!Number.isInteger(s.dim) || s.dim < 1) throw new OptionError('computeDrift', `${which}.dim`, s.dim, 'an integer >= 1');
  if (s.vectors.length !== s.ids.length * s.dim) throw new OptionError('computeDrift', `${which}.vectors`, `${s.vectors.length} values`, `${s.ids.length} x ${s.dim}`);
  if (s.segments && s.segments.length !== s.ids.length) throw new OptionError('computeDrift', `${which}.segments`, `${s.segments.length} values`, `${s.ids.length} (one per user)`);
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function computeDrift(prev: VectorSnapshot, next: VectorSnapshot, opts: DriftOptions = {}): DriftReport {
  check(prev, 'previous');
  check(next, 'next');
  if (prev.dim !== next.dim) throw new OptionError('computeDrift', 'next.dim', next.dim, `the previous run's dim ${prev.dim} (vectors of different models cannot be compared)`);
  const threshold = opts.threshold ?? driftDefaults.threshold;
  if (!(threshold >= 0 && threshold <= 2)) throw new OptionError('computeDrift', 'threshold', opts.threshold, 'a cosine distance in [0, 2]');
  const limit = opts.limit ?? driftDefaults.limit;
  if (!Number.isInteger(limit) || limit < 0) throw new OptionError('computeDrift', 'limit', opts.limit, 'an integer >= 0');
  const dim = prev.dim;
  const rowBefore = new Map<string, number>();
  prev.ids.forEach((id, i) => rowBefore.set(id, i));
  const compareSegments = prev.segments !== undefined && next.segments !== undefined;
  const distances: number[] = [];
  const drifted: DriftedUser[] = [];
  let compared = 0;
  let skipped = 0;
  let moved = 0;
  let changed = 0;
  let newUsers = 0;
  let seen = 0;
  next.ids.forEach((user, j) => {
    const i = rowBefore.get(user);
    if (i === undefined) {
      newUsers++;
      return;
    }
    seen++;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = 0; d < dim; d++) {
      const a = prev.vectors[i * dim + d]!;
      const b = next.vectors[j * dim + d]!;
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    if (!(na > 0 && nb > 0)) {
      skipped++;
      return;
    }
    compared++;
    const distance = Math.max(0, 1 - dot / Math.sqrt(na * nb));
    distances.push(distance);
    const from = compareSegments && prev.segments![i]! >= 0 ? prev.segments![i]! : null;
    const to = compareSegments && next.segments![j]! >= 0 ? next.segments![j]! : null;
    const vectorMoved = distance > threshold;
    const segmentChanged = compareSegments && from !== to;
    if (vectorMoved) moved++;
    if (segmentChanged) changed++;
    if (vectorMoved || segmentChanged) drifted.push({ user, distance, from, to, vectorMoved, segmentChanged });
  });
  drifted.sort((a, b) => b.distance - a.distance || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  const sorted = Float64Array.from(distances).sort();
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  return {
    threshold,
    compared,
    drifted: drifted.length,
    share: compared ? drifted.length / compared : 0,
    vectorMoved: moved,
    segmentChanged: changed,
    newUsers,
    goneUsers: prev.ids.length - seen,
    skipped,
    distance: { mean, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 },
    users: drifted.slice(0, limit),
    listed: Math.min(limit, drifted.length),
  };
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** `--only-if-drift LIMIT`: retrain when the share of drifted users reaches the limit (a share in [0, 1]). */
export function decideRetrain(report: DriftReport, limit: number): RetrainDecision {
  if (!(limit >= 0 && limit <= 1)) throw new OptionError('decideRetrain', 'limit', limit, 'a share of users in [0, 1] (e.g. 0.1 for 10%)');
  const retrain = report.compared > 0 && report.share >= limit;
  const what = `${pct(report.share)} of ${report.compared} users drifted (vector moved more than ${report.threshold} or segment changed)`;
  const reason = report.compared === 0 ? 'no user is in both runs, so nothing can have drifted' : retrain ? `${what}: at or above the ${pct(limit)} limit, retrain` : `${what}: below the ${pct(limit)} limit, no retrain`;
  return { retrain, share: report.share, limit, reason };
}
