/**
 * Stable segment ids across runs. A new clustering's segments are matched to
 * the previous run's by the Hungarian algorithm on a similarity matrix:
 *
 * - `overlap`: Jaccard index of the member sets, over the users in both runs
 *   (works across full retrains, whose vector spaces are not aligned);
 * - `centroid`: cosine of the centroids (only meaningful when both runs live
 *   in one vector space, e.g. a refresh that continues the previous model);
 * - `both`: the mean of the two.
 *
 * A matched pair keeps the previous id when its similarity reaches
 * `minSimilarity`; other new segments get fresh ids from `nextId` (above every
 * id ever used, so a vanished segment's id is never reused); previous segments
 * left without a partner are reported as vanished. segmentDiff() lists, per
 * stable id, the users who joined and left between two runs.
 */
import { OptionError } from '../util/errors.js';

/**
 * Minimum-cost assignment of rows to columns (rows <= cols) of a row-major
 * cost matrix: the Hungarian algorithm with potentials and shortest
 * augmenting paths, O(rows^2 * cols). Written here because it is a few dozen
 * lines on typed arrays and the packages that offer it take arrays of arrays.
 * Returns the column of each row.
 */
export function hungarian(cost: Float64Array, rows: number, cols: number): Int32Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || rows > cols) throw new OptionError('hungarian', 'rows', rows, `an integer in [0, cols = ${cols}]`);
  if (cost.length !== rows * cols) throw new OptionError('hungarian', 'cost', `${cost.length} values`, `rows x cols = ${rows * cols}`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i]!)) throw new OptionError('hungarian', `cost[${i}]`, cost[i], 'a finite number');
  // 1-based potentials u (rows) and v (columns); matchOf[j] = row matched to column j, 0 = none.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const matchOf = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    matchOf[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = matchOf[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * cols + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[matchOf[j]!] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (matchOf[j0] !== 0);
    do {
      const j1 = way[j0]!;
      matchOf[j0] = matchOf[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOf = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= cols; j++) if (matchOf[j]! > 0) colOf[matchOf[j]! - 1] = j - 1;
  return colOf;
}

/** Maximum-weight matching of a rows x cols weight matrix (any shape): the column of each row, -1 when unmatched. */
export function maxWeightMatching(weight: Float64Array, rows: number, cols: number): Int32Array {
  if (weight.length !== rows * cols) throw new OptionError('maxWeightMatching', 'weight', `${weight.length} values`, `rows x cols = ${rows * cols}`);
  let max = 0;
  for (const w of weight) if (w > max) max = w;
  if (rows <= cols) return hungarian(weight.map((w) => max - w), rows, cols);
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = max - weight[i * cols + j]!;
  const rowOfCol = hungarian(t, cols, rows);
  const colOf = new Int32Array(rows).fill(-1);
  rowOfCol.forEach((r, c) => {
    colOf[r] = c;
  });
  return colOf;
}

/** One run's segments, as the matcher reads them. */
export interface SegmentRun {
  k: number;
  /** Centroids [k x dim] (for `centroid` and `both`). */
  centroids?: Float32Array;
  dim?: number;
  /** User ids and each user's segment position 0..k-1 (-1: none) (for `overlap` and `both`). */
  users?: readonly string[];
  assignment?: Int32Array;
}

/** The previous run: its segments and their stable ids. */
export interface PreviousSegments extends SegmentRun {
  /** Stable id of each segment position. */
  ids: Int32Array;
  /** Smallest id never used so far (stored with the run); default: max(ids) + 1. */
  nextId?: number;
}

export type MatchBy = 'overlap' | 'centroid' | 'both';

export const matchDefaults = {
  /** Minimum similarity for a new segment to keep a previous id, per measure. */
  minSimilarity: { overlap: 0.3, centroid: 0.5, both: 0.4 } as Readonly<Record<MatchBy, number>>,
} as const;

export interface MatchOptions {
  /** Default: `overlap` when both runs have members, else `centroid`. */
  by?: MatchBy;
  minSimilarity?: number;
}

export interface MatchedSegment {
  segment: number;
  id: number;
  previous: number;
  similarity: number;
}

export interface SegmentMatch {
  by: MatchBy;
  minSimilarity: number;
  /** Stable id of each new segment position. */
  ids: Int32Array;
  /** New segments that kept a previous id. */
  matched: MatchedSegment[];
  /** New segments with a fresh id; `closest` is the previous id they resemble most (null: none at all). */
  created: { segment: number; id: number; closest: number | null; similarity: number }[];
  /** Previous segments no new segment took over. */
  vanished: { id: number; previous: number; closest: number | null; similarity: number }[];
  /** Smallest id never used, to store with the new run. */
  nextId: number;
  /** [previous k x new k] similarity matrix, for reports. */
  similarity: Float64Array;
}

/** Ids of a first run: 0..k-1. */
export function initialSegmentIds(k: number): { ids: Int32Array; nextId: number } {
  return { ids: Int32Array.from({ length: k }, (_, i) => i), nextId: k };
}

function overlapMatrix(prev: SegmentRun, next: SegmentRun): Float64Array {
  const pu = prev.users as readonly string[];
  const pa = prev.assignment as Int32Array;
  const nu = next.users as readonly string[];
  const na = next.assignment as Int32Array;
  const before = new Map<string, number>();
  pu.forEach((id, i) => {
    if (pa[i]! >= 0) before.set(id, pa[i]!);
  });
  const both = new Float64Array(prev.k * next.k);
  const sizePrev = new Float64Array(prev.k);
  const sizeNext = new Float64Array(next.k);
  const common = new Set<string>();
  nu.forEach((id, i) => {
    const b = before.get(id);
    const a = na[i]!;
    if (b === undefined || a < 0) return;
    common.add(id);
    both[b * next.k + a]++;
    sizeNext[a]++;
  });
  pu.forEach((id, i) => {
    if (common.has(id)) sizePrev[pa[i]!]++;
  });
  return both.map((n, idx) => {
    const union = sizePrev[Math.floor(idx / next.k)]! + sizeNext[idx % next.k]! - n;
    return union > 0 ? n / union : 0;
  });
}

function centroidMatrix(prev: SegmentRun, next: SegmentRun): Float64Array {
  const dim = prev.dim as number;
  if (next.dim !== dim) throw new OptionError('matchSegments', 'dim', next.dim, `the previous run's centroid dim ${dim}`);
  const a = prev.centroids as Float32Array;
  const b = next.centroids as Float32Array;
  const norm = (m: Float32Array, r: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += m[r * dim + d]! ** 2;
    return Math.sqrt(s);
  };
  const out = new Float64Array(prev.k * next.k);
  for (let i = 0; i < prev.k; i++) {
    const ni = norm(a, i);
    for (let j = 0; j < next.k; j++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += a[i * dim + d]! * b[j * dim + d]!;
      const nn = ni * norm(b, j);
      out[i * next.k + j] = nn > 0 ? dot / nn : 0;
    }
  }
  return out;
}

function checkRun(run: SegmentRun, which: string, by: MatchBy): void {
  const fn = 'matchSegments';
  if (!Number.isInteger(run.k) || run.k < 0) throw new OptionError(fn, `${which}.k`, run.k, 'an integer >= 0');
  if (by !== 'centroid') {
    if (!run.users || !run.assignment) throw new OptionError(fn, `${which}.users`, undefined, `user ids and assignment (matching by ${by})`);
    if (run.users.length !== run.assignment.length) throw new OptionError(fn, `${which}.assignment`, `${run.assignment.length} values`, `${run.users.length} (one per user)`);
    for (let i = 0; i < run.assignment.length; i++) {
      const s = run.assignment[i]!;
      if (s < -1 || s >= run.k) throw new OptionError(fn, `${which}.assignment[${i}]`, s, `-1 or a segment in [0, ${run.k})`);
    }
  }
  if (by !== 'overlap') {
    if (!run.centroids || !run.dim || run.centroids.length !== run.k * run.dim) throw new OptionError(fn, `${which}.centroids`, run.centroids?.length, `k x dim = ${run.k} x ${run.dim} values (matching by ${by})`);
  }
}

/** Matches a new run's segments to the previous run's and assigns stable ids (see the module comment). */
export function matchSegments(prev: PreviousSegments, next: SegmentRun, opts: MatchOptions = {}): SegmentMatch {
  const by: MatchBy = opts.by ?? (prev.users && prev.assignment && next.users && next.assignment ? 'overlap' : 'centroid');
  checkRun(prev, 'previous', by);
  checkRun(next, 'next', by);
  if (prev.ids.length !== prev.k) throw new OptionError('matchSegments', 'previous.ids', `${prev.ids.length} ids`, `${prev.k} (one per segment)`);
  if (new Set(prev.ids).size !== prev.ids.length) throw new OptionError('matchSegments', 'previous.ids', Array.from(prev.ids), 'distinct ids');
  const minSimilarity = opts.minSimilarity ?? matchDefaults.minSimilarity[by];
  const overlap = by === 'centroid' ? null : overlapMatrix(prev, next);
  const centroid = by === 'overlap' ? null : centroidMatrix(prev, next);
  const similarity = overlap && centroid ? overlap.map((o, i) => (o + centroid[i]!) / 2) : ((overlap ?? centroid) as Float64Array);
  let nextId = prev.nextId ?? 0;
  for (const id of prev.ids) nextId = Math.max(nextId, id + 1);
  const colOf = maxWeightMatching(similarity, prev.k, next.k);
  const ids = new Int32Array(next.k).fill(-1);
  const matched: MatchedSegment[] = [];
  const taken = new Uint8Array(prev.k);
  colOf.forEach((j, i) => {
    if (j < 0 || similarity[i * next.k + j]! < minSimilarity) return;
    ids[j] = prev.ids[i]!;
    taken[i] = 1;
    matched.push({ segment: j, id: prev.ids[i]!, previous: i, similarity: similarity[i * next.k + j]! });
  });
  matched.sort((a, b) => a.segment - b.segment);
  const closestPrev = (j: number): { closest: number | null; similarity: number } => {
    let best = -1;
    for (let i = 0; i < prev.k; i++) if (best < 0 || similarity[i * next.k + j]! > similarity[best * next.k + j]!) best = i;
    return best < 0 ? { closest: null, similarity: 0 } : { closest: prev.ids[best]!, similarity: similarity[best * next.k + j]! };
  };
  const created: SegmentMatch['created'] = [];
  for (let j = 0; j < next.k; j++) {
    if (ids[j]! >= 0) continue;
    ids[j] = nextId++;
    created.push({ segment: j, id: ids[j]!, ...closestPrev(j) });
  }
  const vanished: SegmentMatch['vanished'] = [];
  for (let i = 0; i < prev.k; i++) {
    if (taken[i]) continue;
    let best = -1;
    for (let j = 0; j < next.k; j++) if (best < 0 || similarity[i * next.k + j]! > similarity[i * next.k + best]!) best = j;
    vanished.push({ id: prev.ids[i]!, previous: i, closest: best < 0 ? null : ids[best]!, similarity: best < 0 ? 0 : similarity[i * next.k + best]! });
  }
  return { by, minSimilarity, ids, matched, created, vanished, nextId, similarity };
}

/** Each user's stable segment id in one run. */
export interface SegmentMembership {
  users: readonly string[];
  /** Stable segment id per user, -1 for none. */
  segmentIds: Int32Array;
}

/** Membership from a run's assignment (segment positions) and the positions' stable ids. */
export function membershipOf(users: readonly string[], assignment: Int32Array, ids: Int32Array): SegmentMembership {
  if (users.length !== assignment.length) throw new OptionError('membershipOf', 'assignment', `${assignment.length} values`, `${users.length} (one per user)`);
  return { users, segmentIds: assignment.map((s) => (s >= 0 ? ids[s]! : -1)) };
}

export interface SegmentChange {
  id: number;
  before: number;
  after: number;
  stayed: number;
  /** Users in the segment now but not before; `from` is their previous segment (null: new user). */
  joined: { user: string; from: number | null }[];
  /** Users in the segment before but not now; `to` is their segment now (null: user gone). */
  left: { user: string; to: number | null }[];
}

export interface SegmentDiff {
  /** Per stable id present in either run, ascending. */
  segments: SegmentChange[];
  /** Users in both runs whose segment changed. */
  moved: number;
  newUsers: number;
  goneUsers: number;
}

/** Per stable segment id, who joined and who left between two runs (users sorted by id). */
export function segmentDiff(prev: SegmentMembership, next: SegmentMembership): SegmentDiff {
  const before = new Map<string, number>();
  prev.users.forEach((u, i) => before.set(u, prev.segmentIds[i]!));
  const after = new Map<string, number>();
  next.users.forEach((u, i) => after.set(u, next.segmentIds[i]!));
  const byId = new Map<number, SegmentChange>();
  const change = (id: number): SegmentChange => {
    let c = byId.get(id);
    if (!c) byId.set(id, (c = { id, before: 0, after: 0, stayed: 0, joined: [], left: [] }));
    return c;
  };
  let moved = 0;
  let newUsers = 0;
  let goneUsers = 0;
  for (const [user, b] of before) {
    if (b >= 0) change(b).before++;
    const a = after.get(user);
    if (a === undefined) goneUsers++;
    if (b >= 0 && a !== b) change(b).left.push({ user, to: a === undefined || a < 0 ? null : a });
  }
  for (const [user, a] of after) {
    if (a >= 0) change(a).after++;
    const b = before.get(user);
    if (b === undefined) newUsers++;
    else if (a !== b) moved++;
    if (a < 0) continue;
    if (b === a) change(a).stayed++;
    else change(a).joined.push({ user, from: b === undefined || b < 0 ? null : b });
  }
  const byUser = (x: { user: string }, y: { user: string }): number => (x.user < y.user ? -1 : x.user > y.user ? 1 : 0);
  const segments = [...byId.values()].sort((x, y) => x.id - y.id);
  for (const s of segments) {
    s.joined.sort(byUser);
    s.left.sort(byUser);
  }
  return { segments, moved, newUsers, goneUsers };
}
